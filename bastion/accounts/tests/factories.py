from __future__ import annotations

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from bastion.accounts.models import Address, RoleGrant, User
from bastion.core import clock

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    full_name = factory.Faker("name")
    date_joined = factory.LazyFunction(clock.now)
    email_verified_at = factory.LazyFunction(clock.now)

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Address

    user = factory.SubFactory(UserFactory)
    recipient = "Li Wei"
    phone = "+86 138 0013 8000"
    line1 = "No. 88 Century Avenue"
    city = "Shanghai"
    region = "Shanghai"
    postal_code = "200120"
    country = "CN"
    created_at = factory.LazyFunction(clock.now)


def grant(user: User, role: str, merchant=None) -> RoleGrant:
    return RoleGrant.objects.create(user=user, role=role, merchant=merchant, granted_at=clock.now())


def totp_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def totp_code(device: TOTPDevice, offset_steps: int = 0) -> str:
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset_steps * device.step
    return f"{totp.token():0{device.digits}d}"
