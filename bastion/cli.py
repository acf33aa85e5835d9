"""The `bastion` command. Each subcommand exits non-zero with one line of cause when it fails."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from rich.console import Console

console = Console(stderr=True)


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bastion.settings")
    import django

    django.setup()


def cmd_serve(args: argparse.Namespace) -> int:
    _setup_django()
    from django.conf import settings
    from django.core.management import call_command

    if settings.PRODUCTION:
        call_command("collectstatic", interactive=False, verbosity=0)
    # Each Granian worker writes its metrics here; /metrics adds them up (see bastion/ops/metrics.py).
    metrics_dir = Path(os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(settings.VAR_DIR / "prometheus")))
    shutil.rmtree(metrics_dir, ignore_errors=True)
    metrics_dir.mkdir(parents=True)
    argv = ["granian", "--interface", "wsgi", "--host", args.host, "--port", str(args.port),
            "--workers", str(args.workers), "--blocking-threads", str(args.threads), "--no-ws",
            "bastion.wsgi:application"]
    os.execvp(sys.executable, [sys.executable, "-m", *argv])  # noqa: S606 (replaces this process by design)
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    _setup_django()
    from django.core.management import call_command

    call_command("run_huey", workers=args.workers, worker_type="thread")
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    _setup_django()
    from django.core.management import call_command

    with console.status("Applying database migrations…"):
        call_command("migrate", interactive=False, verbosity=0)
    console.print("[green]Database schema is current.[/green]")
    return 0


def cmd_seed_demo(args: argparse.Namespace) -> int:
    _setup_django()
    from bastion.demo import print_logins, seed_demo

    logins = seed_demo(progress_console=console)
    print_logins(logins)
    return 0


def cmd_createstaff(args: argparse.Namespace) -> int:
    _setup_django()
    import getpass

    from bastion.accounts.staff import create_staff

    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass("Password: ")
    user = create_staff(email=args.email, password=password, role=args.role, merchant_slug=args.merchant,
                        full_name=args.name)
    console.print(f"[green]{user.email} is {args.role}{' of ' + args.merchant if args.merchant else ''}.[/green] "
                  "They must set up two-step sign-in at their first sign-in.")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    _setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from rich.table import Table

    from bastion.ops.readiness import check_components

    call_command("check", deploy=settings.PRODUCTION or args.deploy, fail_level="ERROR", databases=["default"])
    table = Table(title="Readiness")
    for column in ("component", "state", "detail"):
        table.add_column(column)
    components = check_components()
    for c in components:
        table.add_row(c.name, "[green]ok[/green]" if c.ok else "[red]failing[/red]", c.detail)
    Console().print(table)
    failing = [c.name for c in components if not c.ok]
    if failing:
        raise SystemExit(f"not ready: {', '.join(failing)}")
    return 0


def cmd_maintenance(args: argparse.Namespace) -> int:
    _setup_django()
    from bastion.ops import maintenance

    if args.state == "status":
        state = maintenance.current(fresh=True)
    else:
        state = maintenance.switch(enabled=args.state == "on", actor="system:cli", message=args.message)
    console.print(f"maintenance mode is {'on' if state.enabled else 'off'}"
                  f"{': ' + state.message if state.message else ''}", highlight=False, soft_wrap=True)
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from bastion.supervisor import run_all

    return run_all(host=args.host, port=args.port, workers=args.workers)


def cmd_manage(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bastion.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["bastion manage", *args.rest])
    return 0


def _backup_command(name: str):
    """A subcommand that sets Django up, then runs `bastion.ops.backups.commands.<name>`."""
    def run(args: argparse.Namespace) -> int:
        _setup_django()
        from bastion.ops.backups import commands

        return getattr(commands, name)(args)

    return run


def _add_backup_commands(sub) -> None:
    backup = sub.add_parser("backup", help="snapshot backups of the SQLite database: run, list, verify")
    backup_sub = backup.add_subparsers(dest="backup_command", required=True)
    run = backup_sub.add_parser("run", help="take a full, differential or incremental backup")
    run.add_argument("--type", required=True, choices=["full", "diff", "incr"])
    run.set_defaults(func=_backup_command("backup_run"))
    backup_sub.add_parser("list", help="the catalog of backups").set_defaults(func=_backup_command("backup_list"))
    verify = backup_sub.add_parser("verify", help="decrypt and check every chunk of a backup and its parents")
    verify.add_argument("id", help="backup id, or an unambiguous prefix such as its sequence number")
    verify.set_defaults(func=_backup_command("backup_verify"))

    restore = sub.add_parser("restore", help="rebuild the database file as it was at a backup or a time")
    restore.add_argument("--to", required=True, metavar="ID|TIME",
                         help="backup id, or a UTC time such as 2026-11-24T10:15:00Z (or 'latest') "
                              "to restore from the Litestream replica")
    restore.add_argument("--into", required=True, metavar="PATH", help="database file to write")
    restore.add_argument("--force", action="store_true", help="replace PATH if it exists")
    restore.set_defaults(func=_backup_command("restore"))


def _audit_command(name: str):
    """A subcommand that sets Django up, then runs `bastion.audit.commands.<name>`."""
    def run(args: argparse.Namespace) -> int:
        _setup_django()
        from bastion.audit import commands

        return getattr(commands, name)(args)

    return run


def _add_audit_commands(sub) -> None:
    audit = sub.add_parser("audit", help="the tamper-evident ledger: verify, checkpoint, proofs")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True)
    audit_sub.add_parser("verify", help="check the chain, every checkpoint and signature, and the witness file"
                         ).set_defaults(func=_audit_command("verify"))
    audit_sub.add_parser("checkpoint", help="sign a checkpoint of the ledger now (if it grew)"
                         ).set_defaults(func=_audit_command("checkpoint"))
    proof = audit_sub.add_parser("proof", help="print a JSON proof for tools/verify_ledger_proof.py")
    proof_sub = proof.add_subparsers(dest="proof_command", required=True)
    inclusion = proof_sub.add_parser("inclusion", help="entry SEQ is in a signed tree")
    inclusion.add_argument("seq", type=int, metavar="SEQ")
    inclusion.add_argument("--tree-size", type=int, metavar="N", help="a checkpointed tree size (default: latest)")
    inclusion.set_defaults(func=_audit_command("proof_inclusion"))
    consistency = proof_sub.add_parser("consistency", help="the signed tree of size M is a prefix of the one of size N")
    consistency.add_argument("first", type=int, metavar="M")
    consistency.add_argument("second", type=int, metavar="N")
    consistency.set_defaults(func=_audit_command("proof_consistency"))


def _payments_command(name: str):
    """A subcommand that sets Django up, then runs `bastion.payments.commands.<name>`."""
    def run(args: argparse.Namespace) -> int:
        _setup_django()
        from bastion.payments import commands

        return getattr(commands, name)(args)

    return run


def _add_payment_commands(sub) -> None:
    payments = sub.add_parser("payments", help="payments: reconcile with the gateway")
    payments_sub = payments.add_subparsers(dest="payments_command", required=True)
    payments_sub.add_parser("reconcile", help="compare every open payment with the gateway; exit 1 on differences"
                            ).set_defaults(func=_payments_command("reconcile"))
    gateway = sub.add_parser("sandbox-gateway", help="run the sandbox payment gateway (test cards, signed webhooks)")
    gateway.add_argument("--host", default="127.0.0.1")
    gateway.add_argument("--port", type=int, default=8701)
    gateway.add_argument("--secret-key", default=os.environ.get("PAYMENT_GATEWAY_SECRET_KEY"))
    gateway.add_argument("--webhook-url", default=os.environ.get("SANDBOX_WEBHOOK_URL"),
                         help="empty string: send no webhooks")
    gateway.add_argument("--webhook-secret", default=os.environ.get("PAYMENT_WEBHOOK_SECRET"))
    gateway.add_argument("--duplicate-probability", type=float,
                         default=float(os.environ.get("SANDBOX_DUPLICATE_PROBABILITY", "0.2")),
                         help="chance that a webhook is sent twice, and that one is delayed (reordered)")
    gateway.add_argument("--timeout-delay", type=float, default=3.0, help="seconds the timeout test card hangs")
    gateway.add_argument("--retry-base", type=float, default=0.5, help="first webhook retry delay, doubling")
    gateway.add_argument("--state-file", help="keep the gateway's state in this JSON file")
    gateway.set_defaults(func=_payments_command("sandbox_gateway"))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bastion", description="Bastion marketplace: run, operate, check.")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="serve HTTP with Granian (WSGI)")
    serve.add_argument("--host", default=os.environ.get("BASTION_HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(os.environ.get("BASTION_PORT", "8000")))
    serve.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "2")))
    serve.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "4")))
    serve.set_defaults(func=cmd_serve)

    worker = sub.add_parser("worker", help="run background and periodic jobs (huey)")
    worker.add_argument("--workers", type=int, default=int(os.environ.get("TASK_WORKERS", "2")))
    worker.set_defaults(func=cmd_worker)

    sub.add_parser("migrate", help="apply database migrations").set_defaults(func=cmd_migrate)
    sub.add_parser("seed-demo", help="create demo merchants and one person per role (idempotent)").set_defaults(
        func=cmd_seed_demo)

    staff = sub.add_parser("createstaff", help="create a staff account or give an existing one a role")
    staff.add_argument("--email", required=True)
    staff.add_argument("--role", required=True, help="merchant_owner, merchant_staff, operator, "
                                                     "security_officer, auditor or administrator")
    staff.add_argument("--merchant", help="merchant slug, for merchant roles")
    staff.add_argument("--name", default="")
    staff.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    staff.set_defaults(func=cmd_createstaff)

    check = sub.add_parser("check", help="system checks and readiness of every component")
    check.add_argument("--deploy", action="store_true", help="include Django's deployment checks")
    check.set_defaults(func=cmd_check)

    maintenance = sub.add_parser("maintenance", help="close the shop to shoppers (staff still get in), or reopen it")
    maintenance.add_argument("state", choices=["on", "off", "status"])
    maintenance.add_argument("--message", default="", help="shown to shoppers while maintenance is on")
    maintenance.set_defaults(func=cmd_maintenance)

    run = sub.add_parser("run", help="start every process the shop needs under one supervisor")
    run.add_argument("--host", default=os.environ.get("BASTION_HOST", "127.0.0.1"))
    run.add_argument("--port", type=int, default=int(os.environ.get("BASTION_PORT", "8000")))
    run.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "2")))
    run.set_defaults(func=cmd_run)

    manage = sub.add_parser("manage", help="run a Django management command")
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)
    _add_audit_commands(sub)
    _add_backup_commands(sub)
    _add_payment_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args) or 0
    except KeyboardInterrupt:
        return 130
    except SystemExit as exc:
        if isinstance(exc.code, str):
            console.print(f"bastion {args.command}: error: {exc.code}", highlight=False, markup=False, soft_wrap=True)
            return 1
        raise
    except Exception as exc:
        from django.core.exceptions import ImproperlyConfigured
        from django.core.management.base import CommandError

        from bastion.core.errors import Problem

        if isinstance(exc, (Problem, ImproperlyConfigured, CommandError)):
            console.print(f"bastion {args.command}: error: {exc}", highlight=False, markup=False, soft_wrap=True)
            return 1
        raise


if __name__ == "__main__":
    sys.exit(main())
