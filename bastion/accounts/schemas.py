from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from bastion.core.apitools import StrictIn

_EMAIL = {"format": "email"}


class RegisterIn(StrictIn):
    email: str = Field(max_length=254, json_schema_extra=_EMAIL, examples=["li.wei@example.com"])
    password: str = Field(max_length=256, examples=["lantern orchard velvet 42"])
    full_name: str = Field("", max_length=150, examples=["Li Wei"])
    language: str = Field("en", max_length=10, examples=["en", "zh-hans"])


class AcceptedOut(Schema):
    detail: str


class TokenIn(StrictIn):
    token: str = Field(min_length=1, max_length=500)


class EmailIn(StrictIn):
    email: str = Field(max_length=254, json_schema_extra=_EMAIL, examples=["li.wei@example.com"])


class LoginIn(StrictIn):
    email: str = Field(max_length=254, json_schema_extra=_EMAIL, examples=["li.wei@example.com"])
    password: str = Field(max_length=256, examples=["lantern orchard velvet 42"])


class LoginOut(Schema):
    signed_in: bool
    mfa_required: bool
    detail: str


class CodeIn(StrictIn):
    code: str = Field(min_length=1, max_length=20)


class PasswordResetConfirmIn(StrictIn):
    uid: str = Field(min_length=1, max_length=64)
    token: str = Field(min_length=1, max_length=100)
    new_password: str = Field(max_length=256)


class PasswordChangeIn(StrictIn):
    current_password: str = Field(max_length=256)
    new_password: str = Field(max_length=256)


class GrantOut(Schema):
    id: int
    role: str
    merchant_id: int | None
    merchant_name: str | None = None
    granted_at: datetime

    @staticmethod
    def resolve_merchant_name(obj) -> str | None:
        return obj.merchant.name if obj.merchant_id else None


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    phone: str
    preferred_language: str
    email_verified: bool
    mfa_enabled: bool
    mfa_verified: bool
    roles: list[GrantOut]
    permissions: list[str]


class ProfileIn(StrictIn):
    full_name: str | None = Field(None, max_length=150, examples=["Li Wei"])
    phone: str | None = Field(None, max_length=32, examples=["+86 138 0013 8000"])
    preferred_language: str | None = Field(None, max_length=10, examples=["zh-hans"])


class AddressIn(StrictIn):
    label: str = Field("", max_length=40, examples=["Home"])
    recipient: str = Field(max_length=100, examples=["Li Wei"])
    phone: str = Field(max_length=32, examples=["+86 138 0013 8000"])
    line1: str = Field(max_length=200, examples=["No. 88 Century Avenue"])
    line2: str = Field("", max_length=200, examples=["Flat 1203"])
    city: str = Field(max_length=100, examples=["Shanghai"])
    region: str = Field(max_length=100, examples=["Shanghai"])
    postal_code: str = Field(max_length=16, description="six digits in China", examples=["200120"])
    country: str = Field("CN", max_length=2, description="ISO 3166-1 alpha-2 code of a country we ship to",
                         examples=["CN"])
    is_default: bool = False


class AddressOut(Schema):
    id: int
    label: str
    recipient: str
    phone: str
    line1: str
    line2: str
    city: str
    region: str
    postal_code: str
    country: str
    is_default: bool


class TotpSetupOut(Schema):
    secret: str
    otpauth_uri: str


class BackupCodesOut(Schema):
    backup_codes: list[str]


class ApiKeyIn(StrictIn):
    name: str = Field(max_length=80, examples=["warehouse sync"])
    merchant_id: int | None = None
    expires_at: datetime | None = None


class ApiKeyOut(Schema):
    id: int
    name: str
    prefix: str
    merchant_id: int | None
    owner_id: int
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


class ApiKeyCreatedOut(ApiKeyOut):
    secret: str = Field(description="Shown once; only a hash is kept.")


class GrantIn(StrictIn):
    role: str = Field(max_length=30, examples=["auditor"])
    merchant_id: int | None = None


class UserOut(Schema):
    id: int
    email: str
    full_name: str
    is_active: bool
    email_verified: bool
    roles: list[GrantOut]


class StaffIn(StrictIn):
    email: str = Field(max_length=254, json_schema_extra=_EMAIL, examples=["staff@example.com"])


class StaffOut(Schema):
    grant_id: int
    user_id: int
    email: str
    full_name: str
    role: str
