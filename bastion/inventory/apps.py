from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "bastion.inventory"
    label = "inventory"
    verbose_name = "Inventory"
