"""RFC 6962 Merkle tree hash, audit paths and consistency proofs, and their RFC 9162 checks.

Why a tree on top of the hash chain: the chain proves the ledger to someone who re-reads all of
it; a Merkle tree lets an auditor check one entry (an inclusion proof) or that today's ledger
extends the one they saw last month (a consistency proof) with about log2(n) hashes, against a
signed root, without a copy of the ledger.

Everything here is pure: hashes are raw 32-byte `bytes` and a tree is given as the list of its
leaf hashes, so the caller decides what a leaf is (the ledger's choice: chain.entry_leaf_hash).
Generation follows RFC 6962 section 2.1 (MTH, PATH, PROOF/SUBPROOF) literally, on index ranges
instead of list slices; verification follows RFC 9162 sections 2.1.3.2 and 2.1.4.2.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    """SHA-256(0x00 || data): the prefix keeps a leaf from ever passing for an inner node."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1): the size of the left subtree."""
    return 1 << ((n - 1).bit_length() - 1)


def _subtree_root(leaves: Sequence[bytes], lo: int, hi: int) -> bytes:
    """MTH(D[lo:hi]) for hi > lo."""
    if hi - lo == 1:
        return leaves[lo]
    k = _split(hi - lo)
    return node_hash(_subtree_root(leaves, lo, lo + k), _subtree_root(leaves, lo + k, hi))


def root(leaves: Sequence[bytes]) -> bytes:
    """MTH(D[n]) over the given leaf hashes; the empty tree hashes to SHA-256 of nothing."""
    return _subtree_root(leaves, 0, len(leaves)) if leaves else EMPTY_ROOT


def inclusion_proof(index: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PATH(m, D[n]): the audit path of leaf `index` (0-based) in the tree of all `leaves`.

    RFC 6962 recurses and appends the sibling after the deeper path, so the list runs from the
    leaf's sibling up to the root's other child; walking top-down and reversing gives the same.
    """
    if not 0 <= index < len(leaves):
        raise ValueError(f"leaf {index} is not in a tree of size {len(leaves)}")
    path: list[bytes] = []
    lo, hi, m = 0, len(leaves), index
    while hi - lo > 1:
        k = _split(hi - lo)
        if m < k:
            path.append(_subtree_root(leaves, lo + k, hi))
            hi = lo + k
        else:
            path.append(_subtree_root(leaves, lo, lo + k))
            lo, m = lo + k, m - k
    path.reverse()
    return path


def consistency_proof(first: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PROOF(m, D[n]) = SUBPROOF(m, D[n], true): proves the tree of size `first` is a prefix.

    `whole` is SUBPROOF's b: true while the subtree we stand in is one the verifier already
    knows the root of (so its root need not be sent).
    """
    n = len(leaves)
    if not 0 < first <= n:
        raise ValueError(f"no consistency proof from size {first} to size {n}")
    proof: list[bytes] = []
    lo, hi, m, whole = 0, n, first, True
    while m != hi - lo:
        k = _split(hi - lo)
        if m <= k:
            proof.append(_subtree_root(leaves, lo + k, hi))
            hi = lo + k
        else:
            proof.append(_subtree_root(leaves, lo, lo + k))
            lo, m, whole = lo + k, m - k, False
    if not whole:
        proof.append(_subtree_root(leaves, lo, hi))
    proof.reverse()
    return proof


def _well_formed(hashes: Sequence[bytes]) -> bool:
    return all(isinstance(h, bytes) and len(h) == HASH_SIZE for h in hashes)


def verify_inclusion(leaf: bytes, index: int, tree_size: int, path: Sequence[bytes], expected_root: bytes) -> bool:
    """RFC 9162 section 2.1.3.2: does `path` lead from `leaf` at `index` to `expected_root`?"""
    if not 0 <= index < tree_size or not _well_formed([leaf, expected_root, *path]):
        return False
    fn, sn, r = index, tree_size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and hmac.compare_digest(r, expected_root)


def verify_consistency(first: int, second: int, first_root: bytes, second_root: bytes,
                       proof: Sequence[bytes]) -> bool:
    """RFC 9162 section 2.1.4.2: is the tree (first, first_root) a prefix of (second, second_root)?

    Equal sizes need an empty proof and equal roots (section 2.1.4.1); size 0 is refused, as
    the RFC defines proofs only for 0 < first.
    """
    if not 0 < first <= second or not _well_formed([first_root, second_root, *proof]):
        return False
    if first == second:
        return not proof and hmac.compare_digest(first_root, second_root)
    if not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and hmac.compare_digest(fr, first_root) and hmac.compare_digest(sr, second_root)


class CompactTree:
    """The roots of the perfect subtrees over the leaves appended so far (a "compact range").

    Why: verification streams the whole ledger once and needs MTH at every checkpoint size;
    recomputing each root from scratch is O(n) per checkpoint, this is O(log n) per leaf.
    An RFC 6962 tree is its perfect subtrees, largest first, folded from the right.
    """

    def __init__(self) -> None:
        self._stack: list[tuple[int, bytes]] = []
        self.size = 0

    def append(self, leaf: bytes) -> None:
        height, node = 0, leaf
        while self._stack and self._stack[-1][0] == height:
            node = node_hash(self._stack.pop()[1], node)
            height += 1
        self._stack.append((height, node))
        self.size += 1

    def root(self) -> bytes:
        if not self._stack:
            return EMPTY_ROOT
        r = self._stack[-1][1]
        for _, left in reversed(self._stack[:-1]):
            r = node_hash(left, r)
        return r
