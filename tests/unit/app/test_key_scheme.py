"""Each reviewer's category keys: the codebook's defaults, their own choices, conflicts refused."""

from collections import Counter

import pytest

from bwvreview import app
from bwvreview.annotations.access import users
from bwvreview.app.key_scheme import (
    KeyConflictError,
    load_key_scheme,
    normalise_key,
    reserved_keys,
    reset_key_scheme,
    set_category_key,
)
from bwvreview.app.signin import signed_in


@pytest.fixture
def lib(tmp_path):
    library = app.open_library(data_dir=tmp_path / "data")
    yield library
    library.close()


def test_good_practice_is_as_easy_to_key_as_concerns(lib):
    """No strength needs Shift where a concern does not: both kinds are mostly plain
    letters, and good practice has at least the share of plain keys that concerns have."""
    scheme = load_key_scheme(lib)
    plain = Counter()
    total = Counter()
    for category in lib.codebook.categories:
        key = scheme.key_for(category.key)
        assert key, f"{category.key} has no key"
        total[category.polarity] += 1
        plain[category.polarity] += "+" not in key
    assert plain["good_practice"] / total["good_practice"] >= 0.8
    good_share = plain["good_practice"] / total["good_practice"]
    assert good_share >= plain["concern"] / total["concern"]
    assert all(key.isdigit() for c in lib.codebook.categories if c.polarity == "observation"
               for key in [scheme.key_for(c.key)])  # fmt: skip


def test_every_key_is_its_own_and_none_is_the_workspaces(lib):
    keys = [k for k in load_key_scheme(lib).keys.values() if k]
    assert len(keys) == len(set(keys))
    assert not set(keys) & set(reserved_keys())


def test_letters_mean_something_where_they_can(lib):
    scheme = load_key_scheme(lib)
    meaningful = {"offered_choice": "C", "missed_choice": "M", "explained_action": "E",
                  "no_explanation": "X", "gave_time": "G", "introduced_self": "I",
                  "safety_check": "S", "triggering_language": "T"}  # fmt: skip
    assert {c: scheme.key_for(c) for c in meaningful} == meaningful


def test_a_chosen_key_is_kept_for_that_reviewer_only(lib):
    tess = users.create_user(lib.db, "Tess TIP", "tip")
    ravi = users.create_user(lib.db, "Ravi TIP", "tip")
    as_tess = signed_in(lib, users.sign_in(lib.db, tess.id, None))
    as_ravi = signed_in(lib, users.sign_in(lib.db, ravi.id, None))
    set_category_key(as_tess, "no_explanation", "shift+x")
    assert load_key_scheme(as_tess).key_for("no_explanation") == "Shift+X"
    assert load_key_scheme(as_tess).category_for("Shift+X") == "no_explanation"
    assert load_key_scheme(as_ravi).key_for("no_explanation") == "X"
    stored = list((lib.data_dir / "settings").glob("keys-*.json"))
    assert len(stored) == 1 and "Shift+X" in stored[0].read_text(encoding="utf-8")
    assert "Tess" not in stored[0].name  # the file name says nothing about who


def test_a_key_taken_by_another_category_or_the_player_is_refused(lib):
    with pytest.raises(KeyConflictError, match="M already codes “Missed choice”"):
        set_category_key(lib, "offered_choice", "m")
    with pytest.raises(KeyConflictError, match="kept for “Slower, then back 5 seconds”"):
        set_category_key(lib, "offered_choice", "J")
    with pytest.raises(KeyConflictError, match="not a key a category can have"):
        set_category_key(lib, "offered_choice", "Shift+Space")
    assert load_key_scheme(lib).key_for("offered_choice") == "C"  # nothing saved


def test_a_freed_key_can_be_given_away_and_reset_brings_the_codebook_back(lib):
    set_category_key(lib, "missed_choice", "")  # M no longer codes missed choice
    scheme = set_category_key(lib, "offered_choice", "M")
    assert scheme.key_for("offered_choice") == "M" and scheme.key_for("missed_choice") == ""
    assert scheme.chosen == {"missed_choice", "offered_choice"}
    scheme = reset_key_scheme(lib)
    assert (scheme.key_for("offered_choice"), scheme.key_for("missed_choice")) == ("C", "M")


def test_an_unreadable_settings_file_falls_back_to_the_codebook(lib):
    set_category_key(lib, "gave_time", "Shift+G")
    (path,) = (lib.data_dir / "settings").glob("keys-*.json")
    path.write_text("{not json", encoding="utf-8")
    assert load_key_scheme(lib).key_for("gave_time") == "G"


WRITTEN = [("g", "G"), ("shift+r", "Shift+R"), ("Shift+Ctrl+3", "Ctrl+Shift+3"), ("f4", "F4")]


@pytest.mark.parametrize(("typed", "key"), WRITTEN)
def test_keys_are_written_as_qt_writes_them(typed, key):
    assert normalise_key(typed) == key


@pytest.mark.parametrize("typed", ["", "Shift+", "Space", "Ctrl+Alt+Del", "Super+G", "GG"])
def test_what_is_not_a_category_key_is_refused(typed):
    with pytest.raises(KeyConflictError):
        normalise_key(typed)
