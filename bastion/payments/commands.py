"""What the `bastion payments ...` and `bastion sandbox-gateway` subcommands run (cli.py stays thin)."""

from __future__ import annotations

import argparse

from rich.console import Console
from rich.table import Table


def reconcile(args: argparse.Namespace) -> int:
    from bastion.payments.reconcile import reconcile as run

    findings = run()
    if not findings:
        Console().print("[green]Every open payment matches the gateway.[/green]")
        return 0
    table = Table(title="Payment reconciliation")
    for column in ("payment", "reference", "provider id", "field", "bastion", "gateway"):
        table.add_column(column)
    for f in findings:
        table.add_row(str(f.payment_id), f.reference, f.provider_id, f.field, f.bastion, f.gateway)
    Console().print(table)
    return 1


def sandbox_gateway(args: argparse.Namespace) -> int:
    """Django is read only for default secrets and URLs; the gateway itself runs without it."""
    from pathlib import Path

    from django.conf import settings

    from bastion.sandbox.gateway import Config, serve

    config = Config(secret_key=args.secret_key or settings.PAYMENT_GATEWAY_SECRET_KEY,
                    webhook_url=settings.SANDBOX_WEBHOOK_URL if args.webhook_url is None else args.webhook_url,
                    webhook_secret=args.webhook_secret or settings.PAYMENT_WEBHOOK_SECRET,
                    duplicate_probability=args.duplicate_probability, timeout_delay=args.timeout_delay,
                    retry_base=args.retry_base, state_file=Path(args.state_file) if args.state_file else None)
    serve(config, host=args.host, port=args.port)
    return 0
