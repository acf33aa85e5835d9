"""A real browser (Debian's Chromium, driven by Playwright) against a live server.

Sign up, confirm the address from the mail, sign in, turn on two-step sign-in with a code
computed from the secret on the page, sign out, and sign in again with a fresh code. Then the
address book, whose form posts through HTMX. A screenshot of each step is kept under
test-artifacts/browser/.

Without /usr/bin/chromium the tests skip with the reason, unless BASTION_REQUIRE_BROWSER=1 (CI),
where a missing browser is a failure.
"""

from __future__ import annotations

import os
import re
import time
from base64 import b32decode
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core import mail
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from bastion.accounts.models import Address, User
from bastion.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
NEW_PASSWORD = "lantern orchard velvet 42"


def _browser_missing(reason: str) -> None:
    if os.environ.get("BASTION_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}, and BASTION_REQUIRE_BROWSER=1 requires the browser tests")
    pytest.skip(f"{reason}: browser tests skipped (set BASTION_REQUIRE_BROWSER=1 to make this a failure)")


@pytest.fixture(scope="module")
def browser() -> Iterator:
    if not os.path.exists(CHROMIUM):
        _browser_missing(f"{CHROMIUM} is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _browser_missing("the Python package playwright is not installed")
    # Playwright's sync API keeps an event loop running in this thread while it is open. The
    # database calls made here meanwhile (test set-up, flushes, the tests' own queries) are plain
    # synchronous ones, so Django's guard against ORM calls from async code does not apply.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                yield browser
            finally:
                browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(30_000)  # generous: the suite may share the machine
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def _shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _fresh_code(key: bytes, device: TOTPDevice) -> str:
    """A code the server will accept now: from a time step after the last one used (a step works
    once), within one step of the device's clock (its drift is learnt at each use). Waits for the
    next 30 s step only when the last code used was already from the latest acceptable one."""
    while True:
        now = int(time.time()) // device.step + device.drift
        step = max(device.last_t + 1, now)
        if step <= now + 1:
            code = TOTP(key, step=device.step, digits=device.digits)
            code.time = step * device.step
            return f"{code.token():0{device.digits}d}"
        time.sleep(0.5)


def _sign_in(page, email: str, password: str) -> None:
    page.goto("/signin/")
    page.fill("#id_email", email)
    page.fill("#id_password", password)
    page.click("main form button[type=submit]")


def test_sign_up_confirm_turn_on_mfa_and_sign_in_with_a_code(page, live_server):
    from playwright.sync_api import expect

    email = "mei.browser@example.com"
    mail.outbox.clear()

    # 1. Sign up.
    page.goto("/signup/")
    page.fill("#id_full_name", "Mei Browser")
    page.fill("#id_email", email)
    page.fill("#id_password", NEW_PASSWORD)
    page.click("main form button[type=submit]")
    expect(page.locator("#check-mail h1")).to_have_text("Check your mail")
    expect(page.locator("#check-mail")).to_contain_text(email)
    _shot(page, "01-signed-up")

    # 2. The verification link from the mail (its host is SITE_URL; the path is what matters).
    [message] = [m for m in mail.outbox if m.to == [email]]
    path = re.search(r"https?://[^/\s]+(/verify-email/[^/\s]+/)", message.body).group(1)
    page.goto(path)
    _shot(page, "02-confirm-address")
    assert User.objects.get(email=email).email_verified_at is None  # opening the link confirms nothing
    page.click("main form button[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/signin/")
    expect(page.locator(".messages")).to_contain_text("Your email address is confirmed.")
    assert User.objects.get(email=email).email_verified_at is not None
    _shot(page, "03-address-confirmed")

    # 3. Sign in with the password alone (no second factor yet).
    _sign_in(page, email, NEW_PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/account/")
    expect(page.locator(".who")).to_have_text(email)
    _shot(page, "04-signed-in")

    # 4. Turn on two-step sign-in with a code computed from the secret shown on the page.
    page.goto("/account/mfa/")
    expect(page.locator(".qr svg")).to_be_visible()
    key = b32decode(page.locator("code#totp-secret").inner_text().strip())
    _shot(page, "05-mfa-setup")
    page.fill("#id_code", f"{totp(key):06d}")
    page.click("button[name=action][value=confirm]")
    expect(page.locator("h1")).to_have_text("Your backup codes")
    codes = page.locator("#backup-codes li code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-9]{5}-[a-z2-9]{5}", c) for c in codes)
    _shot(page, "06-backup-codes")

    # 5. Sign out.
    page.click("header .session form button[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator(".messages")).to_contain_text("You are signed out.")
    expect(page.locator(".who")).to_have_count(0)
    _shot(page, "07-signed-out")

    # 6. Sign in again: the password, then a code. The setup code's time step is spent, so use a
    #    later step's code (the server accepts one step either side).
    _sign_in(page, email, NEW_PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/signin/mfa/")
    _shot(page, "08-mfa-step")
    page.fill("#id_code", _fresh_code(key, TOTPDevice.objects.get(user__email=email, confirmed=True)))
    page.click("main form button[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/account/")
    expect(page.locator(".who")).to_have_text(email)
    expect(page.locator("strong.ok")).to_have_text("on")  # two-step sign-in: on
    _shot(page, "09-signed-in-with-mfa")


def test_address_book_through_htmx(page, live_server):
    from playwright.sync_api import expect

    user = UserFactory(email="htmx.browser@example.com")
    _sign_in(page, user.email, PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/account/")
    page.goto("/account/addresses/")
    page.wait_for_function("() => window.htmx !== undefined")
    loads = []
    page.on("load", lambda: loads.append(page.url))

    # An incomplete address: the 422 partial with the errors is swapped in, nothing is saved.
    page.click("#address-book form[hx-post='/account/addresses/'] button[type=submit]")
    expect(page.locator("#id_recipient-error")).to_have_text("This field is required.")
    assert Address.objects.filter(user=user).count() == 0
    _shot(page, "10-address-errors")

    form = page.locator("#address-book form[hx-post='/account/addresses/']")
    form.locator("#id_recipient").fill("Wang Fang")
    form.locator("#id_phone").fill("+86 139 0000 1111")
    form.locator("#id_line1").fill("12 Nanjing Road")
    form.locator("#id_city").fill("Shanghai")
    form.locator("#id_region").fill("Shanghai")
    form.locator("#id_postal_code").fill("200001")
    form.locator("button[type=submit]").click()
    expect(page.locator("#address-book ul.addresses li")).to_have_count(1)
    expect(page.locator("#address-book ul.addresses")).to_contain_text("12 Nanjing Road")
    expect(page.locator("#address-book .messages")).to_contain_text("Address added.")
    assert loads == []  # swapped in place, no page load
    assert Address.objects.filter(user=user).count() == 1
    _shot(page, "11-address-added")

    page.once("dialog", lambda dialog: dialog.accept())  # "Remove this address?"
    page.click("#address-book ul.addresses button.danger")
    expect(page.locator("#address-book")).to_contain_text("No addresses yet.")
    assert Address.objects.filter(user=user).count() == 0
    _shot(page, "12-address-removed")
