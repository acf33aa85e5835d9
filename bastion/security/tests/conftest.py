"""The WAF's own tests need the OWASP Core Rule Set (Debian's modsecurity-crs).

`make test` installs it when it can (root with apt). Where it cannot, the tests that send
attacks skip with the reason; CI sets BASTION_REQUIRE_WAF=1 so they can never skip there.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings

NEEDS_RULES = {"test_waf_attacks", "test_waf_legitimate_traffic"}


@pytest.fixture(autouse=True)
def _core_rule_set_present(request):
    module = request.node.module.__name__.rsplit(".", 1)[-1]
    if module in NEEDS_RULES and not Path(settings.WAF_RULES_DIR).is_dir():
        if os.environ.get("BASTION_REQUIRE_WAF") == "1":
            pytest.fail(f"OWASP CRS missing at {settings.WAF_RULES_DIR} and BASTION_REQUIRE_WAF=1")
        pytest.skip(f"OWASP CRS not installed at {settings.WAF_RULES_DIR} (apt-get install modsecurity-crs)")
