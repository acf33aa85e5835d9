"""Seller API for shipping: zones, methods with weight bands, and tax rates of a merchant."""

from __future__ import annotations

from ninja import Router, Status

from bastion.accounts import access as account_access
from bastion.accounts.api_auth import AUTH
from bastion.core.apitools import responses
from bastion.core.roles import Perm
from bastion.shipping import access, actions, queries
from bastion.shipping.models import ShippingMethod, ShippingZone, TaxRate
from bastion.shipping.schemas import (
    BandIn,
    MethodIn,
    MethodOut,
    TaxRateIn,
    TaxRateOut,
    ZoneIn,
    ZoneOut,
    decimal_of,
)

router = Router(tags=["shipping"], auth=AUTH)


def method_out(method: ShippingMethod) -> dict:
    return {"id": method.pk, "zone_id": method.zone_id, "name": method.name, "carrier_code": method.carrier_code,
            "days_min": method.days_min, "days_max": method.days_max, "price": str(method.price),
            "currency": method.currency,
            "free_above": str(method.free_above) if method.free_above is not None else None,
            "is_active": method.is_active,
            "bands": [{"max_grams": b.max_grams, "price": str(b.price)} for b in method.bands.all()]}


def zone_out(zone: ShippingZone) -> dict:
    return {"id": zone.pk, "name": zone.name, "countries": zone.countries, "regions": zone.regions,
            "methods": [method_out(m) for m in zone.methods.all()]}


def tax_out(tax: TaxRate) -> dict:
    return {"id": tax.pk, "country": tax.country, "region": tax.region, "name": tax.name,
            "percent": str(tax.percent)}


@router.get("/{merchant_id}/shipping/zones", response=responses(list[ZoneOut], 401, 403, 404, 429))
def list_zones(request, merchant_id: int):
    merchant = account_access.get_merchant_for(request.auth, merchant_id, Perm.MERCHANT_VIEW)
    return [zone_out(zone) for zone in queries.zones_of(merchant.pk)]


@router.post("/{merchant_id}/shipping/zones", response=responses({201: ZoneOut}, 401, 403, 404, 409, 422, 429))
def create_zone(request, merchant_id: int, payload: ZoneIn):
    merchant = account_access.get_merchant_for(request.auth, merchant_id, actions.PERM)
    zone = actions.create_zone(actor=request.auth, merchant=merchant, name=payload.name,
                               countries=payload.countries, regions=payload.regions)
    return Status(201, zone_out(zone))


@router.post("/{merchant_id}/shipping/zones/{zone_id}/methods",
             response=responses({201: MethodOut}, 401, 403, 404, 409, 422, 429))
def create_method(request, merchant_id: int, zone_id: int, payload: MethodIn):
    merchant = account_access.get_merchant_for(request.auth, merchant_id, actions.PERM)
    zone = access.get_zone_of(merchant, zone_id)
    method = actions.create_method(actor=request.auth, zone=zone, name=payload.name,
                                   carrier_code=payload.carrier_code, days_min=payload.days_min,
                                   days_max=payload.days_max, price=decimal_of(payload.price),
                                   free_above=decimal_of(payload.free_above))
    return Status(201, method_out(method))


@router.post("/{merchant_id}/shipping/methods/{method_id}/bands",
             response=responses({201: MethodOut}, 401, 403, 404, 409, 422, 429))
def add_band(request, merchant_id: int, method_id: int, payload: BandIn):
    merchant = account_access.get_merchant_for(request.auth, merchant_id, actions.PERM)
    method = access.get_method_of(merchant, method_id)
    actions.add_weight_band(actor=request.auth, method=method, max_grams=payload.max_grams,
                            price=decimal_of(payload.price))
    return Status(201, method_out(method))


@router.get("/{merchant_id}/shipping/tax-rates", response=responses(list[TaxRateOut], 401, 403, 404, 429))
def list_tax_rates(request, merchant_id: int):
    merchant = account_access.get_merchant_for(request.auth, merchant_id, Perm.MERCHANT_VIEW)
    return [tax_out(tax) for tax in queries.tax_rates_of(merchant.pk)]


@router.put("/{merchant_id}/shipping/tax-rates", response=responses(TaxRateOut, 401, 403, 404, 422, 429))
def set_tax_rate(request, merchant_id: int, payload: TaxRateIn):
    """Create or change the rate of a country, or of one region when `region` is given."""
    merchant = account_access.get_merchant_for(request.auth, merchant_id, actions.PERM)
    tax = actions.set_tax_rate(actor=request.auth, merchant=merchant, country=payload.country,
                               region=payload.region, percent=decimal_of(payload.percent), name=payload.name)
    return tax_out(tax)
