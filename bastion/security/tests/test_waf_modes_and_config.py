"""Modes, settings validation, missing rules, the status function and where the middleware sits."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings

from bastion.accounts.models import User
from bastion.accounts.tests.apicalls import problem
from bastion.security.checks import WAF_MIDDLEWARE, waf_ready
from bastion.security.models import SecurityEvent
from bastion.security.waf.middleware import WafMiddleware
from bastion.security.waf.status import waf_status

ATTACK = {"email": "ann@example.com", "password": "tangerine lighthouse at dusk 1987",
          "full_name": "Ann' UNION SELECT password FROM accounts_user --"}


def _register(body: dict) -> HttpResponse:
    return Client().post("/api/v1/auth/register", json.dumps(body), content_type="application/json")


@pytest.mark.django_db
@override_settings(WAF_MODE="detect")
def test_detect_mode_lets_the_attack_through_and_records_it(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _register(ATTACK)
    assert response.status_code == 202  # the application answered
    assert User.objects.get().full_name == ATTACK["full_name"]
    events = SecurityEvent.objects.filter(request_id=response["X-Request-ID"])
    assert events.exists()
    assert set(events.values_list("action", flat=True)) == {"detected"}
    assert events.filter(rule_id=942100).exists()
    assert waf_status().state == "detecting"


@pytest.mark.django_db
@override_settings(WAF_MODE="off")
def test_off_mode_inspects_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert _register(ATTACK).status_code == 202
    assert SecurityEvent.objects.count() == 0
    status = waf_status()
    assert (status.state, status.rules_loaded, status.ready) == ("off", 0, True)


def test_status_of_the_running_waf():
    status = waf_status()
    assert (status.state, status.mode, status.paranoia_level, status.anomaly_threshold) == ("blocking", "block", 1, 5)
    assert status.rules_loaded > 400
    assert status.degraded_reason == ""
    assert status.engine_version.startswith("ModSecurity v3")
    assert status.ready


@pytest.mark.parametrize("level", [0, 5, "2", True, None])
def test_an_unknown_paranoia_level_refuses_to_start(level):
    with override_settings(WAF_PARANOIA_LEVEL=level), pytest.raises(ImproperlyConfigured) as error:
        WafMiddleware(lambda request: HttpResponse())
    assert str(error.value) == (
        f"WAF_PARANOIA_LEVEL must be 1, 2, 3 or 4 (the OWASP Core Rule Set paranoia levels), not {level!r}")
    with override_settings(WAF_PARANOIA_LEVEL=level):
        assert waf_status().state == "misconfigured"
        assert [problem.id for problem in waf_ready(None)] == ["bastion.security.E001"]


@pytest.mark.parametrize(("name", "value"), [("WAF_MODE", "monitor"), ("WAF_INBOUND_ANOMALY_THRESHOLD", 0)])
def test_other_invalid_settings_refuse_to_start(name, value):
    with override_settings(**{name: value}), pytest.raises(ImproperlyConfigured, match=name):
        WafMiddleware(lambda request: HttpResponse())


@pytest.mark.django_db
def test_paranoia_level_two_is_stricter(anon):
    query, browser = {"search": "ORDER BY 1--"}, {"HTTP_USER_AGENT": "Mozilla/5.0", "HTTP_ACCEPT": "*/*"}
    assert anon.get("/api/v1/users", query, **browser).status_code == 401  # level 1: the application's answer
    with override_settings(WAF_PARANOIA_LEVEL=2):
        response = anon.get("/api/v1/users", query, **browser)
    problem(response, 403, "waf_blocked")
    assert list(SecurityEvent.objects.values_list("rule_id", "action")) == [(942380, "blocked")]


@pytest.mark.parametrize("missing", ["WAF_RULES_DIR", "WAF_CRS_SETUP"])
def test_missing_rules_refuse_to_start_in_production(missing, tmp_path):
    with override_settings(PRODUCTION=True, **{missing: str(tmp_path / "nothing-here")}):
        with pytest.raises(ImproperlyConfigured, match="The web application firewall cannot start"):
            WafMiddleware(lambda request: HttpResponse())
        assert waf_status().state == "misconfigured"


def test_missing_rules_in_test_mode_run_degraded_loudly(tmp_path, caplog):
    request = RequestFactory().get("/api/v1/users", {"search": "' OR '1'='1"})
    with override_settings(WAF_RULES_DIR=str(tmp_path)), caplog.at_level(logging.CRITICAL):
        middleware = WafMiddleware(lambda request: HttpResponse("the application"))
        assert middleware(request).content == b"the application"
        status = waf_status()
        assert (status.state, status.ready, status.rules_loaded) == ("degraded", False, 0)
        assert status.degraded_reason == f"{tmp_path} holds no Core Rule Set request rules (REQUEST-*.conf)"
        assert [problem.id for problem in waf_ready(None)] == ["bastion.security.W001"]
    assert f"WAF DEGRADED: {tmp_path} holds no Core Rule Set request rules" in caplog.text


def test_production_may_explicitly_run_without_rules(tmp_path):
    with override_settings(PRODUCTION=True, WAF_ALLOW_MISSING_RULES=True, WAF_RULES_DIR=str(tmp_path)):
        WafMiddleware(lambda request: HttpResponse())
        assert waf_status().state == "degraded"


def test_the_wsgi_application_refuses_to_start_in_production_without_rules(tmp_path):
    """The real start-up path: a production process loading the WSGI application."""
    env = {**os.environ, "BASTION_ENV": "production", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "shop.example",
           "BASTION_VAR_DIR": str(tmp_path), "WAF_RULES_DIR": str(tmp_path / "no-crs"),
           "DJANGO_SETTINGS_MODULE": "bastion.settings", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    env.pop("REDIS_URL", None)
    result = subprocess.run([sys.executable, "-c", "import bastion.wsgi"], env=env, capture_output=True, text=True,
                            timeout=120, cwd=Path(settings.BASE_DIR))
    assert result.returncode != 0
    assert "ImproperlyConfigured: The web application firewall cannot start" in result.stderr
    assert f"the Core Rule Set directory {tmp_path / 'no-crs'} does not exist" in result.stderr


# Middleware that may run before the WAF: they tag the request or rewrite responses, and never read
# what the client sent. Everything else (body size, sessions, CSRF, authentication, views) runs after.
# Only middleware that never reads the request may run first; metrics count refused requests too.
BEFORE_THE_WAF = {"bastion.core.middleware.RequestIdMiddleware", "bastion.core.middleware.ApiProblemMiddleware",
                  "bastion.ops.metrics.MetricsMiddleware"}


def test_the_waf_runs_before_anything_reads_the_request():
    middleware = settings.MIDDLEWARE
    assert middleware[0] == "bastion.core.middleware.RequestIdMiddleware"
    assert set(middleware[:middleware.index(WAF_MIDDLEWARE)]) <= BEFORE_THE_WAF
    assert waf_ready(None) == []
    with override_settings(MIDDLEWARE=[m for m in middleware if m != WAF_MIDDLEWARE]):
        assert [problem.id for problem in waf_ready(None)] == ["bastion.security.E002"]
