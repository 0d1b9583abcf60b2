"""The demo is assembled above the apps (issue #21): `seed_demo` lives in `alliage.demo`, calls
each app's `seed` module listed in `demo.seeds.SEEDS`, and core's command is gone."""

import importlib.util

from django.apps import apps
from django.core.management import get_commands

from alliage.demo.seeds import SEEDS


def test_every_app_with_a_seed_module_is_listed_once_and_each_has_seed():
    with_seed = {f"{config.name}.seed" for config in apps.get_app_configs()
                 if config.name.startswith("alliage.")
                 and importlib.util.find_spec(f"{config.name}.seed") is not None}
    assert len(SEEDS) == len(set(SEEDS))
    assert set(SEEDS) == with_seed, "list each app's seed module in alliage/demo/seeds.py"
    for path in SEEDS:
        assert callable(importlib.import_module(path).seed), path


def test_the_seed_demo_command_belongs_to_the_demo_app():
    assert get_commands()["seed_demo"] == "alliage.demo"
