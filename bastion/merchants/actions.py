from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify

from bastion.audit.actions import append_entry
from bastion.core import clock
from bastion.core.errors import Conflict, Invalid
from bastion.merchants.models import Merchant


@transaction.atomic
def create_merchant(*, name: str, actor: str, legal_name: str = "", contact_email: str = "") -> Merchant:
    name = name.strip()
    slug = slugify(name)
    if not name or not slug:
        raise Invalid("A merchant needs a name with at least one letter or digit.", code="merchant_name_invalid")
    if Merchant.objects.filter(slug=slug).exists():
        raise Conflict(f"A merchant named {name!r} already exists.", code="merchant_exists")
    merchant = Merchant.objects.create(name=name, slug=slug, legal_name=legal_name,
                                       contact_email=contact_email, created_at=clock.now())
    append_entry(actor=actor, action="merchant.created", subject=f"merchant:{merchant.pk}",
                 payload={"name": name, "slug": slug})
    return merchant
