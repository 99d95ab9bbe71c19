"""``bwvreview.app`` and ``bwvreview.app.errors`` import what they re-export on first use.

Each keeps its imports twice: in an ``if TYPE_CHECKING:`` block (for readers, editors and
import-linter) and in ``_HOMES`` (what runs). These tests keep the two equal and check that
every name resolves to the object its home module holds.
"""

from __future__ import annotations

import ast
import importlib
import inspect

import pytest

from bwvreview import app
from bwvreview.app import errors

PACKAGES = [app, errors]


def _type_checking_imports(module) -> dict[str, str]:
    tree = ast.parse(inspect.getsource(module))
    block = next(
        node for node in tree.body
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING"
    )  # fmt: skip
    return {
        alias.asname or alias.name: node.module
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }


@pytest.mark.parametrize("module", PACKAGES, ids=lambda m: m.__name__)
def test_the_type_checking_imports_and_the_lazy_table_agree(module):
    table = {name: home for home, names in module._HOMES.items() for name in names}
    assert _type_checking_imports(module) == table


@pytest.mark.parametrize("module", PACKAGES, ids=lambda m: m.__name__)
def test_every_exported_name_is_what_its_home_holds(module):
    for home, names in module._HOMES.items():
        for name in names:
            expected = getattr(importlib.import_module(home), name, None)
            if expected is None:  # a submodule, as `from package import module` allows
                expected = importlib.import_module(f"{home}.{name}")
            assert getattr(module, name) is expected, name
    assert set(module.__all__) >= {n for names in module._HOMES.values() for n in names}


def test_app_lists_exactly_what_it_exports():
    assert sorted(app.__all__) == sorted(n for names in app._HOMES.values() for n in names)
    assert set(app.__all__) <= set(dir(app))


def test_a_submodule_is_reached_through_the_package():
    from bwvreview.app import review

    assert review is importlib.import_module("bwvreview.app.review")
    assert app.findings is importlib.import_module("bwvreview.app.findings")


def test_an_unknown_name_is_an_attribute_error():
    assert not hasattr(app, "no_such_workflow")
    with pytest.raises(ImportError):
        from bwvreview.app import no_such_workflow  # noqa: F401
