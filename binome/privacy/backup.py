"""Backups and restores of the whole database, each with a verification step.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies a consistent
snapshot while the application keeps running; ``PRAGMA integrity_check`` verifies the copy.
PostgreSQL: ``pg_dump --format=custom`` inside an exported snapshot, so that the manifest
(row counts and content checksums per table) describes exactly what the dump contains;
``pg_restore --list`` verifies that the archive is readable.

Every dump gets a manifest ``<dump>.manifest.json`` beside it. ``restore`` checks the
dump's SHA-256 against the manifest before touching the database, then recomputes the
row counts and checksums of the restored database and compares them table by table.
"""

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import connections, transaction
from django.utils.translation import gettext as _

MANIFEST_VERSION = 1
MANIFEST_SUFFIX = ".manifest.json"


class BackupError(Exception):
    """A backup or restore that failed or did not verify; the message is for operators."""


@dataclass
class Outcome:
    path: Path
    manifest_path: Path
    manifest: dict


# --- Manifest: row count and content checksum per table ----------------------------------


def _canonical(value):
    if isinstance(value, memoryview | bytes | bytearray):
        return bytes(value).hex()
    if isinstance(value, datetime):
        # Same instant, same text, whatever the session time zone.
        return value.astimezone(UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, Decimal):
        return str(value.normalize())
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, default=str)
    return value


def _table_checksum(cursor, quote, table, order_by, select="*"):
    digest = hashlib.sha256()
    rows = 0
    order = ", ".join(quote(c) for c in order_by)
    cursor.execute(f"SELECT {select} FROM {quote(table)} ORDER BY {order}")  # noqa: S608 (names from introspection)
    while True:
        batch = cursor.fetchmany(1000)
        if not batch:
            break
        for row in batch:
            rows += 1
            digest.update(json.dumps([_canonical(v) for v in row], default=str).encode())
            digest.update(b"\n")
    return rows, digest.hexdigest()


