from django import forms
from django.utils.translation import gettext_lazy as _

from bastion.storefront.labels import country_choices


class SignUpForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False,
                                widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(label=_("Email"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(label=_("Password"), max_length=256,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))


class SignInForm(forms.Form):
    email = forms.EmailField(label=_("Email"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "username"}))
    password = forms.CharField(label=_("Password"), max_length=256,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text",
                                                         "autofocus": True}))


class EmailForm(forms.Form):
    email = forms.EmailField(label=_("Email"), max_length=254)


class NewPasswordForm(forms.Form):
    new_password = forms.CharField(label=_("New password"), max_length=256,
                                   widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))


class PasswordChangeForm(NewPasswordForm):
    current_password = forms.CharField(label=_("Current password"), max_length=256,
                                       widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    field_order = ["current_password", "new_password"]


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    preferred_language = forms.ChoiceField(label=_("Language"), choices=[("en", "English"), ("zh-hans", "简体中文")])


class AddressForm(forms.Form):
    label = forms.CharField(label=_("Label (home, office…)"), max_length=40, required=False)
    recipient = forms.CharField(label=_("Recipient"), max_length=100)
    phone = forms.CharField(label=_("Phone"), max_length=32)
    line1 = forms.CharField(label=_("Address line 1"), max_length=200)
    line2 = forms.CharField(label=_("Address line 2"), max_length=200, required=False)
    city = forms.CharField(label=_("City"), max_length=100)
    region = forms.CharField(label=_("Province or region"), max_length=100)
    postal_code = forms.CharField(label=_("Postal code"), max_length=16)
    country = forms.ChoiceField(label=_("Country"), choices=country_choices())
    is_default = forms.BooleanField(label=_("Default address"), required=False)
