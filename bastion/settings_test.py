"""Settings for the test suite: the real settings in test mode, with fast, local side effects.

The same suite runs on SQLite (default) and on PostgreSQL + Redis (DATABASE_URL and REDIS_URL
set by `make test`), so nothing here chooses the database.
"""

import os

os.environ.setdefault("BASTION_ENV", "test")
os.environ.setdefault("BASTION_VAR_DIR", os.path.join(os.path.dirname(os.path.dirname(__file__)), "var", "test"))

from bastion.settings import *  # noqa: F403
from bastion.settings import HUEY

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Argon2 stays the production hasher (asserted in accounts tests); tests hash fast.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
HUEY = {**HUEY, "immediate": True}
ALLOWED_HOSTS = ["*"]
# Suite-wide limits high enough for the matrix and fuzzing; rate-limit tests set their own.
RATE_LIMITS = {"register": "10000/hour", "password_reset": "10000/hour", "verification_mail": "10000/hour"}
