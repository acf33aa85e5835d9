"""The `bastion audit …` subcommands, wired into bastion/cli.py. Each fails with one line of cause."""

from __future__ import annotations

import argparse
import json
import sys

from rich.console import Console

from bastion.audit.actions import LedgerDamaged, write_checkpoint
from bastion.audit.proofs import ProofUnavailable, consistency_proof_for, inclusion_proof_for
from bastion.audit.verify import verify_ledger

console = Console(stderr=True)


def verify(args: argparse.Namespace) -> int:
    report = verify_ledger()
    if not report.ok:
        raise SystemExit(report.cause)
    console.print(f"[green]Ledger sound:[/green] {report.entries} entries, {report.checkpoints} checkpoints "
                  f"({report.witnessed} witnessed), root {report.root_hash}", highlight=False, soft_wrap=True)
    return 0


def checkpoint(args: argparse.Namespace) -> int:
    try:
        signed, created = write_checkpoint()
    except LedgerDamaged as exc:
        raise SystemExit(str(exc)) from exc
    if signed is None:
        console.print("The ledger is empty: nothing to sign.")
    elif created:
        console.print(f"[green]Checkpoint signed:[/green] tree size {signed.tree_size}, root {signed.root_hash}.",
                      highlight=False, soft_wrap=True)
    else:
        console.print(f"The ledger has not grown since checkpoint {signed.tree_size}: nothing new to sign.",
                      highlight=False, soft_wrap=True)
    return 0


def _print_json(proof: dict) -> None:
    sys.stdout.write(json.dumps(proof, indent=2, ensure_ascii=False) + "\n")


def proof_inclusion(args: argparse.Namespace) -> int:
    try:
        _print_json(inclusion_proof_for(seq=args.seq, tree_size=args.tree_size))
    except ProofUnavailable as exc:
        raise SystemExit(str(exc)) from exc
    return 0


def proof_consistency(args: argparse.Namespace) -> int:
    try:
        _print_json(consistency_proof_for(first=args.first, second=args.second))
    except ProofUnavailable as exc:
        raise SystemExit(str(exc)) from exc
    return 0
