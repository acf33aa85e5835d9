"""When sessions end: sign out everywhere, privilege changes, password changes, idle and absolute timeouts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.db.models import F

from bastion.accounts.actions.profile import end_all_sessions
from bastion.accounts.middleware import SEEN_RESOLUTION_SECONDS
from bastion.accounts.models import User
from bastion.accounts.tests.apicalls import get, ok, post, problem, signed_in_email
from bastion.accounts.tests.factories import PASSWORD, UserFactory
from bastion.core.clock import use_clock
from bastion.testing.world import client_for

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
IDLE = settings.SESSION_IDLE_TIMEOUT
ABSOLUTE = settings.SESSION_ABSOLUTE_TIMEOUT


def _at(moment: datetime):
    return use_clock(lambda: moment)


def test_revoke_all_ends_this_and_every_other_session():
    user, other_person = UserFactory(email="lin@example.com"), UserFactory(email="mei@example.com")
    laptop, phone, someone_else = client_for(user), client_for(user), client_for(other_person)
    assert signed_in_email(phone) == "lin@example.com"
    assert ok(post(laptop, "/me/sessions/revoke-all")) == {"detail": "Every session, this one included, has ended."}
    assert signed_in_email(laptop) is None
    assert signed_in_email(phone) is None
    assert signed_in_email(someone_else) == "mei@example.com"
    user.refresh_from_db()
    assert user.session_generation == 1


def test_signing_in_again_after_revoke_all_works():
    user = UserFactory(email="lin@example.com")
    client = client_for(user)
    ok(post(client, "/me/sessions/revoke-all"))
    assert ok(post(client, "/auth/login", {"email": user.email, "password": PASSWORD}))["signed_in"]
    assert signed_in_email(client) == "lin@example.com"


def test_role_grant_ends_the_sessions_of_the_person_who_got_it(world):
    target = client_for(world.shopper)
    admin = client_for(world.administrator)
    assert signed_in_email(target) == "shopper@example.com"
    ok(post(admin, f"/users/{world.shopper.pk}/roles", {"role": "auditor"}), 201)
    assert signed_in_email(target) is None
    assert signed_in_email(admin) == "administrator@example.com"


def test_role_revoke_ends_the_sessions_of_the_person_who_lost_it(world):
    target = client_for(world.auditor)
    grant_id = world.auditor.role_grants.get().pk
    response = client_for(world.administrator).delete(f"/api/v1/users/{world.auditor.pk}/roles/{grant_id}")
    assert response.status_code == 204
    assert signed_in_email(target) is None


def test_password_change_keeps_this_session_and_ends_the_others():
    user = UserFactory(email="lin@example.com")
    here, elsewhere = client_for(user), client_for(user)
    ok(post(here, "/me/password", {"current_password": PASSWORD, "new_password": "tangerine lighthouse at dusk"}))
    assert signed_in_email(here) == "lin@example.com"
    assert signed_in_email(elsewhere) is None
    user.refresh_from_db()
    assert user.check_password("tangerine lighthouse at dusk")


def test_password_change_with_the_wrong_current_password_changes_nothing():
    user = UserFactory(email="lin@example.com")
    here, elsewhere = client_for(user), client_for(user)
    body = problem(post(here, "/me/password", {"current_password": "guess", "new_password": "tangerine dusk 1987"}),
                   422, "password_incorrect")
    assert body["field"] == "current_password"
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert signed_in_email(elsewhere) == "lin@example.com"


def test_session_ends_after_the_idle_timeout():
    client = client_for(UserFactory(email="lin@example.com"))
    with _at(T0):
        assert signed_in_email(client) == "lin@example.com"
    with _at(T0 + IDLE + timedelta(seconds=1)):
        assert signed_in_email(client) is None
    with _at(T0 + IDLE + timedelta(seconds=2)):
        assert signed_in_email(client) is None  # it stays ended


def test_activity_keeps_the_session_alive():
    client = client_for(UserFactory(email="lin@example.com"))
    with _at(T0):
        signed_in_email(client)
    step = IDLE - timedelta(minutes=1)
    for n in range(1, 4):
        with _at(T0 + n * step):
            assert signed_in_email(client) == "lin@example.com", n


def test_activity_within_the_seen_resolution_does_not_extend_the_session():
    client = client_for(UserFactory(email="lin@example.com"))
    with _at(T0):
        signed_in_email(client)
    with _at(T0 + timedelta(seconds=SEEN_RESOLUTION_SECONDS - 1)):
        assert signed_in_email(client) == "lin@example.com"  # not recorded: too soon to be worth a write
    with _at(T0 + IDLE + timedelta(seconds=1)):
        assert signed_in_email(client) is None


def test_session_ends_after_the_absolute_timeout_despite_activity():
    client = client_for(UserFactory(email="lin@example.com"))
    step = IDLE - timedelta(minutes=1)
    moment = T0
    while moment - T0 <= ABSOLUTE - step:
        with _at(moment):
            assert signed_in_email(client) == "lin@example.com", moment
        moment += step
    with _at(T0 + ABSOLUTE + timedelta(seconds=1)):
        assert signed_in_email(client) is None


def test_timed_out_session_must_sign_in_again():
    user = UserFactory(email="lin@example.com")
    client = client_for(user)
    with _at(T0):
        signed_in_email(client)
    with _at(T0 + IDLE + timedelta(seconds=1)):
        problem(get(client, "/me"), 401, "not_authenticated")
        assert ok(post(client, "/auth/login", {"email": user.email, "password": PASSWORD}))["signed_in"]
        assert signed_in_email(client) == "lin@example.com"


def test_revoke_all_with_a_stale_copy_of_the_person_still_ends_newer_sessions():
    # The request loaded the person before a concurrent role change raised their session generation.
    user = UserFactory(email="lin@example.com")
    stale = User.objects.get(pk=user.pk)
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db()
    newer = client_for(user)
    assert signed_in_email(newer) == "lin@example.com"
    end_all_sessions(user=stale)
    assert signed_in_email(newer) is None
