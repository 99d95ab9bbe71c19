"""Rows into records: how a service turns an ORM row into the frozen record it returns.

A record's field is read from the row's attribute of the same name, so a service writes
out only the fields that are derived, renamed or converted; the rest cannot drift apart.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any, TypeVar

R = TypeVar("R")


def record_from_row(record_type: type[R], row: object, **computed: Any) -> R:
    """The frozen record ``record_type`` made from an ORM row.

    Each field of the record is the row's attribute of the same name, unless ``computed``
    gives it (a value derived, renamed or converted from the row). A field the row lacks and
    ``computed`` does not give raises AttributeError, and a name in ``computed`` that is not
    a field raises TypeError, rather than anything being filled in silently.
    """
    names = [f.name for f in fields(record_type)]  # type: ignore[arg-type]
    unknown = set(computed) - set(names)
    if unknown:
        raise TypeError(f"{record_type.__name__} has no field {', '.join(sorted(unknown))}")
    values = {name: computed[name] if name in computed else getattr(row, name) for name in names}
    return record_type(**values)


def category_fields(category: Any) -> dict[str, Any]:
    """The codebook category's fields an annotation's record carries (key, label, polarity,
    principles), from a ``models.CodebookCategory`` row."""
    return {
        "category_key": category.key,
        "category_label": category.label,
        "polarity": category.polarity,
        "principles": tuple(category.principles),
    }
