"""Names a package re-exports, each imported the first time it is used (PEP 562).

``bwvreview.app`` is the funnel the window and the command line import, and what it
re-exports reaches SQLAlchemy, Alembic, faster-whisper and OpenCV. Importing all of that to
print ``bwvreview --help`` took most of a second; with the names resolved on first use, a
command imports only what it runs. The package keeps its imports in an ``if TYPE_CHECKING:``
block as well, for readers, editors and import-linter (which reads them as imports);
``tests/unit/app/test_lazy_exports.py`` checks that block and the table agree.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(
    namespace: dict[str, Any], homes: Mapping[str, tuple[str, ...]]
) -> tuple[list[str], Callable[[str], Any], Callable[[], list[str]]]:
    """``__all__``, ``__getattr__`` and ``__dir__`` for the package whose ``globals()`` is
    ``namespace``.

    ``homes`` maps a module to the names it gives the package: ``from module import name``
    runs when ``package.name`` is first looked up, and the value is then kept in the
    package. Any other name is tried as a submodule (``app.review``), as the old eager
    imports made most of them attributes of the package by the time a caller looked.
    """
    package = namespace["__name__"]
    home_of = {name: module for module, names in homes.items() for name in names}

    def __getattr__(name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module = home_of.get(name)
        if module is None:
            try:
                value = importlib.import_module(f"{package}.{name}")
            except ModuleNotFoundError as exc:
                if exc.name != f"{package}.{name}":
                    raise  # the submodule exists but something it imports does not
                raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        else:
            home = importlib.import_module(module)
            try:
                value = getattr(home, name)
            except AttributeError:  # a submodule not yet imported, as `from x import y` allows
                value = importlib.import_module(f"{module}.{name}")
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *home_of})

    return sorted(home_of), __getattr__, __dir__
