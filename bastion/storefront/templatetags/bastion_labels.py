"""`{% load bastion_labels %}`: `{{ grant.role|role_label }}`, `{{ address.country|country_label }}`."""

from __future__ import annotations

from django import template

from bastion.storefront import labels

register = template.Library()
register.filter("role_label", labels.role_label)
register.filter("country_label", labels.country_label)
