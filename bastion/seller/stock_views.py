"""Seller portal stock pages: warehouses, stock per warehouse with its movements, receipts, adjustments."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bastion.accounts import access as account_access
from bastion.accounts.actor import Actor
from bastion.console.guards import staff_page
from bastion.core.errors import Problem
from bastion.core.roles import Perm
from bastion.inventory import access, queries
from bastion.inventory.actions import stock
from bastion.seller.stock_forms import AdjustmentForm, ReceiptForm, WarehouseForm

MOVEMENTS_SHOWN = 50


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


@staff_page
def stock_home(request, actor: Actor, merchant_id: int):
    merchant = account_access.get_merchant_for(actor, merchant_id, Perm.MERCHANT_VIEW)
    warehouses = list(queries.warehouses_of(merchant.pk))
    levels = list(queries.stock_levels_of(merchant.pk))
    for warehouse in warehouses:
        warehouse.levels = [level for level in levels if level.warehouse_id == warehouse.pk]
    return render(request, "seller/stock.html", {
        "merchant": merchant, "warehouses": warehouses, "form": WarehouseForm(),
        "can_manage": actor.can(Perm.MERCHANT_MANAGE_STOCK, merchant.pk)})


@staff_page
def warehouse_stock(request, actor: Actor, merchant_id: int, warehouse_id: int):
    merchant = account_access.get_merchant_for(actor, merchant_id, Perm.MERCHANT_VIEW)
    warehouse = access.get_warehouse_of(merchant, warehouse_id)
    return render(request, "seller/warehouse.html", {
        "merchant": merchant, "warehouse": warehouse,
        "levels": queries.stock_levels_of(merchant.pk, warehouse_id=warehouse.pk),
        "movements": queries.movements_of(merchant.pk, warehouse_id=warehouse.pk)[:MOVEMENTS_SHOWN],
        "receipt_form": ReceiptForm(auto_id="receipt-%s"), "adjustment_form": AdjustmentForm(auto_id="adjust-%s"),
        "can_manage": actor.can(Perm.MERCHANT_MANAGE_STOCK, merchant.pk)})


@staff_page
@require_POST
def create_warehouse(request, actor: Actor, merchant_id: int):
    merchant = account_access.get_merchant_for(actor, merchant_id, Perm.MERCHANT_MANAGE_STOCK)
    form = WarehouseForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("seller:stock", merchant_id=merchant.pk)
    try:
        warehouse = stock.create_warehouse(actor=actor, merchant=merchant, **form.cleaned_data)
    except Problem as problem:
        messages.error(request, problem.detail)
        return redirect("seller:stock", merchant_id=merchant.pk)
    messages.success(request, _("Warehouse %(code)s created.") % {"code": warehouse.code})
    return redirect("seller:warehouse", merchant_id=merchant.pk, warehouse_id=warehouse.pk)


@staff_page
@require_POST
def receive(request, actor: Actor, merchant_id: int, warehouse_id: int):
    merchant = account_access.get_merchant_for(actor, merchant_id, Perm.MERCHANT_MANAGE_STOCK)
    warehouse = access.get_warehouse_of(merchant, warehouse_id)
    form = ReceiptForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            variant = access.get_variant_of(merchant, sku=data["sku"].strip())
            stock.receive_stock(actor=actor, warehouse=warehouse, variant=variant, quantity=data["quantity"],
                                note=data["note"])
        except Problem as problem:
            messages.error(request, problem.detail)
        else:
            messages.success(request, _("Received %(quantity)d of %(sku)s.") % {"quantity": data["quantity"],
                                                                               "sku": variant.sku})
    else:
        _form_errors(request, form)
    return redirect("seller:warehouse", merchant_id=merchant.pk, warehouse_id=warehouse.pk)


@staff_page
@require_POST
def adjust(request, actor: Actor, merchant_id: int, warehouse_id: int):
    merchant = account_access.get_merchant_for(actor, merchant_id, Perm.MERCHANT_MANAGE_STOCK)
    warehouse = access.get_warehouse_of(merchant, warehouse_id)
    form = AdjustmentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            variant = access.get_variant_of(merchant, sku=data["sku"].strip())
            stock.adjust_stock(actor=actor, warehouse=warehouse, variant=variant, delta=data["delta"],
                               note=data["note"], reason=data["reason"])
        except Problem as problem:
            messages.error(request, problem.detail)
        else:
            messages.success(request, _("Adjusted %(sku)s by %(delta)+d.") % {"sku": variant.sku,
                                                                              "delta": data["delta"]})
    else:
        _form_errors(request, form)
    return redirect("seller:warehouse", merchant_id=merchant.pk, warehouse_id=warehouse.pk)
