from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "bastion.security"
    label = "security"
    verbose_name = "Security"

    def ready(self) -> None:
        from bastion.security import checks  # noqa: F401  (registers the WAF system checks)
