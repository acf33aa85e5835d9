"""RFC 6962 / 9162 Merkle functions, without a database: reference vectors and properties."""

from __future__ import annotations

import hashlib

from hypothesis import given, settings
from hypothesis import strategies as st

from bastion.audit import merkle

# The reference vectors of certificate-transparency's merkle_tree_test.cc (also used by RFC 9162
# implementations): eight leaf inputs, the root of every prefix, some paths and proofs.
LEAVES = [bytes.fromhex(h) for h in ("", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                                     "606162636465666768696a6b6c6d6e6f")]
ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
INCLUSION = [
    (0, 1, []),
    (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
]
CONSISTENCY = [
    (1, 1, []),
    (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
]
HASHED = [merkle.leaf_hash(data) for data in LEAVES]


def _leaves(n: int) -> list[bytes]:
    return [merkle.leaf_hash(i.to_bytes(8, "big")) for i in range(n)]


def _flip(h: bytes, bit: int) -> bytes:
    return h[: bit // 8] + bytes([h[bit // 8] ^ (1 << bit % 8)]) + h[bit // 8 + 1:]


def test_roots_of_every_prefix_match_the_reference():
    assert [merkle.root(HASHED[:n]).hex() for n in range(9)] == ROOTS
    assert hashlib.sha256(b"").digest() == merkle.EMPTY_ROOT


def test_leaf_and_node_hashes_are_domain_separated():
    assert merkle.leaf_hash(b"ab") == hashlib.sha256(b"\x00ab").digest()
    assert merkle.node_hash(b"a", b"b") == hashlib.sha256(b"\x01ab").digest()


def test_audit_paths_match_the_reference_and_verify():
    for index, size, expected in INCLUSION:
        path = merkle.inclusion_proof(index, HASHED[:size])
        assert [h.hex() for h in path] == expected
        assert merkle.verify_inclusion(HASHED[index], index, size, path, bytes.fromhex(ROOTS[size]))


def test_consistency_proofs_match_the_reference_and_verify():
    for first, second, expected in CONSISTENCY:
        proof = merkle.consistency_proof(first, HASHED[:second])
        assert [h.hex() for h in proof] == expected
        assert merkle.verify_consistency(first, second, bytes.fromhex(ROOTS[first]), bytes.fromhex(ROOTS[second]),
                                         proof)


def test_malformed_requests_are_refused():
    h = HASHED[0]
    assert not merkle.verify_inclusion(h, 3, 3, [], h)
    assert not merkle.verify_inclusion(h, 0, 0, [], h)
    assert not merkle.verify_inclusion(h[:31], 0, 1, [], h[:31])
    assert not merkle.verify_consistency(0, 3, h, h, [h])
    assert not merkle.verify_consistency(4, 3, h, h, [h])
    assert not merkle.verify_consistency(3, 3, h, h, [h])
    assert not merkle.verify_consistency(3, 3, h, HASHED[1], [])
    assert not merkle.verify_consistency(2, 3, h, h, [])
    for bad in (lambda: merkle.inclusion_proof(8, HASHED), lambda: merkle.inclusion_proof(-1, HASHED),
                lambda: merkle.consistency_proof(0, HASHED), lambda: merkle.consistency_proof(9, HASHED)):
        try:
            bad()
        except ValueError:
            continue
        raise AssertionError("a proof outside the tree was given")


def test_the_compact_tree_gives_the_root_of_every_prefix():
    leaves, tree = _leaves(70), merkle.CompactTree()
    assert tree.root() == merkle.EMPTY_ROOT
    for n, leaf in enumerate(leaves, start=1):
        tree.append(leaf)
        assert (tree.size, tree.root()) == (n, merkle.root(leaves[:n]))


def test_every_inclusion_and_consistency_proof_up_to_64_leaves_verifies():
    leaves = _leaves(64)
    roots = [merkle.root(leaves[:n]) for n in range(65)]
    for n in range(1, 65):
        for m in range(n):
            assert merkle.verify_inclusion(leaves[m], m, n, merkle.inclusion_proof(m, leaves[:n]), roots[n])
        for m in range(1, n + 1):
            assert merkle.verify_consistency(m, n, roots[m], roots[n], merkle.consistency_proof(m, leaves[:n]))


@st.composite
def _tree_and_index(draw):
    n = draw(st.integers(min_value=1, max_value=64))
    return n, draw(st.integers(min_value=0, max_value=n - 1))


@settings(max_examples=200, deadline=None)
@given(_tree_and_index(), st.data())
def test_a_flipped_bit_anywhere_breaks_an_inclusion_proof(tree, data):
    n, m = tree
    leaves = _leaves(n)
    root, path = merkle.root(leaves), merkle.inclusion_proof(m, leaves)
    assert merkle.verify_inclusion(leaves[m], m, n, path, root)
    bit = data.draw(st.integers(min_value=0, max_value=255))
    assert not merkle.verify_inclusion(_flip(leaves[m], bit), m, n, path, root)
    assert not merkle.verify_inclusion(leaves[m], m, n, path, _flip(root, bit))
    if path:
        j = data.draw(st.integers(min_value=0, max_value=len(path) - 1))
        assert not merkle.verify_inclusion(leaves[m], m, n, [*path[:j], _flip(path[j], bit), *path[j + 1:]], root)
        assert not merkle.verify_inclusion(leaves[m], m, n, path[:-1], root)
    assert not merkle.verify_inclusion(leaves[m], m, n, [*path, leaves[0]], root)
    other = data.draw(st.integers(min_value=0, max_value=n))
    if other != m and other < n and leaves[other] != leaves[m]:
        assert not merkle.verify_inclusion(leaves[m], other, n, path, root)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=2, max_value=64), st.data())
def test_a_flipped_bit_anywhere_breaks_a_consistency_proof(n, data):
    m = data.draw(st.integers(min_value=1, max_value=n - 1))
    leaves = _leaves(n)
    first, second, proof = merkle.root(leaves[:m]), merkle.root(leaves), merkle.consistency_proof(m, leaves)
    assert merkle.verify_consistency(m, n, first, second, proof)
    bit = data.draw(st.integers(min_value=0, max_value=255))
    assert not merkle.verify_consistency(m, n, _flip(first, bit), second, proof)
    assert not merkle.verify_consistency(m, n, first, _flip(second, bit), proof)
    j = data.draw(st.integers(min_value=0, max_value=len(proof) - 1))
    assert not merkle.verify_consistency(m, n, first, second, [*proof[:j], _flip(proof[j], bit), *proof[j + 1:]])
    assert not merkle.verify_consistency(m, n, first, second, proof[:-1])
    assert not merkle.verify_consistency(m, n, first, second, [*proof, leaves[0]])


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=2, max_value=64), st.data())
def test_a_changed_leaf_in_the_old_tree_breaks_consistency(n, data):
    """The point of the proof: a rewritten prefix cannot pass for an extension."""
    m = data.draw(st.integers(min_value=1, max_value=n - 1))
    leaves = _leaves(n)
    changed = list(leaves)
    changed[data.draw(st.integers(min_value=0, max_value=m - 1))] = merkle.leaf_hash(b"forged")
    assert not merkle.verify_consistency(m, n, merkle.root(leaves[:m]), merkle.root(changed),
                                         merkle.consistency_proof(m, changed))
