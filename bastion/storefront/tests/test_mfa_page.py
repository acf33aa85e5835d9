"""The two-step sign-in page: setting up an authenticator, backup codes, turning it off."""

from __future__ import annotations

import re
from base64 import b32decode

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from bastion.accounts.models import BackupCode
from bastion.accounts.tests.factories import UserFactory, grant, totp_code, totp_device
from bastion.audit.models import LedgerEntry
from bastion.storefront.tests.pages import field_errors, text_of_id
from bastion.testing.world import client_for

pytestmark = pytest.mark.django_db


def _backup_codes(html: bytes) -> list[str]:
    return re.findall(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>", html.decode())


def test_setup_page_shows_a_qr_code_and_the_secret():
    user = UserFactory()
    response = client_for(user).get("/account/mfa/")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<div class="qr" aria-hidden="true"><svg[^>]*xmlns="http://www.w3.org/2000/svg"', html)
    assert "<path" in html
    secret = text_of_id(response.content, "totp-secret")
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed is False
    assert b32decode(secret) == device.bin_key
    assert 'name="action" value="confirm"' in html


def test_confirming_a_correct_code_turns_mfa_on_and_shows_backup_codes():
    user = UserFactory()
    client = client_for(user)
    secret = text_of_id(client.get("/account/mfa/").content, "totp-secret")
    before = LedgerEntry.objects.count()
    code = f"{totp(b32decode(secret)):06d}"
    response = client.post("/account/mfa/", {"action": "confirm", "code": code})
    assert response.status_code == 200
    assert b"Your backup codes" in response.content
    codes = _backup_codes(response.content)
    assert len(codes) == 10 and len(set(codes)) == 10
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed is True
    assert BackupCode.objects.filter(user=user, used_at__isnull=True).count() == 10
    assert LedgerEntry.objects.count() == before + 1
    assert LedgerEntry.objects.order_by("-seq").first().action == "mfa.enabled"
    # The session now counts as verified and the page says MFA is on.
    page = client.get("/account/mfa/")
    assert b"Two-step sign-in is on." in page.content
    assert text_of_id(page.content, "totp-secret") is None
    assert client.get("/account/").content.count(b'<strong class="ok">on</strong>') == 1


def test_a_wrong_code_keeps_the_same_secret_and_changes_nothing():
    user = UserFactory()
    client = client_for(user)
    secret = text_of_id(client.get("/account/mfa/").content, "totp-secret")
    right = f"{totp(b32decode(secret)):06d}"
    before = LedgerEntry.objects.count()
    response = client.post("/account/mfa/", {"action": "confirm", "code": "000000" if right != "000000" else "111111"})
    assert response.status_code == 422
    assert field_errors(response.content, "id_code") == [
        "That code is not correct; check the time on your device and try again."]
    # The person keeps scanning the same QR code: the pending secret is not replaced.
    assert text_of_id(response.content, "totp-secret") == secret
    assert TOTPDevice.objects.filter(user=user).count() == 1
    assert TOTPDevice.objects.get(user=user).confirmed is False
    assert BackupCode.objects.filter(user=user).count() == 0
    assert LedgerEntry.objects.count() == before


def test_staff_without_mfa_sets_it_up_and_reaches_the_console():
    person = UserFactory(email="newop@example.com")
    grant(person, "operator")
    client = client_for(person)
    assert client.get("/console/")["Location"] == "/account/mfa/"
    secret = text_of_id(client.get("/account/mfa/").content, "totp-secret")
    response = client.post("/account/mfa/", {"action": "confirm", "code": f"{totp(b32decode(secret)):06d}"})
    assert response.status_code == 200
    assert len(_backup_codes(response.content)) == 10
    assert b'href="/console/"' in response.content  # "I have saved them" leads staff to the console
    assert client.get("/console/").status_code == 200


def test_new_backup_codes_need_a_valid_code_and_replace_the_old_ones():
    user = UserFactory()
    device = totp_device(user)
    client = client_for(user)
    first = _backup_codes(client.post("/account/mfa/", {"action": "regenerate", "code": totp_code(device)}).content)
    assert len(first) == 10
    refused = client.post("/account/mfa/", {"action": "regenerate", "code": "zzzzz-zzzzz"})
    assert refused.status_code == 422
    assert field_errors(refused.content, "id_code") == ["That code is not correct or was already used."]
    assert _backup_codes(refused.content) == []
    # A backup code works once, and regenerating with it replaces all ten.
    second = _backup_codes(client.post("/account/mfa/", {"action": "regenerate", "code": first[0]}).content)
    assert len(second) == 10 and not set(first) & set(second)
    assert client.post("/account/mfa/", {"action": "regenerate", "code": first[1]}).status_code == 422


def test_turning_mfa_off_needs_a_valid_code():
    user = UserFactory()
    device = totp_device(user)
    client = client_for(user)
    refused = client.post("/account/mfa/", {"action": "disable", "code": "zzzzz-zzzzz"})
    assert refused.status_code == 422
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1
    response = client.post("/account/mfa/", {"action": "disable", "code": totp_code(device)}, follow=True)
    assert response.redirect_chain == [("/account/mfa/", 302)]
    assert b"Two-step sign-in is off." in response.content
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_the_mfa_page_needs_a_signed_in_person(anon):
    response = anon.get("/account/mfa/")
    assert response.status_code == 302
    assert response["Location"] == "/signin/?next=/account/mfa/"
    assert TOTPDevice.objects.count() == 0
