"""Settings come from the environment; production refuses unsafe ones."""

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

GOOD_KEY = "k" + "x7Qp9Lm2Vb" * 6


def load_settings(**env):
    """Import the settings in a clean interpreter with exactly these variables."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"FACTCHECK_ENV", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DATABASE_URL"}
    }
    environment.update(env)
    code = (
        "from factcheck import settings as s; "
        "print(s.DEBUG, s.ALLOWED_HOSTS, s.DATABASES['default']['ENGINE'], "
        "s.DATABASES['default']['NAME'])"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def test_local_defaults_are_debug_sqlite_and_localhost_only():
    result = load_settings()
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("True ['localhost', '127.0.0.1', '[::1]'] ")
    assert "django.db.backends.sqlite3" in result.stdout
    assert str(ROOT / "db.sqlite3") in result.stdout


def test_database_url_selects_postgresql():
    result = load_settings(DATABASE_URL="postgres://postgres@127.0.0.1:5432/newsroom")
    assert "django.db.backends.postgresql newsroom" in result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ALLOWED_HOSTS": "example.org"}, "needs a real SECRET_KEY"),
        ({"ALLOWED_HOSTS": "example.org", "SECRET_KEY": "short"}, "needs a real SECRET_KEY"),
        (
            {"ALLOWED_HOSTS": "example.org", "SECRET_KEY": "django-insecure-" + "a1b2c3" * 10},
            "needs a real SECRET_KEY",
        ),
        ({"SECRET_KEY": GOOD_KEY}, "needs ALLOWED_HOSTS"),
        (
            {"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "example.org", "DEBUG": "true"},
            "DEBUG must be off",
        ),
    ],
)
def test_production_refuses_to_start_with_unsafe_settings(env, message):
    result = load_settings(FACTCHECK_ENV="production", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_starts_with_a_real_key_and_hosts():
    result = load_settings(
        FACTCHECK_ENV="production", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="factcheck.example.org"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("False ['factcheck.example.org'] ")


def test_a_misspelt_boolean_is_an_error_not_a_guess():
    result = load_settings(DEBUG="maybe")
    assert result.returncode != 0 and "DEBUG='maybe' is not a boolean" in result.stderr
