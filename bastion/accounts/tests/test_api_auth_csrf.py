"""Session-authenticated API calls need CSRF; calls without a session are judged on their key alone."""

from __future__ import annotations

import pytest
from django.test import Client

from bastion.accounts.models import Address
from bastion.testing.world import client_for

ADDRESS = {"recipient": "Li Wei", "phone": "+86 138 0013 8000", "line1": "No. 1 Nanjing Road", "city": "Shanghai",
           "region": "Shanghai", "postal_code": "200001", "country": "CN"}


@pytest.mark.django_db
def test_anonymous_unsafe_call_is_401_not_a_csrf_complaint():
    response = Client(enforce_csrf_checks=True).post("/api/v1/me/addresses", ADDRESS, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.django_db
def test_bad_bearer_key_is_401_even_with_csrf_enforced():
    response = Client(enforce_csrf_checks=True).post("/api/v1/me/addresses", ADDRESS, content_type="application/json",
                                                     HTTP_AUTHORIZATION="Bearer bst_000000000000_nope")
    assert response.status_code == 401


@pytest.mark.django_db
def test_session_call_without_csrf_token_is_refused_and_changes_nothing(world):
    client = client_for(world.shopper, enforce_csrf_checks=True)
    response = client.post("/api/v1/me/addresses", ADDRESS, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert not Address.objects.filter(user=world.shopper).exists()


@pytest.mark.django_db
def test_session_call_with_csrf_token_succeeds(world):
    client = client_for(world.shopper, enforce_csrf_checks=True)
    token = client.get("/api/v1/auth/csrf").cookies["bastion-csrf"].value
    response = client.post("/api/v1/me/addresses", ADDRESS, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201
    assert Address.objects.filter(user=world.shopper).count() == 1
