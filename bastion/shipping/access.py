"""The only way interfaces fetch a merchant's zones and methods: another merchant's are "not found"."""

from __future__ import annotations

from django.utils.translation import gettext as _

from bastion.core.errors import NotFound
from bastion.merchants.models import Merchant
from bastion.shipping.models import ShippingMethod, ShippingZone


def get_zone_of(merchant: Merchant, zone_id: int) -> ShippingZone:
    zone = ShippingZone.objects.filter(pk=zone_id, merchant=merchant).first()
    if zone is None:
        raise NotFound(_("No such shipping zone."), code="zone_not_found")
    return zone


def get_method_of(merchant: Merchant, method_id: int) -> ShippingMethod:
    method = ShippingMethod.objects.filter(pk=method_id, zone__merchant=merchant).select_related("zone").first()
    if method is None:
        raise NotFound(_("No such shipping method."), code="method_not_found")
    return method
