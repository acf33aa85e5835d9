"""Small readers of rendered HTML for page tests: forms, their fields, elements by id."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Form:
    method: str
    action: str | None
    attrs: dict[str, str]
    inputs: dict[str, str] = field(default_factory=dict)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._open: Form | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._open = Form(method=attrs.get("method", "get").lower(), action=attrs.get("action"), attrs=attrs)
            self.forms.append(self._open)
        elif self._open is not None and tag in {"input", "select", "textarea", "button"} and "name" in attrs:
            self._open.inputs.setdefault(attrs["name"], attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = None


def forms_of(html: str | bytes) -> list[Form]:
    parser = _FormParser()
    parser.feed(html.decode() if isinstance(html, bytes) else html)
    return parser.forms


def post_forms(html: str | bytes) -> list[Form]:
    return [f for f in forms_of(html) if f.method == "post" or "hx-post" in f.attrs]


def csrf_token_of(html: str | bytes) -> str:
    tokens = {f.inputs["csrfmiddlewaretoken"] for f in post_forms(html) if "csrfmiddlewaretoken" in f.inputs}
    assert len(tokens) == 1, f"expected one CSRF token on the page, found {tokens}"
    return tokens.pop()


def field_errors(html: str | bytes, field_id: str) -> list[str]:
    """The error messages shown under one form field (rendered by templates/_form.html)."""

    class _Errors(HTMLParser):
        def __init__(self):
            super().__init__()
            self.messages: list[str] = []
            self._in = False

        def handle_starttag(self, tag, attrs):
            self._in = tag == "p" and dict(attrs).get("id") == f"{field_id}-error"
            if self._in:
                self.messages.append("")

        def handle_endtag(self, tag):
            self._in = False

        def handle_data(self, data):
            if self._in:
                self.messages[-1] += data

    parser = _Errors()
    parser.feed(html.decode() if isinstance(html, bytes) else html)
    return [m.strip() for m in parser.messages]


def text_of_id(html: str | bytes, element_id: str) -> str | None:
    """The text inside the element with this id (None when there is none)."""

    class _ById(HTMLParser):
        def __init__(self):
            super().__init__()
            self.depth = 0
            self.text: str | None = None

        def handle_starttag(self, tag, attrs):
            if tag in _VOID:
                return
            if self.depth:
                self.depth += 1
            elif dict(attrs).get("id") == element_id:
                self.depth, self.text = 1, ""

        def handle_endtag(self, tag):
            if self.depth:
                self.depth -= 1

        def handle_data(self, data):
            if self.depth:
                self.text += data

    parser = _ById()
    parser.feed(html.decode() if isinstance(html, bytes) else html)
    return parser.text
