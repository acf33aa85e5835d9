from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "bastion.orders"
    label = "orders"
    verbose_name = "Orders"
