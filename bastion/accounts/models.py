"""People, their addresses, their role grants and their API keys."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils.crypto import salted_hmac

from bastion.core.roles import ROLES, Grant, RoleName


class UserManager(BaseUserManager):
    def get_by_natural_key(self, email: str) -> User:
        return self.get(email=email.strip().lower())


class User(AbstractBaseUser):
    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    phone = models.CharField(max_length=32, blank=True)
    preferred_language = models.CharField(max_length=10, default="en")
    is_active = models.BooleanField(default=True)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    date_joined = models.DateTimeField()
    # Raising this ends every session of the person (sign out everywhere, privilege change).
    session_generation = models.PositiveIntegerField(default=0)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    def __str__(self) -> str:
        return self.email

    def _get_session_auth_hash(self, secret=None) -> str:
        # Django ties a session to this hash; including the generation lets us end all sessions
        # without knowing the session backend (database or Redis).
        return salted_hmac(
            "bastion.accounts.User.session_auth_hash",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    @property
    def grants(self) -> list[Grant]:
        cached = getattr(self, "_grants_cache", None)
        if cached is None:
            cached = [Grant(RoleName(g.role), g.merchant_id) for g in self.role_grants.all()]
            self._grants_cache = cached
        return cached

    @property
    def is_staff(self) -> bool:
        return any(ROLES[g.role].is_staff for g in self.grants)

    @property
    def is_email_verified(self) -> bool:
        return self.email_verified_at is not None

    # Django admin asks these; the role backend answers (administrators only).
    def has_perm(self, perm: str, obj=None) -> bool:
        from django.contrib.auth import get_backends

        return self.is_active and any(
            hasattr(b, "has_perm") and b.has_perm(self, perm, obj) for b in get_backends()
        )

    def has_module_perms(self, app_label: str) -> bool:
        return self.has_perm(f"{app_label}.*")


class RoleGrant(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=30, choices=[(r.value, ROLES[r].label) for r in RoleName
                                                     if r != RoleName.SHOPPER])
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="role_grants")
    granted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    granted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "merchant"], name="uniq_role_grant_scoped"),
            models.UniqueConstraint(fields=["user", "role"], condition=models.Q(merchant__isnull=True),
                                    name="uniq_role_grant_global"),
            models.CheckConstraint(
                condition=(models.Q(role__in=["merchant_owner", "merchant_staff"], merchant__isnull=False)
                           | (~models.Q(role__in=["merchant_owner", "merchant_staff"]) & models.Q(merchant__isnull=True))),
                name="role_grant_scope_matches_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.role}@{self.merchant_id or '*'}"


class Address(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="addresses")
    label = models.CharField(max_length=40, blank=True)
    recipient = models.CharField(max_length=100)
    phone = models.CharField(max_length=32)
    line1 = models.CharField(max_length=200)
    line2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100)
    region = models.CharField(max_length=100, help_text="province, state or region")
    postal_code = models.CharField(max_length=16)
    country = models.CharField(max_length=2, default="CN")
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-is_default", "id"]

    def __str__(self) -> str:
        return f"{self.recipient}, {self.city}"


class ApiKey(models.Model):
    """A key for an integration. Only a SHA-256 of the secret is kept; the secret is shown once."""

    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_keys")
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="api_keys")
    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"


class BackupCode(models.Model):
    """One-time MFA backup codes, stored as SHA-256 hashes; a used code stays, marked used."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="backup_codes")
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "code_hash"], name="uniq_backup_code")]

    def __str__(self) -> str:
        return f"backup code of user {self.user_id} ({'used' if self.used_at else 'unused'})"
