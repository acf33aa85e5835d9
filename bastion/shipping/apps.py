from django.apps import AppConfig


class ShippingConfig(AppConfig):
    name = "bastion.shipping"
    label = "shipping"
    verbose_name = "Shipping"
