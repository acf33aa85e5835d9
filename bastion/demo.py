"""Demo data: merchants with staff and catalogs, one person per role, shoppers with addresses. Idempotent."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from rich.console import Console
from rich.table import Table

from bastion.accounts.actions.profile import add_address
from bastion.accounts.actions.roles import bootstrap_grant
from bastion.accounts.models import Address
from bastion.accounts.staff import ensure_person
from bastion.catalog.generate import seed_demo_catalog
from bastion.core.roles import RoleName
from bastion.merchants.actions import create_merchant
from bastion.merchants.models import Merchant
from bastion.orders.demo import seed_demo_orders
from bastion.shipping.demo import seed_demo_shipping

DEMO_PASSWORD = "Bastion-demo-2026"

MERCHANTS = [
    ("Jade River Tea Co.", "Jade River Tea Co., Ltd. (Hangzhou)", "hello@jaderiver.example"),
    ("Northwind Outfitters", "Northwind Outfitters Trading (Shanghai) Ltd.", "shop@northwind.example"),
    ("Lotus Electronics", "Shenzhen Lotus Electronics Co., Ltd.", "sales@lotus-electronics.example"),
]

STAFF = [
    ("admin@bastion.example", "Chen Jing", RoleName.ADMINISTRATOR, None),
    ("ops@bastion.example", "Wang Lei", RoleName.OPERATOR, None),
    ("security@bastion.example", "Liu Yang", RoleName.SECURITY_OFFICER, None),
    ("auditor@bastion.example", "Sarah Mitchell", RoleName.AUDITOR, None),
    ("owner@jaderiver.example", "Zhou Mei", RoleName.MERCHANT_OWNER, "Jade River Tea Co."),
    ("staff@jaderiver.example", "Huang Tao", RoleName.MERCHANT_STAFF, "Jade River Tea Co."),
    ("owner@northwind.example", "Daniel Brooks", RoleName.MERCHANT_OWNER, "Northwind Outfitters"),
    ("staff@northwind.example", "Xu Fang", RoleName.MERCHANT_STAFF, "Northwind Outfitters"),
    ("owner@lotus-electronics.example", "Lin Hao", RoleName.MERCHANT_OWNER, "Lotus Electronics"),
    ("staff@lotus-electronics.example", "Guo Ying", RoleName.MERCHANT_STAFF, "Lotus Electronics"),
]

SHOPPERS = [
    ("li.wei@example.com", "Li Wei", "+86 138 0013 8000",
     {"recipient": "Li Wei", "line1": "Room 1203, No. 88 Century Avenue", "city": "Shanghai",
      "region": "Shanghai", "postal_code": "200120"}),
    ("zhang.min@example.com", "Zhang Min", "+86 139 1088 2233",
     {"recipient": "Zhang Min", "line1": "No. 5 Jianguomenwai Street, Chaoyang District", "city": "Beijing",
      "region": "Beijing", "postal_code": "100022"}),
    ("emma.johnson@example.com", "Emma Johnson", "+86 186 2157 6610",
     {"recipient": "Emma Johnson", "line1": "No. 18 Wensan Road, Xihu District", "city": "Hangzhou",
      "region": "Zhejiang", "postal_code": "310012"}),
]


@dataclass(frozen=True)
class Login:
    email: str
    role: str
    where: str


def seed_demo(progress_console: Console | None = None) -> list[Login]:
    console = progress_console or Console(stderr=True)
    logins: list[Login] = []
    with console.status("Seeding demo data…"), transaction.atomic():
        for name, legal, contact in MERCHANTS:
            if not Merchant.objects.filter(name=name).exists():
                create_merchant(name=name, legal_name=legal, contact_email=contact, actor="system:seed-demo")
        for email, full_name, role, merchant_name in STAFF:
            user, _ = ensure_person(email=email, password=DEMO_PASSWORD, full_name=full_name)
            merchant = Merchant.objects.get(name=merchant_name) if merchant_name else None
            bootstrap_grant(user=user, role=role, merchant=merchant, actor_label="system:seed-demo")
            logins.append(Login(email, role.value, f"/seller/ ({merchant_name})" if merchant else "/console/"))
        for email, full_name, phone, address in SHOPPERS:
            user, _ = ensure_person(email=email, password=DEMO_PASSWORD, full_name=full_name, phone=phone)
            if not Address.objects.filter(user=user).exists():
                add_address(user=user, data={**address, "phone": phone, "country": "CN", "label": "Home"})
            logins.append(Login(email, "shopper", "/account/"))
        seed_demo_catalog()
        seed_demo_shipping()
        seed_demo_orders(shopper_emails=[email for email, *_ in SHOPPERS])
    return logins


def print_logins(logins: list[Login]) -> None:
    table = Table(title=f"Demo logins (password for all: {DEMO_PASSWORD})")
    for column in ("email", "role", "start at"):
        table.add_column(column)
    for login in logins:
        table.add_row(login.email, login.role, login.where)
    Console().print(table)
    Console().print("Staff accounts set up two-step sign-in (an authenticator app) at their first sign-in.")
