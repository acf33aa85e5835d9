"""Exportable proofs: one entry is in a signed tree, or one signed tree extends another.

Why self-contained JSON: an auditor checks a proof with tools/verify_ledger_proof.py (standard
library and `cryptography` only) without database access and without trusting Bastion's code.
An inclusion proof carries the entry's hashed fields, so the verifier recomputes the entry hash
and the leaf itself; both kinds carry the signed checkpoints and the public key, which the
auditor should pin (`--public-key`) rather than take from the proof.
"""

from __future__ import annotations

from typing import Any

from bastion.audit import merkle, queries, signing
from bastion.audit.chain import entry_leaf_hash, entry_material
from bastion.audit.models import Checkpoint
from bastion.audit.witness import checkpoint_record

INCLUSION = "bastion-ledger-inclusion-proof"
CONSISTENCY = "bastion-ledger-consistency-proof"


class ProofUnavailable(Exception):
    """No proof can be given for what was asked (one line, for the command line)."""


def _signed_tree(tree_size: int | None) -> Checkpoint:
    checkpoint = queries.latest_checkpoint() if tree_size is None else queries.checkpoint_at(tree_size)
    if checkpoint is None:
        raise ProofUnavailable("the ledger has no checkpoint yet: run `bastion audit checkpoint`" if tree_size is None
                               else f"no checkpoint at tree size {tree_size}: proofs are given against signed trees")
    return checkpoint


def _leaves(checkpoint: Checkpoint) -> list[bytes]:
    """The leaves of the checkpointed tree, refusing if they no longer hash to its signed root."""
    leaves = [entry_leaf_hash(h) for h in queries.entry_hashes(upto=checkpoint.tree_size)]
    if len(leaves) != checkpoint.tree_size or merkle.root(leaves).hex() != checkpoint.root_hash:
        raise ProofUnavailable(f"the ledger no longer matches checkpoint {checkpoint.tree_size}: "
                               "run `bastion audit verify`")
    return leaves


def _public_key_hex() -> str:
    return signing.raw_public_key(signing.load_signing_key(create=False).public_key()).hex()


def inclusion_proof_for(*, seq: int, tree_size: int | None = None) -> dict[str, Any]:
    """Entry #seq is leaf seq-1 of the checkpointed tree (the latest one unless `tree_size`)."""
    checkpoint = _signed_tree(tree_size)
    if not 1 <= seq <= checkpoint.tree_size:
        raise ProofUnavailable(f"entry #{seq} is not in the tree of size {checkpoint.tree_size}"
                               + ("; run `bastion audit checkpoint` first" if tree_size is None else ""))
    leaves = _leaves(checkpoint)
    entry = queries.entry_at(seq)
    return {
        "kind": INCLUSION,
        "leaf_index": seq - 1,
        "tree_size": checkpoint.tree_size,
        "entry": entry_material(seq=entry.seq, recorded_at=entry.recorded_at, actor=entry.actor,
                                action=entry.action, subject=entry.subject, payload=entry.payload,
                                prev_hash=entry.prev_hash),
        "entry_hash": entry.entry_hash,
        "audit_path": [h.hex() for h in merkle.inclusion_proof(seq - 1, leaves)],
        "root_hash": checkpoint.root_hash,
        "checkpoint": checkpoint_record(checkpoint),
        "public_key": _public_key_hex(),
    }


def consistency_proof_for(*, first: int, second: int) -> dict[str, Any]:
    """The checkpointed tree of size `first` is a prefix of the checkpointed tree of size `second`."""
    if not 0 < first <= second:
        raise ProofUnavailable(f"no consistency proof from tree size {first} to {second}: need 0 < M <= N")
    older, newer = _signed_tree(first), _signed_tree(second)
    leaves = _leaves(newer)
    if merkle.root(leaves[:first]).hex() != older.root_hash:
        raise ProofUnavailable(f"the ledger no longer matches checkpoint {first}: run `bastion audit verify`")
    return {
        "kind": CONSISTENCY,
        "first": checkpoint_record(older),
        "second": checkpoint_record(newer),
        "consistency_path": [h.hex() for h in merkle.consistency_proof(first, leaves)],
        "public_key": _public_key_hex(),
    }
