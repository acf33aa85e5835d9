"""System checks (`bastion check`, `manage.py check`): the WAF's settings and rules, before traffic arrives."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from bastion.security.waf.status import waf_status

WAF_MIDDLEWARE = "bastion.security.waf.middleware.WafMiddleware"


@register(Tags.security)
def waf_ready(app_configs, **kwargs):
    status = waf_status()
    problems = []
    if status.state == "misconfigured":
        problems.append(Error(status.degraded_reason, id="bastion.security.E001"))
    elif status.state == "degraded":
        problems.append(Warning(f"The web application firewall is degraded: {status.degraded_reason}.",
                                id="bastion.security.W001", hint="apt-get install modsecurity-crs"))
    if status.state != "off" and WAF_MIDDLEWARE not in settings.MIDDLEWARE:
        problems.append(Error("WAF_MODE is not off but the WAF middleware is not in MIDDLEWARE.",
                              id="bastion.security.E002",
                              hint=f"Put {WAF_MIDDLEWARE} right after RequestIdMiddleware."))
    return problems
