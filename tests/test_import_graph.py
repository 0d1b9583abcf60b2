"""The import graph points one way (issue #21): the contracts of `.importlinter` hold (apps in
layers, core at the bottom; the matching engine imports neither Django nor any app), and an
app importing a higher one breaks them. docs/architecture.md draws the graph."""

import copy
from pathlib import Path

import grimp
from importlinter.adapters.user_options import IniFileUserOptionReader
from importlinter.cli import lint_imports
from importlinter.contracts.forbidden import ForbiddenContract
from importlinter.contracts.layers import LayersContract

CONFIG = str(Path(__file__).resolve().parent.parent / ".importlinter")


def test_the_import_contracts_hold():
    assert lint_imports(config_filename=CONFIG, no_cache=True, no_logo=True) == 0


def _contract(cls, key):
    options = IniFileUserOptionReader().read_options(config_filename=CONFIG)
    session = {**options.session_options,
               "root_packages": [options.session_options["root_package"]]}
    found = next(o for o in options.contracts_options if o["id"] == key)
    return cls(name=found["name"], session_options=session, contract_options=found)


def _graph():
    return grimp.build_graph("alliage", include_external_packages=True, cache_dir=None)


def _kept(contract, graph):
    """Whether the contract holds on a copy of ``graph`` (a check drops ignored imports)."""
    return contract.check(copy.deepcopy(graph), verbose=False).kept


def _with(graph, importer, imported):
    """``graph`` plus one import, as if ``importer`` wrote it."""
    graph = copy.deepcopy(graph)
    graph.add_import(importer=importer, imported=imported, line_number=1,
                     line_contents=f"import {imported}")
    return graph


def test_an_app_importing_a_higher_one_breaks_the_layers():
    contract = _contract(LayersContract, "layers")
    graph = _graph()
    assert _kept(contract, graph)
    assert not _kept(contract, _with(graph, "alliage.core.views", "alliage.members.models"))
    assert not _kept(contract, _with(graph, "alliage.billing.api", "alliage.members.models"))
    assert not _kept(contract, _with(graph, "alliage.members.services", "alliage.events.models"))
    assert not _kept(contract, _with(graph, "alliage.events.views", "alliage.fair.models"))
    # The apps of the events layer are independent of each other.
    assert not _kept(contract, _with(graph, "alliage.mailing.views", "alliage.symbiosis.models"))
    # Downwards is fine.
    assert _kept(contract, _with(graph, "alliage.fair.views", "alliage.events.models"))


def test_the_matching_engine_importing_django_breaks_its_contract():
    contract = _contract(ForbiddenContract, "matching")
    graph = _graph()
    assert _kept(contract, graph)
    assert not _kept(contract, _with(graph, "alliage.matching.scoring", "django.db"))
    assert not _kept(contract, _with(graph, "alliage.matching.scoring", "alliage.core.text"))
