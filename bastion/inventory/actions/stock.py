"""Merchant stock changes: warehouses, receipts, adjustments; and returns from orders.

Each is one atomic transaction that changes the count through bastion.inventory.locking, writes
the journal (StockMovement) and appends a ledger entry.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from bastion.accounts.actor import Actor
from bastion.audit.actions import append_entry
from bastion.catalog.models import Variant
from bastion.core import clock
from bastion.core.errors import Conflict, Invalid
from bastion.core.roles import Perm
from bastion.inventory import locking
from bastion.inventory.models import StockMovement, Warehouse
from bastion.merchants.models import Merchant

MAX_QUANTITY = 1_000_000
ADJUSTMENT_REASONS = (StockMovement.Reason.ADJUSTMENT, StockMovement.Reason.CORRECTION)


@transaction.atomic
def create_warehouse(*, actor: Actor, merchant: Merchant, name: str, code: str, region: str = "") -> Warehouse:
    actor.require(Perm.MERCHANT_MANAGE_STOCK, merchant.pk)
    name, code, region = name.strip(), code.strip().upper(), region.strip()
    if not name or not code:
        raise Invalid(_("A warehouse needs a name and a code."), code="warehouse_invalid")
    if Warehouse.objects.filter(merchant=merchant, code=code).exists():
        raise Conflict(_("This merchant already has a warehouse with code %(code)s.") % {"code": code},
                       code="warehouse_code_taken")
    warehouse = Warehouse.objects.create(merchant=merchant, name=name, code=code, region=region,
                                         created_at=clock.now())
    append_entry(actor=actor.label, action="warehouse.created", subject=f"warehouse:{warehouse.pk}",
                 payload={"merchant": merchant.pk, "code": code, "name": name})
    return warehouse


def _check_quantity(quantity: int, *, allow_negative: bool = False) -> None:
    if quantity == 0 or abs(quantity) > MAX_QUANTITY or (quantity < 0 and not allow_negative):
        raise Invalid(_("The quantity must be between 1 and %(max)d.") % {"max": MAX_QUANTITY},
                      code="quantity_invalid", extra={"field": "quantity"})


def _check_same_merchant(warehouse: Warehouse, variant: Variant) -> None:
    if variant.product.merchant_id != warehouse.merchant_id:
        raise Invalid(_("The variant and the warehouse belong to different merchants."),
                      code="variant_not_of_merchant")


def _journal(*, level, reason: str, actor: str, delta_on_hand: int = 0, delta_reserved: int = 0,
             reference: str = "", note: str = "") -> StockMovement:
    return StockMovement.objects.create(
        variant_id=level.variant_id, warehouse_id=level.warehouse_id, delta_on_hand=delta_on_hand,
        delta_reserved=delta_reserved, reason=reason, actor=actor, reference=reference, note=note,
        created_at=clock.now())


@transaction.atomic
def receive_stock(*, actor: Actor, warehouse: Warehouse, variant: Variant, quantity: int,
                  note: str = "") -> StockMovement:
    """Goods arrived at a warehouse: on hand goes up."""
    actor.require(Perm.MERCHANT_MANAGE_STOCK, warehouse.merchant_id)
    _check_quantity(quantity)
    _check_same_merchant(warehouse, variant)
    level = locking.lock_level_for(variant_id=variant.pk, warehouse_id=warehouse.pk)
    locking.change_on_hand(level.pk, quantity)
    movement = _journal(level=level, reason=StockMovement.Reason.RECEIPT, actor=actor.label,
                        delta_on_hand=quantity, note=note.strip())
    append_entry(actor=actor.label, action="stock.received", subject=f"variant:{variant.pk}",
                 payload={"warehouse": warehouse.pk, "sku": variant.sku, "quantity": quantity,
                          "movement": movement.pk})
    return movement


@transaction.atomic
def adjust_stock(*, actor: Actor, warehouse: Warehouse, variant: Variant, delta: int, note: str,
                 reason: str = StockMovement.Reason.ADJUSTMENT) -> StockMovement:
    """A counted difference (damage, loss, a recount): on hand moves by `delta`, never below what is reserved."""
    actor.require(Perm.MERCHANT_MANAGE_STOCK, warehouse.merchant_id)
    _check_quantity(delta, allow_negative=True)
    _check_same_merchant(warehouse, variant)
    if reason not in ADJUSTMENT_REASONS:
        raise Invalid(_("An adjustment is an adjustment or a correction."), code="reason_invalid",
                      extra={"field": "reason"})
    if not note.strip():
        raise Invalid(_("Say why the stock changes."), code="note_required", extra={"field": "note"})
    level = locking.lock_level_for(variant_id=variant.pk, warehouse_id=warehouse.pk)
    if not locking.change_on_hand(level.pk, delta):
        level.refresh_from_db()
        raise Conflict(_("%(sku)s: on hand %(on_hand)d with %(reserved)d reserved cannot change by %(delta)d.")
                       % {"sku": variant.sku, "on_hand": level.on_hand, "reserved": level.reserved, "delta": delta},
                       code="stock_below_reserved",
                       extra={"sku": variant.sku, "on_hand": level.on_hand, "reserved": level.reserved})
    movement = _journal(level=level, reason=reason, actor=actor.label, delta_on_hand=delta, note=note.strip())
    append_entry(actor=actor.label, action="stock.adjusted", subject=f"variant:{variant.pk}",
                 payload={"warehouse": warehouse.pk, "sku": variant.sku, "delta": delta, "reason": reason,
                          "note": note.strip(), "movement": movement.pk})
    return movement


@transaction.atomic
def return_to_stock(*, actor: str, warehouse: Warehouse, variant: Variant, quantity: int,
                    reference: str) -> StockMovement:
    """Sold goods came back in a sellable state (called by the orders domain with its reference)."""
    _check_quantity(quantity)
    _check_same_merchant(warehouse, variant)
    level = locking.lock_level_for(variant_id=variant.pk, warehouse_id=warehouse.pk)
    locking.change_on_hand(level.pk, quantity)
    movement = _journal(level=level, reason=StockMovement.Reason.RETURN, actor=actor, delta_on_hand=quantity,
                        reference=reference)
    append_entry(actor=actor, action="stock.returned", subject=f"variant:{variant.pk}",
                 payload={"warehouse": warehouse.pk, "sku": variant.sku, "quantity": quantity,
                          "reference": reference})
    return movement
