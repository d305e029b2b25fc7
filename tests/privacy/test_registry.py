"""The personal-data registry covers every field that looks personal, in every Binôme app."""

import pytest

from binome.people.models import Invitation, User
from binome.privacy.registry import (
    Person,
    declared_non_personal,
    not_personal,
    register,
    registration_for,
    registrations,
    unregistered_personal_fields,
)

# Fields of apps being built in parallel this session that their app has not registered
# yet. TODO (each app's owner): register them in <app>/personal_data.py with
# binome.privacy.registry.register (or declare them with not_personal(..., reason=...)),
# then remove their lines here. Entries that are no longer missing are simply ignored.
TODO_UNREGISTERED = {}


def _todo():
    return {
        (f"{app}.{entry.split('.')[0]}", entry.split(".")[1])
        for app, entries in TODO_UNREGISTERED.items()
        for entry in entries
    }


def test_every_field_that_looks_personal_is_registered_or_declared():
    missing = [f for f in unregistered_personal_fields() if f not in _todo()]
    assert not missing, (
        "Register these fields in <app>/personal_data.py (binome.privacy.registry.register) "
        f"or declare them with not_personal(..., reason=...): {missing}"
    )


def test_the_meta_test_sees_new_fields(monkeypatch):
    from binome.privacy import registry

    monkeypatch.setattr(
        registry,
        "_non_personal",
        [n for n in registry._non_personal if n.model.__name__ != "Structure"],
    )
    assert ("people.Structure", "name") in unregistered_personal_fields()


def test_core_models_are_registered():
    labels = {r.model._meta.label for r in registrations()}
    assert {
        "people.User",
        "people.Membership",
        "people.Invitation",
        "accounts.ApiToken",
        "audit.AuditEvent",
    } <= labels
    assert registration_for(User).erase == "anonymise"
    assert registration_for(Invitation).erase == "delete"
    assert declared_non_personal()[("people.Structure", "name")]


def test_registrations_are_checked():
    with pytest.raises(ValueError, match="unknown fields"):
        register(User, fields=["no_such_field"], subject=lambda p: None)
    with pytest.raises(ValueError, match="registered twice"):
        register(User, fields=["email"], subject=lambda p: None, erase="delete")
    with pytest.raises(ValueError, match="keep_reason"):
        register(Invitation, fields=["email"], subject=lambda p: None, erase="keep")
    with pytest.raises(ValueError, match="reason"):
        not_personal(User, ["email"], reason="")


def test_person_emails_are_normalised():
    assert Person(email=" Marie@Exemple.fr ").emails == ["marie@exemple.fr"]
    assert Person().emails == []
