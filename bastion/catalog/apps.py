from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "bastion.catalog"
    label = "catalog"
    verbose_name = "Catalog"
