"""Seller portal shipping page: zones with their methods and weight bands, and tax rates."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bastion.accounts import access as account_access
from bastion.accounts.actor import Actor
from bastion.console.guards import staff_page
from bastion.core.errors import Problem
from bastion.core.roles import Perm
from bastion.shipping import access, actions, queries

_PRICE = {"max_digits": 12, "decimal_places": 2, "min_value": 0}


class ZoneForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    countries = forms.CharField(label=gettext_lazy("Countries"), max_length=200,
                                help_text=gettext_lazy("Two-letter codes separated by commas, e.g. CN, HK"))
    regions = forms.CharField(label=gettext_lazy("Provinces or regions"), max_length=2000, required=False,
                              help_text=gettext_lazy("Separated by commas; empty covers the whole countries."))


class MethodForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=60)
    carrier_code = forms.CharField(label=gettext_lazy("Carrier code"), max_length=32)
    days_min = forms.IntegerField(label=gettext_lazy("Fewest days"), min_value=0, max_value=365)
    days_max = forms.IntegerField(label=gettext_lazy("Most days"), min_value=0, max_value=365)
    price = forms.DecimalField(label=gettext_lazy("Price"), **_PRICE)
    free_above = forms.DecimalField(label=gettext_lazy("Free above"), required=False, **_PRICE)


class BandForm(forms.Form):
    max_grams = forms.IntegerField(label=gettext_lazy("Up to grams"), min_value=1, max_value=1_000_000)
    price = forms.DecimalField(label=gettext_lazy("Price"), **_PRICE)


class TaxForm(forms.Form):
    country = forms.RegexField(label=gettext_lazy("Country"), regex=r"^[A-Za-z]{2}$", max_length=2)
    region = forms.CharField(label=gettext_lazy("Province or region"), max_length=100, required=False)
    name = forms.CharField(label=gettext_lazy("Tax name"), max_length=40, initial="VAT")
    percent = forms.DecimalField(label=gettext_lazy("Percent"), max_digits=5, decimal_places=2, min_value=0,
                                 max_value=100)


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace("\uff0c", ",").split(",") if part.strip()]


@staff_page
def shipping_home(request, actor: Actor, merchant_id: int):
    merchant = account_access.get_merchant_for(actor, merchant_id, Perm.MERCHANT_VIEW)
    return render(request, "seller/shipping.html", {
        "merchant": merchant, "zones": queries.zones_of(merchant.pk), "taxes": queries.tax_rates_of(merchant.pk),
        "zone_form": ZoneForm(auto_id="zone-%s"), "method_form": MethodForm(auto_id="method-%s"),
        "band_form": BandForm(auto_id="band-%s"), "tax_form": TaxForm(auto_id="tax-%s"),
        "can_manage": actor.can(actions.PERM, merchant.pk)})


def _errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def _run(request, form, change, done: str):
    if not form.is_valid():
        _errors(request, form)
        return
    try:
        change(form.cleaned_data)
    except Problem as problem:
        messages.error(request, problem.detail)
    else:
        messages.success(request, done)


@staff_page
@require_POST
def create_zone(request, actor: Actor, merchant_id: int):
    merchant = account_access.get_merchant_for(actor, merchant_id, actions.PERM)
    _run(request, ZoneForm(request.POST), lambda d: actions.create_zone(
        actor=actor, merchant=merchant, name=d["name"], countries=_split(d["countries"]),
        regions=_split(d["regions"])), _("Shipping zone created."))
    return redirect("seller:shipping", merchant_id=merchant.pk)


@staff_page
@require_POST
def create_method(request, actor: Actor, merchant_id: int, zone_id: int):
    merchant = account_access.get_merchant_for(actor, merchant_id, actions.PERM)
    zone = access.get_zone_of(merchant, zone_id)
    _run(request, MethodForm(request.POST), lambda d: actions.create_method(actor=actor, zone=zone, **d),
         _("Shipping method added."))
    return redirect("seller:shipping", merchant_id=merchant.pk)


@staff_page
@require_POST
def add_band(request, actor: Actor, merchant_id: int, method_id: int):
    merchant = account_access.get_merchant_for(actor, merchant_id, actions.PERM)
    method = access.get_method_of(merchant, method_id)
    _run(request, BandForm(request.POST), lambda d: actions.add_weight_band(actor=actor, method=method, **d),
         _("Weight band added."))
    return redirect("seller:shipping", merchant_id=merchant.pk)


@staff_page
@require_POST
def set_tax(request, actor: Actor, merchant_id: int):
    merchant = account_access.get_merchant_for(actor, merchant_id, actions.PERM)
    _run(request, TaxForm(request.POST), lambda d: actions.set_tax_rate(actor=actor, merchant=merchant, **d),
         _("Tax rate saved."))
    return redirect("seller:shipping", merchant_id=merchant.pk)
