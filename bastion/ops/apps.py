from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "bastion.ops"
    label = "ops"
    verbose_name = "Operations"
