from django.apps import AppConfig


class SellerConfig(AppConfig):
    name = "bastion.seller"
    label = "seller"
