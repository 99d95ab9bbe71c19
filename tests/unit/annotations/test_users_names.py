"""One person per name: the users service, the unique index and the upgrade that mends clashes."""

import json

import pytest
from alembic import command
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError

from bwvreview.annotations.access import Principal, users
from bwvreview.annotations.audit import entries as audit_log
from bwvreview.annotations.errors import DomainError, NotFoundError
from bwvreview.annotations.store import models
from bwvreview.annotations.store.db import _alembic_config, normalise_url, open_database


def add(db, name, role, **options):
    """Create a user; team mode (PostgreSQL) gives everyone a password."""
    password = "long enough pw" if db.dialect != "sqlite" else None
    return users.create_user(db, name, role, password=password, **options)


def test_names_are_stored_with_single_spaces_and_found_in_any_case(db):
    made = add(db, "  Tia \t Tip ", "tip")
    assert made.name == "Tia Tip"
    assert users.find_user(db, "TIA   tip").id == made.id
    with pytest.raises(NotFoundError):
        users.find_user(db, "Tia Ti")  # no prefix or pattern matching
    with pytest.raises(NotFoundError):
        users.find_user(db, "' OR '1'='1")


def test_the_database_itself_refuses_a_second_holder_of_a_name(db):
    add(db, "Tia Tip", "tip")
    with pytest.raises(IntegrityError), db.begin() as session:
        session.add(models.User(name="TIA  TIP", role="admin"))  # around the service
        session.flush()


def test_a_collar_is_found_in_any_case_and_only_exactly(db):
    made = add(db, "PC Kay", "officer", collar_number="ab12")
    assert users.find_user(db, "AB12").id == made.id
    with pytest.raises(NotFoundError):
        users.find_user(db, "ab1")
    with pytest.raises(DomainError, match="already taken"):
        add(db, "PC Jay", "officer", collar_number="AB12")


def test_a_name_and_a_collar_number_that_clash_in_old_data_sign_in_nobody(db):
    # a clash the upgrade cannot see: it is made straight in the table, around the service
    officer = add(db, "PC Kay", "officer", collar_number="X7")
    with db.begin() as session:
        session.add(models.User(name="x7", role="admin"))
    with pytest.raises(DomainError, match="names more than one user"):
        users.find_user(db, "X7")
    assert officer.collar_number == "X7"


def test_a_long_name_is_refused_and_a_name_of_80_is_not(db):
    with pytest.raises(DomainError, match="at most 80 characters"):
        add(db, "a" * 81, "tip")
    assert len(add(db, "a" * 80, "tip").name) == 80


def test_other_roles_list_only_themselves(db):
    people = {role: add(db, f"Someone {role}", role,
                                      collar_number="9" if role == "officer" else None)
              for role in ("tip", "trainer", "officer", "admin")}  # fmt: skip
    for role, person in people.items():
        seen = users.list_users(db.as_user(Principal(person.id, person.name, role)))
        assert [u.id for u in seen] == ([p.id for p in sorted(people.values(),
                                         key=lambda p: p.name)] if role == "admin"
                                        else [person.id])  # fmt: skip
    stranger = db.as_user(Principal(None, "guest", "officer"))
    assert users.list_users(stranger) == []


# --- the upgrade on a library made before the rule --------------------------------------------
OLD_USERS = [
    # (id, name, role, collar)
    (1, "Tia Tip", "tip", None),
    (2, "Officer Lee", "officer", "5002"),
    (3, "Tia Tip", "tip", None),
    (4, "tia  tip", "admin", None),
    (5, "5002", "admin", None),
    (6, "x" * 200, "tip", None),  # as long as PostgreSQL's column allows (SQLite: any)
    (7, "Sam   Hughes", "trainer", None),
    (8, "Ann", "officer", None),  # an officer with no collar: kept, signs in by name
]


def test_the_upgrade_renames_clashes_audits_each_and_keeps_the_chain(empty_url):
    engine = create_engine(normalise_url(empty_url))
    command.upgrade(_alembic_config(engine), "0006_search_every_word")
    with engine.begin() as conn:
        for uid, name, role, collar in OLD_USERS:
            conn.execute(
                text("insert into users (id, name, role, collar_number, active, created_at) "
                     "values (:id, :name, :role, :collar, true, '2026-01-01')"),
                {"id": uid, "name": name, "role": role, "collar": collar},
            )  # fmt: skip
        if engine.dialect.name == "postgresql":
            conn.execute(text("select setval('users_id_seq', 8)"))
    engine.dispose()

    db = open_database(empty_url)  # the upgrade: does not fail
    try:
        names = {u.id: u.name for u in users.list_users(db, include_inactive=True)}
        assert names == {
            1: "Tia Tip",  # the oldest keeps the name
            2: "Officer Lee",
            3: "Tia Tip (user 3)",
            4: "tia tip (user 4)",
            5: "5002 (user 5)",  # an admin may not pass for officer 5002
            6: "x" * 80,
            7: "Sam Hughes",
            8: "Ann",
        }
        assert users.find_user(db, "5002").id == 2
        assert users.find_user(db, "tia tip").id == 1
        with db.begin() as session:
            rows = session.execute(
                text("select object_id, details from audit_events where action = 'user-rename'")
            ).all()
        renamed = {int(object_id): _json(details)["reason"] for object_id, details in rows}
        assert renamed == {3: "duplicate name", 4: "duplicate name",
                           5: "looks like a collar number", 6: "long name",
                           7: "spacing"}  # fmt: skip
        add(db, "Someone New", "tip")  # the next event, as in real use
        assert audit_log.verify(db).ok  # the renames are links in the chain, not a break
        with pytest.raises(DomainError, match="already a user"):
            add(db, "TIA TIP (USER 3)", "tip")
    finally:
        db.close()


def _json(value):
    return value if isinstance(value, dict) else json.loads(value)
