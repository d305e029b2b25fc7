"""Backup → wipe → restore round trip, on the database the suite runs on (SQLite or PostgreSQL)."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from binome.audit.services import record
from binome.people.models import Membership, User
from binome.privacy.backup import database_manifest, manifest_path_for
from tests.conftest import build_world
from tests.support.audit import wipe_audit_log_for_tests


@pytest.fixture
def live_db(transactional_db):
    """Committed data (pg_dump runs in another process); the append-only log emptied after."""
    yield
    wipe_audit_log_for_tests()


def _fill():
    world = build_world()
    for persona in ("coordinator", "doctor", "partner"):
        record(
            "people.members_read",
            actor=world.users[persona],
            structure=world.a,
            subject=world.users["patient"],
        )
    return world


def _wipe():
    wipe_audit_log_for_tests()
    call_command("flush", interactive=False, verbosity=0)


def test_round_trip_gives_identical_counts_and_checksums(live_db, tmp_path):
    _fill()
    before = database_manifest()
    assert before["people_user"]["rows"] == User.objects.count() > 10
    assert before["audit_auditevent"]["rows"] == 3
    dump = tmp_path / f"sauvegarde.{connection.vendor}"

    call_command("backup", output=dump, verbosity=0)

    manifest = json.loads(manifest_path_for(dump).read_text())
    assert manifest["vendor"] == connection.vendor
    assert manifest["tables"] == before
    if connection.vendor == "sqlite":
        assert manifest["integrity_check"] == "ok"
    else:
        assert manifest["archive_entries"] > 10

    _wipe()
    assert User.objects.count() == 0
    assert database_manifest() != before

    call_command("restore", dump, interactive=False, verbosity=0)

    assert database_manifest() == before
    assert Membership.objects.filter(structure__slug="structure-a").count() == 6
    # The append-only guard came back with the data.
    from binome.audit.models import AuditEvent

    with pytest.raises(Exception, match="append-only"):
        with connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditevent SET kind = 'x'")
    assert AuditEvent.objects.count() == 3


def test_restore_refuses_an_altered_dump_and_changes_nothing(live_db, tmp_path):
    _fill()
    dump = tmp_path / "sauvegarde.bin"
    call_command("backup", output=dump, verbosity=0)
    User.objects.filter(email="doctor@a.test").update(first_name="Changé")
    before = database_manifest()
    with dump.open("ab") as fh:
        fh.write(b"corruption")

    with pytest.raises(CommandError, match="ne correspond pas à son manifeste"):
        call_command("restore", dump, interactive=False, verbosity=0)

    assert database_manifest() == before


def test_restore_needs_the_manifest(live_db, tmp_path):
    dump = tmp_path / "sauvegarde.bin"
    call_command("backup", output=dump, verbosity=0)
    manifest_path_for(dump).unlink()
    with pytest.raises(CommandError, match="Manifeste introuvable"):
        call_command("restore", dump, interactive=False, verbosity=0)


def test_backup_never_overwrites_a_file(live_db, tmp_path):
    dump = tmp_path / "sauvegarde.bin"
    dump.write_bytes(b"ancienne sauvegarde")
    with pytest.raises(CommandError, match="existe déjà"):
        call_command("backup", output=dump, verbosity=0)
    assert dump.read_bytes() == b"ancienne sauvegarde"


def test_restore_asks_for_confirmation(live_db, tmp_path, monkeypatch):
    _fill()
    dump = tmp_path / "sauvegarde.bin"
    call_command("backup", output=dump, verbosity=0)
    User.objects.filter(email="doctor@a.test").update(first_name="Après")
    monkeypatch.setattr("builtins.input", lambda prompt: "non")
    with pytest.raises(CommandError, match="annulée"):
        call_command("restore", dump, verbosity=0)
    assert User.objects.get(email="doctor@a.test").first_name == "Après"


def test_uploaded_files_are_saved_and_restored_with_the_database(live_db, tmp_path, settings):
    from pathlib import Path

    media = Path(settings.MEDIA_ROOT)
    (media / "receipts").mkdir(parents=True)
    (media / "receipts" / "ticket.png").write_bytes(b"\x89PNG ticket de bus")
    dump = tmp_path / "sauvegarde.bin"
    call_command("backup", output=dump, verbosity=0)
    manifest = json.loads(manifest_path_for(dump).read_text())
    assert manifest["media"]["files"] == 1

    (media / "receipts" / "ticket.png").unlink()
    (media / "receipts" / "nouveau.png").write_bytes(b"arrive apres la sauvegarde")
    call_command("restore", dump, interactive=False, verbosity=0)

    assert (media / "receipts" / "ticket.png").read_bytes() == b"\x89PNG ticket de bus"
    assert not (media / "receipts" / "nouveau.png").exists()
    aside = [
        p for p in media.parent.iterdir() if p.name.startswith(media.name + ".avant-restauration-")
    ]
    assert len(aside) == 1 and (aside[0] / "receipts" / "nouveau.png").exists()


def test_restore_refuses_a_missing_media_archive(live_db, tmp_path, settings):
    from pathlib import Path

    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True)
    (media / "preuve.pdf").write_bytes(b"%PDF preuve")
    dump = tmp_path / "sauvegarde.bin"
    call_command("backup", output=dump, verbosity=0)
    dump.with_name(dump.name + ".media.tar.gz").unlink()
    with pytest.raises(CommandError, match="fichiers déposés"):
        call_command("restore", dump, interactive=False, verbosity=0)
    assert (media / "preuve.pdf").exists()
