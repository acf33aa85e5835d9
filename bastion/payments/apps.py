from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "bastion.payments"
    label = "payments"
    verbose_name = "Payments"

    def ready(self) -> None:
        from bastion.payments import checks  # noqa: F401 (registers the deployment check)
