from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from bastion.accounts.models import Address, RoleGrant, User
from bastion.core.roles import RoleName


def addresses_of(user: User) -> QuerySet[Address]:
    return Address.objects.filter(user=user)


def grants_of(user: User) -> QuerySet[RoleGrant]:
    return RoleGrant.objects.filter(user=user).select_related("merchant").order_by("role", "merchant__name")


def staff_of_merchant(merchant_id: int) -> QuerySet[RoleGrant]:
    return (RoleGrant.objects.filter(merchant_id=merchant_id).select_related("user")
            .order_by("role", "user__email"))


def staff_mfa_coverage() -> dict[str, int]:
    """How many staff people exist and how many have a confirmed authenticator."""
    staff = User.objects.filter(role_grants__isnull=False).distinct()
    with_mfa = staff.filter(totpdevice__confirmed=True).distinct().count()
    return {"staff": staff.count(), "with_mfa": with_mfa}


def people_with_roles(search: str = "") -> QuerySet[User]:
    people = User.objects.annotate(grant_count=Count("role_grants")).prefetch_related("role_grants__merchant")
    if search:
        people = people.filter(Q(email__icontains=search) | Q(full_name__icontains=search))
    return people.order_by("-grant_count", "email")


def count_by_role() -> dict[str, int]:
    counts = dict(RoleGrant.objects.values_list("role").annotate(n=Count("id")).values_list("role", "n"))
    return {role.value: counts.get(role.value, 0) for role in RoleName if role != RoleName.SHOPPER}
