"""A small shop of people for tests: one per role, two merchants, and clients signed in as them."""

from __future__ import annotations

from dataclasses import dataclass

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from bastion.accounts.models import User
from bastion.accounts.tests.factories import UserFactory, grant, totp_device
from bastion.merchants.models import Merchant
from bastion.merchants.tests.factories import MerchantFactory


@dataclass
class World:
    merchant_a: Merchant
    merchant_b: Merchant
    shopper: User
    owner_a: User
    staff_a: User
    owner_b: User
    staff_b: User
    operator: User
    security_officer: User
    auditor: User
    administrator: User

    def person(self, name: str) -> User:
        return getattr(self, name)


def build_world() -> World:
    merchant_a, merchant_b = MerchantFactory(name="Alpha Teas", slug="alpha"), MerchantFactory(name="Beta Bikes",
                                                                                                 slug="beta")
    people = {}
    for name, role, merchant in (
        ("owner_a", "merchant_owner", merchant_a), ("staff_a", "merchant_staff", merchant_a),
        ("owner_b", "merchant_owner", merchant_b), ("staff_b", "merchant_staff", merchant_b),
        ("operator", "operator", None), ("security_officer", "security_officer", None),
        ("auditor", "auditor", None), ("administrator", "administrator", None),
    ):
        user = UserFactory(email=f"{name}@example.com")
        grant(user, role, merchant)
        totp_device(user)
        people[name] = user
    people["shopper"] = UserFactory(email="shopper@example.com")
    return World(merchant_a=merchant_a, merchant_b=merchant_b, **people)


def client_for(user: User | None, *, mfa: bool = True, **client_kwargs) -> Client:
    """A client signed in as `user` (anonymous for None); MFA verified if `mfa` and they have a device."""
    client = Client(**client_kwargs)
    if user is None:
        return client
    client.force_login(user, backend="bastion.accounts.backends.EmailRoleBackend")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if mfa and device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