def _sqlite_manifest(conn: sqlite3.Connection) -> dict:
    tables = {}
    cursor = conn.cursor()
    names = [
        r[0]
        for r in cursor.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    for name in names:
        info = list(cursor.execute(f'PRAGMA table_info("{name}")'))
        columns = [r[1] for r in info]
        pk = [r[1] for r in sorted(info, key=lambda r: r[5]) if r[5]]
        # quote() gives the stored value as an SQL literal, whatever type conversion the
        # connection does (Django's parses dates; a plain connection does not).
        select = ", ".join(f"quote({_sqlite_quote(c)})" for c in columns)
        rows, checksum = _table_checksum(cursor, _sqlite_quote, name, pk or columns, select)
        tables[name] = {"rows": rows, "checksum": checksum}
    return tables


def _sqlite_quote(name):
    return '"' + name.replace('"', '""') + '"'


def _django_manifest(connection) -> dict:
    """Manifest of the database behind a Django connection (PostgreSQL, or SQLite in tests)."""
    tables = {}
    with connection.cursor() as cursor:
        names = sorted(connection.introspection.table_names(cursor))
        for name in names:
            description = connection.introspection.get_table_description(cursor, name)
            columns = [c.name for c in description]
            pk = connection.introspection.get_primary_key_columns(cursor, name) or []
            rows, checksum = _table_checksum(cursor, connection.ops.quote_name, name, pk or columns)
            tables[name] = {"rows": rows, "checksum": checksum}
    return tables


def database_manifest(using="default") -> dict:
    """Row counts and checksums of the live database, table by table."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return _sqlite_manifest(connection.connection)
    return _django_manifest(connection)


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def manifest_path_for(path: Path) -> Path:
    return path.with_name(path.name + MANIFEST_SUFFIX)


def _write_manifest(path: Path, vendor: str, tables: dict, extra: dict) -> Path:
    manifest = {
        "version": MANIFEST_VERSION,
        "vendor": vendor,
        "created_at": datetime.now(UTC).isoformat(),
        "file": path.name,
        "sha256": _file_sha256(path),
        "tables": tables,
        **extra,
    }
    target = manifest_path_for(path)
    target.write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
    target.chmod(0o600)
    return target


def read_manifest(path: Path) -> dict:
    target = manifest_path_for(path)
    if not target.exists():
        raise BackupError(
            f"Manifeste introuvable : {target}. Sans lui, la sauvegarde ne peut pas être vérifiée."
        )
    try:
        manifest = json.loads(target.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise BackupError(f"Manifeste illisible : {target} ({exc}).") from exc
    if manifest.get("version") != MANIFEST_VERSION or "tables" not in manifest:
        raise BackupError(f"Manifeste d'un format inconnu : {target}.")
    return manifest


def compare(expected: dict, actual: dict) -> list[str]:
    """Differences between two table maps, as readable lines (empty when identical)."""
    problems = []
    for name in sorted(set(expected) | set(actual)):
        if name not in actual:
            problems.append(f"table {name} absente de la base restaurée")
        elif name not in expected:
            problems.append(f"table {name} absente de la sauvegarde")
        elif expected[name]["rows"] != actual[name]["rows"]:
            problems.append(
                f"table {name} : {actual[name]['rows']} lignes au lieu de {expected[name]['rows']}"
            )
        elif expected[name]["checksum"] != actual[name]["checksum"]:
            problems.append(f"table {name} : contenu différent (somme de contrôle)")
    return problems


# --- Backup --------------------------------------------------------------------------------


def default_output(vendor: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    suffix = "sqlite3" if vendor == "sqlite" else "pgdump"
    return Path(settings.VAR_DIR) / "backups" / f"binome-{stamp}.{suffix}"


def backup(output: Path | None = None, using="default") -> Outcome:
    connection = connections[using]
    output = Path(output) if output else default_output(connection.vendor)
    output.parent.mkdir(parents=True, exist_ok=True)
    if output.exists():
        raise BackupError(f"Le fichier {output} existe déjà : choisissez un autre nom.")
    if connection.vendor == "sqlite":
        return _backup_sqlite(connection, output)
    if connection.vendor == "postgresql":
        return _backup_postgresql(connection, output)
    raise BackupError(f"Base de données non prise en charge : {connection.vendor}.")


def _sqlite_open(target, **kwargs) -> sqlite3.Connection:
    conn = sqlite3.connect(target, **kwargs)
    # CHECK constraints written by Django use REGEXP; integrity_check evaluates them.
    conn.create_function("REGEXP", 2, _regexp, deterministic=True)
    return conn


def _regexp(pattern, value):
    if pattern is None or value is None:
        return None
    return bool(re.search(pattern, str(value)))


def _backup_sqlite(connection, output: Path) -> Outcome:
    connection.ensure_connection()
    destination = _sqlite_open(output)
    try:
        connection.connection.backup(destination)
        integrity = destination.execute("PRAGMA integrity_check").fetchall()
        if integrity != [("ok",)]:
            raise BackupError(f"La copie n'est pas intègre : {integrity[:5]}")
        # The manifest describes the copy itself, not the live base that kept changing.
        tables = _sqlite_manifest(destination)
    except BaseException:
        destination.close()
        output.unlink(missing_ok=True)
        raise
    destination.close()
    output.chmod(0o600)
    extra = {"integrity_check": "ok", **_archive_media(output)}
    manifest_path = _write_manifest(output, "sqlite", tables, extra)
    return Outcome(output, manifest_path, read_manifest(output))


def _pg_env(connection) -> tuple[list[str], dict]:
    params = connection.settings_dict
    args = []
    if params.get("HOST"):
        args += ["--host", params["HOST"]]
    if params.get("PORT"):
        args += ["--port", str(params["PORT"])]
    if params.get("USER"):
        args += ["--username", params["USER"]]
    env = {**os.environ}
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = params["PASSWORD"]
    return args, env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(
            f"L'outil {name} (client PostgreSQL) est introuvable : installez postgresql-client."
        )
    return path


def _run(command: list[str], env: dict, what: str):
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{what} a échoué : {result.stderr.strip()[:2000]}")
    return result


def _backup_postgresql(connection, output: Path) -> Outcome:
    args, env = _pg_env(connection)
    name = connection.settings_dict["NAME"]
    try:
        # One snapshot for the dump and the manifest: they describe the same data.
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
            _run(
                [
                    _tool("pg_dump"),
                    *args,
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={output}",
                    "--dbname",
                    name,
                ],
                env,
                "pg_dump",
            )
            tables = _django_manifest(connection)
        output.chmod(0o600)
        listing = _run(
            [_tool("pg_restore"), "--list", str(output)],
            env,
            _("La vérification (pg_restore --list)"),
        )
    except BaseException:
        output.unlink(missing_ok=True)
        raise
    entries = sum(1 for line in listing.stdout.splitlines() if line and not line.startswith(";"))
    manifest_path = _write_manifest(
        output, "postgresql", tables, {"archive_entries": entries, **_archive_media(output)}
    )
    return Outcome(output, manifest_path, read_manifest(output))


# --- Uploaded files (MEDIA_ROOT) -----------------------------------------------------------


def _archive_media(output: Path) -> dict:
    """Receipts, evidence and photos live beside the database: archive them with it."""
    root = Path(settings.MEDIA_ROOT)
    files = sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []
    if not files:
        return {}
    target = output.with_name(output.name + ".media.tar.gz")
    with tarfile.open(target, "w:gz") as tar:
        for file in files:
            tar.add(file, arcname=file.relative_to(root).as_posix())
    target.chmod(0o600)
    return {"media": {"file": target.name, "sha256": _file_sha256(target), "files": len(files)}}


def _restore_media(archive: Path) -> int:
    """Put the archived files back; files present before are moved aside, never deleted."""
    root = Path(settings.MEDIA_ROOT)
    if root.exists() and any(root.iterdir()):
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        root.rename(root.with_name(f"{root.name}.avant-restauration-{stamp}"))
    root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive, "r:gz") as tar:
        tar.extractall(root, filter="data")  # no absolute paths, links or devices
    return sum(1 for p in root.rglob("*") if p.is_file())


# --- Restore -------------------------------------------------------------------------------


def restore(path: Path, using="default") -> Outcome:
    """Replace the database with the dump, then verify it against the manifest."""
    path = Path(path)
    if not path.exists():
        raise BackupError(f"Fichier introuvable : {path}.")
    manifest = read_manifest(path)
    connection = connections[using]
    if manifest["vendor"] != connection.vendor:
        raise BackupError(
            f"Cette sauvegarde vient d'une base {manifest['vendor']} ; la base configurée est {connection.vendor}."
        )
    if _file_sha256(path) != manifest["sha256"]:
        raise BackupError(
            _(
                "Le fichier de sauvegarde ne correspond pas à son manifeste (fichier altéré ou incomplet)."
            )
        )
    media = manifest.get("media")
    if media:
        archive = path.with_name(media["file"])
        if not archive.exists() or _file_sha256(archive) != media["sha256"]:
            raise BackupError(
                f"L'archive des fichiers déposés {archive.name} manque ou ne correspond pas au manifeste."
            )
    if connection.vendor == "sqlite":
        _restore_sqlite(connection, path)
    else:
        _restore_postgresql(connection, path)
    problems = compare(manifest["tables"], database_manifest(using))
    if media:
        restored = _restore_media(path.with_name(media["file"]))
        if restored != media["files"]:
            problems.append(f"fichiers déposés : {restored} au lieu de {media['files']}")
    if problems:
        raise BackupError(
            "La base restaurée ne correspond pas au manifeste :\n- " + "\n- ".join(problems)
        )
    return Outcome(path, manifest_path_for(path), manifest)


def _restore_sqlite(connection, path: Path):
    source = _sqlite_open(f"file:{path}?mode=ro", uri=True)
    try:
        integrity = source.execute("PRAGMA integrity_check").fetchall()
        if integrity != [("ok",)]:
            raise BackupError(f"La sauvegarde n'est pas intègre : {integrity[:5]}")
        connection.ensure_connection()
        if connection.in_atomic_block:
            raise BackupError(_("Restauration impossible pendant une transaction."))
        # The backup API copies every page: the live base becomes the dump, triggers included.
        source.backup(connection.connection)
    finally:
        source.close()


def _restore_postgresql(connection, path: Path):
    args, env = _pg_env(connection)
    name = connection.settings_dict["NAME"]
    connection.close()
    # --clean drops each object of the dump before recreating it; one transaction, so a
    # failed restore leaves the base as it was. The audit guard fires on UPDATE/DELETE
    # only, and its trigger is created after the data is loaded.
    _run(
        [
            _tool("pg_restore"),
            *args,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
            name,
            str(path),
        ],
        env,
        "pg_restore",
    )
