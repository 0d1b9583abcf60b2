import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_choice, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parents[2]


def test_bool_accepts_common_spellings(monkeypatch):
    monkeypatch.setenv("X_FLAG", "Yes")
    assert env_bool("X_FLAG") is True
    monkeypatch.setenv("X_FLAG", "off")
    assert env_bool("X_FLAG") is False


def test_bad_bool_names_the_variable(monkeypatch):
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env_bool("X_FLAG")


def test_int_rejects_text_and_values_below_minimum(monkeypatch):
    monkeypatch.setenv("X_NUM", "ten")
    with pytest.raises(ImproperlyConfigured, match="X_NUM: expected a whole number"):
        env_int("X_NUM")
    monkeypatch.setenv("X_NUM", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("X_NUM", minimum=1)


def test_required_variable_missing(monkeypatch):
    monkeypatch.delenv("X_REQUIRED", raising=False)
    with pytest.raises(ImproperlyConfigured, match="X_REQUIRED: this environment variable is"):
        env_str("X_REQUIRED")


def test_file_variant_is_read_for_secrets(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n")
    monkeypatch.setenv("X_SECRET_FILE", str(secret))
    monkeypatch.setenv("X_SECRET", "ignored")
    assert env_str("X_SECRET") == "s3cret"


def test_unreadable_file_variant_fails(monkeypatch, tmp_path):
    monkeypatch.setenv("X_SECRET_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="X_SECRET_FILE"):
        env_str("X_SECRET")


def test_list_and_choice(monkeypatch):
    monkeypatch.setenv("X_LIST", "a, b,,c")
    assert env_list("X_LIST") == ["a", "b", "c"]
    monkeypatch.setenv("X_CHOICE", "blue")
    with pytest.raises(ImproperlyConfigured, match="expected one of green, red"):
        env_choice("X_CHOICE", {"red", "green"})


def _django_check(extra_env, *args):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "DATABASE_", "STAFF_", "TASKS_", "ANYMAIL_"))}
    env.update(extra_env)
    return subprocess.run([sys.executable, "manage.py", "check", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_start_up_stops_with_one_clear_line_on_bad_configuration():
    result = _django_check({"DJANGO_DEBUG": "1", "DATABASE_URL": "mysql://x@y/z"})
    assert result.returncode != 0
    assert "DATABASE_URL: only sqlite:// and postgres:// are supported" in result.stderr


def test_production_needs_a_secret_key():
    result = _django_check({"DJANGO_DEBUG": "0"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "x" * 30 + "production-secret-key-0123456789-abcdefghij",
    "DJANGO_ALLOWED_HOSTS": "alliage.example.org",
    "ALLIAGE_SITE_URL": "https://alliage.example.org",
    "ANYMAIL_WEBHOOK_SECRET": "fournisseur:7f3a9c1e5b2d4a6f",
    "SECURE_HSTS_PRELOAD": "1",
}


def test_deploy_check_passes_with_production_variables(tmp_path):
    result = _django_check({**PRODUCTION, "ALLIAGE_VAR_DIR": str(tmp_path)},
                           "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_needs_the_webhook_secret(tmp_path):
    env = {k: v for k, v in PRODUCTION.items() if k != "ANYMAIL_WEBHOOK_SECRET"}
    result = _django_check({**env, "ALLIAGE_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert ("ANYMAIL_WEBHOOK_SECRET: this environment variable is required when "
            "DJANGO_DEBUG is off") in result.stderr


def test_a_provider_that_signs_its_webhooks_needs_its_signing_key(tmp_path):
    result = _django_check({**PRODUCTION, "ALLIAGE_VAR_DIR": str(tmp_path),
                            "ANYMAIL_PROVIDER": "mailgun"})
    assert result.returncode != 0
    assert "ANYMAIL_WEBHOOK_SIGNING_KEY" in result.stderr and "mailgun" in result.stderr
    result = _django_check({**PRODUCTION, "ALLIAGE_VAR_DIR": str(tmp_path),
                            "ANYMAIL_WEBHOOK_SECRET": "no-colon"})
    assert "ANYMAIL_WEBHOOK_SECRET: expected user:password" in result.stderr


# --- Security review #11, finding 14 -----------------------------------------------------

def _readme_production_environment(tmp_path):
    """The "Minimum production environment" block of README.md, as a dict; ``*_FILE``
    secrets are written to files and ``...`` placeholders get a value."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("Minimum production environment:", 1)[1].split("```sh", 1)[1]
    block = block.split("```", 1)[0]
    env = {}
    for word in block.split():
        name, _sep, value = word.partition("=")
        if name.endswith("_FILE"):
            secret = tmp_path / name.lower()
            # "user:password" shaped, so it also suits the webhook secret.
            secret.write_text("alliage:" + "x" * 30 + "-production-secret-0123456789\n")
            value = str(secret)
        elif value == "...":
            value = "placeholder"
        env[name] = value
    return env


def test_the_documented_production_environment_passes_the_deploy_check(tmp_path):
    env = _readme_production_environment(tmp_path)
    assert env["DJANGO_DEBUG"] == "0" and "ALLIAGE_SITE_URL" in env
    result = _django_check({**env, "ALLIAGE_VAR_DIR": str(tmp_path)},
                           "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def _last_line(result):
    return result.stderr.strip().splitlines()[-1]


def test_production_stops_with_one_line_when_the_site_url_is_missing(tmp_path):
    env = _readme_production_environment(tmp_path)
    del env["ALLIAGE_SITE_URL"]
    result = _django_check({**env, "ALLIAGE_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert _last_line(result).endswith(
        "ALLIAGE_SITE_URL: this environment variable is required when DJANGO_DEBUG is off")
    result = _django_check({**env, "ALLIAGE_VAR_DIR": str(tmp_path),
                            "ALLIAGE_SITE_URL": "alliage.example.org"})
    assert "ALLIAGE_SITE_URL: expected an address like https://" in _last_line(result)


def _setting(extra_env, expression):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "DATABASE_", "STAFF_", "TASKS_", "ALLIAGE_"))}
    env.update(extra_env)
    code = f"from django.conf import settings; print(repr({expression}))"
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_testserver_is_not_an_allowed_host_in_production(tmp_path):
    env = {**_readme_production_environment(tmp_path), "ALLIAGE_VAR_DIR": str(tmp_path)}
    assert "testserver" not in _setting(env, "settings.ALLOWED_HOSTS")
    del env["DJANGO_ALLOWED_HOSTS"]
    assert _setting(env, "settings.ALLOWED_HOSTS") == "['127.0.0.1', 'localhost']"
    env["DJANGO_ALLOWED_HOSTS"] = "alliage.example.org,testserver"
    assert _setting(env, "settings.ALLOWED_HOSTS") == "['alliage.example.org']"


def test_development_without_a_key_uses_a_random_key_kept_per_checkout(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    first = _setting({"DJANGO_DEBUG": "1", "ALLIAGE_VAR_DIR": str(one)}, "settings.SECRET_KEY")
    again = _setting({"DJANGO_DEBUG": "1", "ALLIAGE_VAR_DIR": str(one)}, "settings.SECRET_KEY")
    other = _setting({"DJANGO_DEBUG": "1", "ALLIAGE_VAR_DIR": str(two)}, "settings.SECRET_KEY")
    assert first == again != other
    assert len(first) > 50 and "insecure" not in first
    key_file = one / "secret_key"
    assert repr(key_file.read_text().strip()) == first
    assert key_file.stat().st_mode & 0o077 == 0          # readable by its owner only


def test_concurrent_first_starts_agree_on_one_key(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from config.env import dev_secret_key

    with ThreadPoolExecutor(8) as pool:
        keys = set(pool.map(lambda _n: dev_secret_key(tmp_path / "secret_key"), range(16)))
    assert len(keys) == 1 and sorted(p.name for p in tmp_path.iterdir()) == ["secret_key"]


# --- Security review #11, replay N7: production never starts weakened by accident --------

@pytest.mark.parametrize("secret", [":", "user:", ":password-long-enough-1234", "hook:short"])
def test_production_refuses_an_empty_or_weak_webhook_secret(tmp_path, secret):
    result = _django_check({**PRODUCTION, "ALLIAGE_VAR_DIR": str(tmp_path),
                            "ANYMAIL_WEBHOOK_SECRET": secret})
    assert result.returncode != 0
    assert "ANYMAIL_WEBHOOK_SECRET" in _last_line(result)


@pytest.mark.parametrize("name", ["STAFF_2FA_REQUIRED", "AXES_ENABLED"])
def test_production_with_a_protection_off_needs_it_said_twice(tmp_path, name):
    env = {**PRODUCTION, "ALLIAGE_VAR_DIR": str(tmp_path), name: "0"}
    result = _django_check(env)
    assert result.returncode != 0
    assert _last_line(result).endswith(
        f"{name}: off in production; also list it in ALLIAGE_WEAKER_SECURITY_ACCEPTED "
        "to run that way on purpose")
    accepted = _django_check({**env, "ALLIAGE_WEAKER_SECURITY_ACCEPTED": name})
    assert accepted.returncode == 0, accepted.stderr
    assert f"WARNING: production runs with {name} off" in accepted.stderr


@pytest.mark.parametrize(("name", "value"), [
    ("DJANGO_SECRET_KEY", "a" * 63),
    ("DJANGO_SECRET_KEY", "django-insecure-" + "x1y2z3w4v5" * 5),
    ("DJANGO_SECRET_KEY", "short-but-random-9f8e7d"),
    ("DJANGO_ALLOWED_HOSTS", "*"),
    ("DJANGO_ALLOWED_HOSTS", "alliage.example.org,.example.org*"),
    ("ALLIAGE_SITE_URL", "http://alliage.example.org"),
])
def test_production_refuses_a_weak_key_any_host_or_plain_http(tmp_path, name, value):
    """Review #11 replay, L3: these started with at most a deploy-check warning."""
    result = _django_check({**PRODUCTION, "ALLIAGE_VAR_DIR": str(tmp_path), name: value})
    assert result.returncode != 0
    assert _last_line(result).split(": ", 1)[-1] and name in _last_line(result)


def test_a_proxy_count_without_trusted_proxies_is_said_at_start(tmp_path):
    result = _django_check({**PRODUCTION, "ALLIAGE_VAR_DIR": str(tmp_path), "PROXY_COUNT": "1"})
    assert result.returncode == 0, result.stderr
    assert "PROXY_COUNT is set without TRUSTED_PROXIES" in result.stderr
