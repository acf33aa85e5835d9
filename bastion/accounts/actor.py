"""Who is acting: a person through a session or an integration through an API key."""

from __future__ import annotations

from dataclasses import dataclass

from bastion.core.errors import Forbidden, NotAuthenticated
from bastion.core.roles import Grant, Perm, has_permission, is_staff, merchants_with


@dataclass(frozen=True)
class Actor:
    user: object | None  # accounts.User; typed loosely so core-level code can hold one
    grants: tuple[Grant, ...] = ()
    mfa_verified: bool = False
    api_key_prefix: str | None = None

    @property
    def is_authenticated(self) -> bool:
        return self.user is not None

    @property
    def user_id(self) -> int | None:
        return getattr(self.user, "pk", None)

    @property
    def label(self) -> str:
        if self.api_key_prefix:
            return f"apikey:{self.api_key_prefix}"
        return f"user:{self.user_id}" if self.user is not None else "anonymous"

    @property
    def is_staff(self) -> bool:
        return is_staff(self.grants)

    def can(self, perm: Perm, merchant_id: int | None = None) -> bool:
        return self.mfa_verified and has_permission(self.grants, perm, merchant_id)

    def merchants_with(self, perm: Perm) -> set[int]:
        return merchants_with(self.grants, perm) if self.mfa_verified else set()

    def require_user(self) -> None:
        if self.user is None:
            raise NotAuthenticated()

    def require(self, perm: Perm, merchant_id: int | None = None) -> None:
        """Refuse unless the actor holds `perm` (for that merchant) with MFA satisfied."""
        self.require_user()
        if has_permission(self.grants, perm, merchant_id) and not self.mfa_verified:
            raise Forbidden("Staff access needs a second factor: set up or enter your authenticator code.",
                            code="mfa_required")
        if not self.can(perm, merchant_id):
            raise Forbidden(code="permission_denied")


ANONYMOUS = Actor(user=None)


def actor_for_user(user, *, mfa_verified: bool, api_key_prefix: str | None = None,
                   merchant_id: int | None = None) -> Actor:
    """An actor for a signed-in person; an API key bound to a merchant keeps only that merchant's grants."""
    grants = tuple(user.grants)
    if merchant_id is not None:
        grants = tuple(g for g in grants if g.merchant_id == merchant_id)
    # Shoppers need no second factor; staff permissions need one (API keys were issued under one).
    return Actor(user=user, grants=grants, mfa_verified=mfa_verified or not is_staff(grants),
                 api_key_prefix=api_key_prefix)


def actor_for_request(request) -> Actor:
    actor = getattr(request, "actor", None)
    if actor is not None:
        return actor
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    verified = bool(getattr(user, "is_verified", lambda: False)())
    return actor_for_user(user, mfa_verified=verified)
