"""Security review #11, finding 13: the demo seed publishes its password, so it never runs on
a production site and never resets the password of an account that already exists."""

import io

import pytest
from django.core.management import CommandError, call_command

from alliage.accounts.models import User
from alliage.accounts.seed import DEMO_PASSWORD, seed_users
from alliage.members.models import Organisation


def test_seed_demo_refuses_to_run_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG=1"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not User.objects.exists() and not Organisation.objects.exists()


def test_an_existing_account_keeps_its_password_and_its_rights(cast):
    Organisation.objects.create(legal_name="Usinage du Fjord inc.", slug="usinage-du-fjord-inc",
                                municipality=cast.acme.municipality)
    director = User.objects.create_user("Direction@alliage02.example", "mon-propre-secret-42",
                                        first_name="Vraie", last_name="Directrice")
    seed_users()
    director.refresh_from_db()
    assert director.check_password("mon-propre-secret-42")
    assert not director.check_password(DEMO_PASSWORD)
    assert not director.is_superuser and director.first_name == "Vraie"
    # The logins that did not exist are created with the demo password.
    assert User.objects.get(email="admin@usinage-du-fjord.example").check_password(DEMO_PASSWORD)
    seed_users()
    director.refresh_from_db()
    assert director.check_password("mon-propre-secret-42")
