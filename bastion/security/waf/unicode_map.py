"""The Unicode map that keeps Chinese text from looking like SQL to the Core Rule Set.

Many CRS rules decode input with t:utf8toUnicode then t:urlDecodeUni. Without a map, libmodsecurity
3.0.x turns each %uXXXX back into its LOWEST BYTE: 渢 (U+6E22) becomes '"', 嶫 (U+5DAB) '«', and
about one in three hundred strings of common Chinese characters and punctuation reaches libinjection
as an SQL injection (rule 942100, a block; CRS issue #1648). ModSecurity's own later fix maps every character without an ASCII
equivalent to the placeholder 'x'; this map does the same on the version we run:

  U+FF01-U+FF5E (full-width ASCII) → its ASCII twin, as ModSecurity already does (evasion stays visible);
  every other character from U+0080 up → 'x', a letter, which is how SQL, HTML and JS parsers see it.

The map is generated, handed to SecUnicodeMapFile while the rules compile, and deleted.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

CODE_PAGE = 20127  # US-ASCII; the number only has to match between the file and the directive
_PLACEHOLDER = ord("x")
_FULL_WIDTH = range(0xFF01, 0xFF5F)


def _mapping() -> str:
    pairs = (
        f"{code:04x}:{(code - 0xFF01 + 0x21) if code in _FULL_WIDTH else _PLACEHOLDER:02x}"
        for code in range(0x80, 0x10000)
    )
    return f"{CODE_PAGE}\n" + "\n".join(pairs) + "\n"


@contextlib.contextmanager
def unicode_map_file() -> Iterator[Path]:
    """A temporary map file, removed once the rules that name it are compiled."""
    handle, name = tempfile.mkstemp(prefix="bastion-waf-", suffix=".mapping")
    try:
        with os.fdopen(handle, "w", encoding="ascii") as stream:
            stream.write(_mapping())
        yield Path(name)
    finally:
        Path(name).unlink(missing_ok=True)
