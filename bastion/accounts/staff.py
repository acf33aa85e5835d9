"""People created by an operator from the command line (createstaff, seed-demo)."""

from __future__ import annotations

from django.db import transaction

from bastion.accounts.actions.registration import check_password, normalise_email
from bastion.accounts.actions.roles import bootstrap_grant
from bastion.accounts.models import User
from bastion.core import clock
from bastion.core.errors import Invalid, NotFound
from bastion.core.roles import ROLES, RoleName
from bastion.merchants.models import Merchant


@transaction.atomic
def ensure_person(*, email: str, password: str, full_name: str = "", phone: str = "") -> tuple[User, bool]:
    """The confirmed account for `email`, created with `password` if it does not exist yet."""
    email = normalise_email(email)
    user = User.objects.filter(email=email).first()
    if user is not None:
        return user, False
    user = User(email=email, full_name=full_name, phone=phone, date_joined=clock.now(),
                email_verified_at=clock.now())
    check_password(password, user)
    user.set_password(password)
    user.save()
    return user, True


@transaction.atomic
def create_staff(*, email: str, password: str, role: str, merchant_slug: str | None = None,
                 full_name: str = "") -> User:
    try:
        role_name = RoleName(role)
    except ValueError as exc:
        raise Invalid(f"unknown role {role!r}; choose one of "
                      f"{', '.join(r.value for r in RoleName if r != RoleName.SHOPPER)}") from exc
    if role_name == RoleName.SHOPPER:
        raise Invalid("everyone is a shopper; create a shopper by signing up")
    merchant = None
    if ROLES[role_name].merchant_scoped:
        if not merchant_slug:
            raise Invalid(f"{role} needs --merchant")
        merchant = Merchant.objects.filter(slug=merchant_slug).first()
        if merchant is None:
            raise NotFound(f"no merchant with slug {merchant_slug!r}")
    elif merchant_slug:
        raise Invalid(f"{role} is not a merchant role; drop --merchant")
    user, _ = ensure_person(email=email, password=password, full_name=full_name)
    bootstrap_grant(user=user, role=role_name, merchant=merchant, actor_label="system:createstaff")
    return user
