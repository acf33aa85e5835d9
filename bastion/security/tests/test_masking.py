"""Masking personal data and secrets in what security records keep (pure functions, no database)."""

from __future__ import annotations

import pytest

from bastion.security.masking import mask_personal_data, truncate


@pytest.mark.parametrize(("text", "masked"), [
    ("Matched Data: s&sos found within ARGS:q: lin.hao@example.com' or '1'='1",
     "Matched Data: s&sos found within ARGS:q: l***@example.com' or '1'='1"),
    ("card 4111 1111 1111 1111 and 5500-0000-0000-0004", "card [card …1111] and [card …0004]"),
    ("call +86 138 0013 8000 or (021) 6234-5678", "call [phone …00] or [phone …78]"),
    ("13800138000' union select 1", "[phone …00]' union select 1"),
    ("order 42, page 3, 1=1", "order 42, page 3, 1=1"),  # short numbers are not personal data
    ("<script>alert(1)</script>", "<script>alert(1)</script>"),
    ("nul\x00 bell\x07 lone \ud800 tab\t kept", "nul\\x00 bell\\x07 lone \\ud800 tab\t kept"),
])
def test_personal_data_is_masked_and_the_attack_kept(text, masked):
    assert mask_personal_data(text) == masked


@pytest.mark.parametrize("target", [
    "ARGS:password", "ARGS:json.new_password", "REQUEST_COOKIES:bastion-session", "REQUEST_HEADERS:Authorization",
    "ARGS_POST:csrfmiddlewaretoken", "REQUEST_HEADERS:X-Api-Key", "ARGS:json.code",
])
def test_values_of_secret_bearing_targets_are_dropped(target):
    for logdata in (f"Matched Data: hunter2' or 1=1 found within {target}: hunter2' or 1=1",
                    f"{target}=hunter2' or 1=1"):
        assert mask_personal_data(logdata) == f"[value masked: {target} holds a secret]"


def test_long_text_is_truncated_with_an_ellipsis():
    masked = mask_personal_data("' or 1=1 " * 100)
    assert len(masked) == 200 and masked.endswith("…")
    assert truncate("short", 10) == "short"
