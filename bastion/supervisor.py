"""`bastion run`: start every process the shop needs, stop them all together.

If any process exits, the others are stopped and `run` exits with its code, so a broken part
is never left half-running behind a healthy-looking server.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass

from rich.console import Console

console = Console()


@dataclass
class Part:
    name: str
    argv: list[str]
    process: subprocess.Popen | None = None


def parts(host: str, port: int, workers: int) -> list[Part]:
    bastion = [sys.executable, "-m", "bastion.cli"]
    local = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104 (comparing, not binding)
    running = [
        Part("web", [*bastion, "serve", "--host", host, "--port", str(port), "--workers", str(workers)]),
        Part("worker", [*bastion, "worker"]),
        # The sandbox payment gateway, signing its webhooks to this server's endpoint.
        Part("payment-gateway", [*bastion, "sandbox-gateway", "--port", os.environ.get("SANDBOX_GATEWAY_PORT", "8701"),
                                 "--webhook-url", f"http://{local}:{port}/api/v1/payments/webhooks/sandbox"]),
    ]
    replication = _replication()
    if replication:
        running.append(Part("replication", replication))
    return running


def _replication() -> list[str] | None:
    """Litestream beside the server when the database is SQLite and a replica is configured."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bastion.settings")
    import django

    django.setup()
    from bastion.ops import litestream

    return litestream.replicate_argv() if litestream.enabled() else None


def _stop(running: list[Part]) -> None:
    for part in running:
        if part.process and part.process.poll() is None:
            part.process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 10
    for part in running:
        if part.process is None:
            continue
        try:
            part.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            part.process.kill()


def run_all(*, host: str, port: int, workers: int) -> int:
    running = parts(host, port, workers)
    stop_requested = False

    def request_stop(signum, frame):
        nonlocal stop_requested
        stop_requested = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    for part in running:
        part.process = subprocess.Popen(part.argv, env=os.environ.copy())  # noqa: S603 (our own argv)
        console.print(f"[cyan]started[/cyan] {part.name} (pid {part.process.pid})")
    base = f"http://{host}:{port}"
    console.rule("Bastion is running")
    console.print(f"  {'Pay sandbox':<14} http://127.0.0.1:{os.environ.get('SANDBOX_GATEWAY_PORT', '8701')} "
                  "(gateway API; card pages at /pay/<id>; test card 4242 4242 4242 4242)")
    for label, path in (("Storefront", "/"), ("Seller portal", "/seller/"), ("Console", "/console/"),
                        ("API docs", "/api/v1/docs"), ("OpenAPI", "/api/v1/openapi.json"), ("Admin", "/admin/"),
                        ("Health", "/healthz"), ("Readiness", "/readyz")):
        console.print(f"  {label:<14} {base}{path}")
    console.print("  Mail (development) is written to var/mail/. Press Ctrl-C to stop everything.")
    exit_code = 0
    while not stop_requested:
        for part in running:
            code = part.process.poll()
            if code is not None:
                console.print(f"[red]{part.name} exited with code {code}; stopping the rest[/red]")
                exit_code = code or 1
                stop_requested = True
                break
        time.sleep(0.5)
    _stop(running)
    console.print("[green]all processes stopped[/green]")
    return exit_code
