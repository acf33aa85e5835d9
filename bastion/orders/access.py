"""The only way interfaces fetch an order: the shopper's own, or one of a merchant the actor works for.

Anyone else's order is "not found", so order numbers cannot be probed.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from bastion.accounts import access as account_access
from bastion.accounts.actor import Actor
from bastion.core.errors import NotFound
from bastion.core.roles import Perm
from bastion.orders.models import Order
from bastion.orders.queries import with_details


def _not_found() -> NotFound:
    return NotFound(_("No such order."), code="order_not_found")


def get_order_for_shopper(actor: Actor, number: str) -> Order:
    actor.require_user()
    order = with_details(Order.objects.filter(number=number, shopper_id=actor.user_id)).first()
    if order is None:
        raise _not_found()
    return order


def get_order_for_merchant(actor: Actor, merchant_id: int, number: str, perm: Perm = Perm.MERCHANT_VIEW) -> Order:
    merchant = account_access.get_merchant_for(actor, merchant_id, perm)
    order = with_details(Order.objects.filter(number=number, merchant=merchant)).first()
    if order is None:
        raise _not_found()
    return order
