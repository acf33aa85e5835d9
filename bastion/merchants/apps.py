from django.apps import AppConfig


class MerchantsConfig(AppConfig):
    name = "bastion.merchants"
    label = "merchants"
    verbose_name = "Merchants"
