"""Sign-in by email, and Django-admin permissions from Bastion roles."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from bastion.core.roles import RoleName


class EmailRoleBackend(ModelBackend):
    def authenticate(self, request, email=None, password=None, **kwargs):
        if email is None:
            email = kwargs.get("username")
        if email is None or password is None:
            return None
        return super().authenticate(request, username=email.strip().lower(), password=password)

    # Only administrators reach Django admin models; the admin site also demands MFA.
    def has_perm(self, user_obj, perm, obj=None) -> bool:
        return user_obj.is_active and any(g.role == RoleName.ADMINISTRATOR for g in user_obj.grants)

    def has_module_perms(self, user_obj, app_label) -> bool:
        return self.has_perm(user_obj, app_label)

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        return set()

    get_user_permissions = get_group_permissions = get_all_permissions
