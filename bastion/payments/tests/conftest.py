from __future__ import annotations

import threading

import pytest

from bastion.payments.providers.sandbox import SandboxProvider
from bastion.sandbox.gateway import Config, make_server


@pytest.fixture
def gateway():
    """The real sandbox gateway, in this process on a free port, sending no webhooks."""
    server, state = make_server(Config(secret_key="sk_test", timeout_delay=0.1), port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def provider(gateway) -> SandboxProvider:
    return SandboxProvider(base_url=gateway.config.public_url, secret_key="sk_test", webhook_secret="whsec")
