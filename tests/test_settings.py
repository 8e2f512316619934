"""Settings come from the environment; production refuses unsafe ones."""

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

# As `secrets.token_urlsafe(50)` makes them (README, "Deploying").
GOOD_KEY = "BUeJ-sKdQ8Q-tOzxGCYxtW38NRQVV8W4Doywy-Jm3VxOxCvO2_YKopzkuw_PiysQE9w"
PRODUCTION = {"FACTCHECK_ENV": "production", "SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "example.org"}


def clean_environment(**env):
    """This process's environment without the settings' variables, plus ``env``."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"FACTCHECK_ENV", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DATABASE_URL"}
        and not key.startswith("SECURE_")
    }
    environment.update(env)
    return environment


def load_settings(**env):
    """Import the settings in a clean interpreter with exactly these variables."""
    environment = clean_environment(**env)
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


@pytest.mark.parametrize(
    "key",
    [
        "abcde" * 12,  # 60 characters, 5 distinct: passes Django's own check (security.W009)
        "k" + "x7Qp9Lm2Vb" * 6,  # a short random run, repeated
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",  # the alphabet
        "correcthorse-" * 5,
        "a1" * 40,
    ],
)
def test_production_refuses_a_long_key_made_of_repeats_or_sequences(key):
    result = load_settings(**{**PRODUCTION, "SECRET_KEY": key})
    assert result.returncode != 0
    assert "needs a real SECRET_KEY" in result.stderr
    assert "bits" in result.stderr  # says how weak it is


def test_keys_made_the_documented_ways_are_strong_enough():
    import secrets

    from django.core.management.utils import get_random_secret_key

    from factcheck.secret_key import MIN_BITS, estimated_bits

    for _ in range(50):
        assert estimated_bits(secrets.token_urlsafe(50)) >= MIN_BITS
        assert estimated_bits(get_random_secret_key()) >= MIN_BITS
        assert estimated_bits(secrets.token_hex(32)) >= MIN_BITS


def test_check_deploy_reports_nothing_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean_environment(FACTCHECK_NO_BOOTSTRAP="1", **PRODUCTION),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    # The one silenced is axes.W006, explained in the settings.
    assert "System check identified no issues (1 silenced)." in result.stdout


def test_hsts_covers_subdomains_and_preload_unless_turned_off():
    code = (
        "from factcheck import settings as s; print(s.SECURE_HSTS_SECONDS, "
        "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, s.SILENCED_SYSTEM_CHECKS)"
    )

    def production(**env):
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=clean_environment(**PRODUCTION, **env),
            capture_output=True,
            text=True,
        )
        return result.stdout.strip() or result.stderr

    assert production() == "31536000 True True ['axes.W006']"
    # A deliberate choice, so Django's check need not warn about it.
    assert production(SECURE_HSTS_PRELOAD="false") == (
        "31536000 True False ['axes.W006', 'security.W021']"
    )
    assert production(SECURE_HSTS_INCLUDE_SUBDOMAINS="false", SECURE_HSTS_PRELOAD="false") == (
        "31536000 False False ['axes.W006', 'security.W005', 'security.W021']"
    )
    # The preload list accepts only a year or more, with subdomains.
    assert "SECURE_HSTS_PRELOAD needs" in production(SECURE_HSTS_SECONDS="3600")
    assert "SECURE_HSTS_PRELOAD needs" in production(SECURE_HSTS_INCLUDE_SUBDOMAINS="false")
    assert production(SECURE_HSTS_SECONDS="3600", SECURE_HSTS_PRELOAD="false").startswith("3600 ")


def test_production_starts_with_a_real_key_and_hosts():
    result = load_settings(
        FACTCHECK_ENV="production", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="factcheck.example.org"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("False ['factcheck.example.org'] ")


def test_a_misspelt_boolean_is_an_error_not_a_guess():
    result = load_settings(DEBUG="maybe")
    assert result.returncode != 0 and "DEBUG='maybe' is not a boolean" in result.stderr
