from django.apps import AppConfig


class CartConfig(AppConfig):
    name = "bastion.cart"
    label = "cart"
    verbose_name = "Cart"
