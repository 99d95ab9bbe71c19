"""Editing training packs (their export is ``training_pack``)."""

from bwvreview.annotations.learning.packs import (
    add_clip,
    create_pack,
    describe_pack,
    get_pack,
    list_packs,
    move_item,
    remove_item,
    rename_pack,
    reorder,
    set_item_notes,
    set_item_prompts,
)

__all__ = [
    "add_clip",
    "create_pack",
    "describe_pack",
    "get_pack",
    "list_packs",
    "move_item",
    "remove_item",
    "rename_pack",
    "reorder",
    "set_item_notes",
    "set_item_prompts",
]
