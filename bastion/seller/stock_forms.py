from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bastion.inventory.actions.stock import MAX_QUANTITY


class WarehouseForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    code = forms.RegexField(label=pgettext_lazy("warehouse", "Code"), max_length=32, regex=r"^[A-Za-z0-9_-]+$",
                            help_text=_("Letters, digits, - and _; unique within your shop."))
    region = forms.CharField(label=_("Region"), max_length=100, required=False)


class ReceiptForm(forms.Form):
    sku = forms.CharField(label=_("SKU"), max_length=64)
    quantity = forms.IntegerField(label=_("Quantity received"), min_value=1, max_value=MAX_QUANTITY)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class AdjustmentForm(forms.Form):
    sku = forms.CharField(label=_("SKU"), max_length=64)
    delta = forms.IntegerField(label=pgettext_lazy("stock adjustment", "Change"), min_value=-MAX_QUANTITY, max_value=MAX_QUANTITY,
                               help_text=_("Negative to write stock off, positive to add found stock."))
    reason = forms.ChoiceField(label=_("Kind"), choices=[("adjustment", _("Adjustment")),
                                                         ("correction", _("Correction"))])
    note = forms.CharField(label=_("Why"), max_length=200)
