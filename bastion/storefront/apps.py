from django.apps import AppConfig


class StorefrontConfig(AppConfig):
    name = "bastion.storefront"
    label = "storefront"
