"""The import flow (issue 15): a file is read and tried in full inside a transaction that is
rolled back (the preview shows exactly what the import would do, row by row, with the domain's
own messages); the coordinator then imports the valid rows or nothing. The import itself is
one transaction; each row sits in its own savepoint so that a bad row leaves no trace. A row
carries a key made from its cells, kept on what it created: the same file twice creates nothing.
"""

import hashlib
import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from binome.audit.services import record
from binome.core.spreadsheets import Spreadsheet
from binome.imports.kinds import KINDS, AlreadyImported, Context
from binome.imports.models import ImportBatch
from binome.imports.reading import normalise_header, read_table

CREATED, ALREADY, ERROR = "created", "already", "error"


def row_token(structure, kind, values: dict) -> str:
    canonical = json.dumps(
        {k: " ".join(v.split()).lower() for k, v in sorted(values.items()) if v}, ensure_ascii=False
    )
    digest = hashlib.sha256(f"{structure.pk}:{kind}:{canonical}".encode()).hexdigest()
    return f"import-{digest[:48]}"


def map_columns(kind, headers):
    """(index -> column key, ignored headers); a missing required column is refused."""
    names = {}
    for column in kind.columns:
        for name in column.names():
            names.setdefault(name, column.key)
    mapping, ignored, seen = {}, [], set()
    for index, header in enumerate(headers):
        key = names.get(normalise_header(header))
        if key is None and kind.open_columns and str(header or "").strip():
            key = f"q:{str(header).strip()}"
        if key is None or key in seen:
            if header:
                ignored.append(header)
            continue
        mapping[index] = key
        seen.add(key)
    missing = [c.label for c in kind.columns if c.required and c.key not in seen]
    if missing:
        raise ValidationError(
            _(
                "Il manque des colonnes obligatoires : %(cols)s. Partez du modèle à télécharger sur cette page."
            )
            % {"cols": ", ".join(missing)}
        )
    return mapping, ignored


def parse_file(kind_slug, name, content):
    """(rows as [(line, values)], ignored headers) or ValidationError for the whole file."""
    kind = KINDS.get(kind_slug or "")
    if kind is None:
        raise ValidationError(_("Choisissez ce que contient le fichier."))
    headers, rows = read_table(name, content)
    mapping, ignored = map_columns(kind, headers)
    parsed = []
    for number, row in enumerate(rows, start=2):  # line 1 holds the headers
        values = {key: (row[i] if i < len(row) else "") for i, key in mapping.items()}
        parsed.append((number, values))
    if not parsed:
        raise ValidationError(_("Le fichier ne contient aucune ligne sous les noms de colonnes."))
    return parsed, ignored


def _messages(kind, exc):
    labels = {c.key: c.label for c in kind.columns}
    if hasattr(exc, "error_dict"):
        out = []
        for field, messages in exc.message_dict.items():
            prefix = f"{labels[field]} : " if field in labels else ""
            out += [f"{prefix}{m}" for m in messages]
        return out
    return [str(m) for m in exc.messages]


def run_rows(structure, kind_slug, rows, *, actor, commit):
    """Try every row; keep the writes only when ``commit``. Returns the outcome per line."""
    kind = KINDS[kind_slug]
    outcome = []
    with transaction.atomic():
        ctx = Context(structure, actor)
        if kind.prepare:
            kind.prepare(ctx)
        for line, values in rows:
            ctx.line = line
            entry = {"line": line, "label": kind.label(values), "messages": [], "target": ""}
            try:
                with transaction.atomic():
                    obj = kind.handler(ctx, values, row_token(structure, kind_slug, values))
                entry.update(result=CREATED, target=str(obj.public_id))
            except AlreadyImported as exc:
                entry.update(
                    result=ALREADY,
                    target=str(exc.target.public_id),
                    messages=[_("Déjà importée : rien de nouveau.")],
                )
            except ValidationError as exc:
                entry.update(result=ERROR, messages=_messages(kind, exc))
            outcome.append(entry)
        if not commit:
            transaction.set_rollback(True)
    return outcome


def _count(batch, outcome):
    batch.outcome = outcome
    batch.n_rows = len(outcome)
    batch.n_valid = sum(1 for o in outcome if o["result"] == CREATED)
    batch.n_already = sum(1 for o in outcome if o["result"] == ALREADY)
    batch.n_errors = sum(1 for o in outcome if o["result"] == ERROR)


def open_batch(*, structure, kind, name, content, actor, request=None) -> ImportBatch:
    """Read the file and show what its import would do; nothing of the file is written."""
    rows, ignored = parse_file(kind, name, content)
    outcome = run_rows(structure, kind, rows, actor=actor, commit=False)
    batch = ImportBatch(
        structure=structure,
        kind=kind,
        file_name=name[-200:],
        file_sha256=hashlib.sha256(content).hexdigest(),
        rows=[[line, values] for line, values in rows],
        ignored_columns=ignored,
        created_by=actor,
    )
    _count(batch, outcome)
    with transaction.atomic():
        batch.save()
        record(
            "imports.previewed",
            actor=actor,
            structure=structure,
            target=batch,
            request=request,
            content=kind,
            rows=batch.n_rows,
            errors=batch.n_errors,
            already=batch.n_already,
        )
    return batch


def decide(batch, *, import_valid: bool, actor, request=None) -> ImportBatch:
    """Import the valid rows (one transaction), or nothing; either way the cells are dropped."""
    if batch.status != ImportBatch.Status.PENDING:
        raise ValidationError(
            _("Ce fichier a déjà été traité : déposez-le à nouveau pour un nouvel import.")
        )
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != ImportBatch.Status.PENDING:
            raise ValidationError(
                _("Ce fichier a déjà été traité : déposez-le à nouveau pour un nouvel import.")
            )
        if import_valid:
            outcome = run_rows(
                batch.structure,
                batch.kind,
                [(line, values) for line, values in batch.rows],
                actor=actor,
                commit=True,
            )
            _count(batch, outcome)
            batch.n_created = batch.n_valid
            batch.status = ImportBatch.Status.IMPORTED
        else:
            batch.status = ImportBatch.Status.CANCELLED
        batch.rows, batch.decided_at, batch.decided_by = [], timezone.now(), actor
        batch.save()
        record(
            "imports.imported" if import_valid else "imports.cancelled",
            actor=actor,
            structure=batch.structure,
            target=batch,
            request=request,
            content=batch.kind,
            created=batch.n_created,
            errors=batch.n_errors,
        )
    return batch


def import_file(*, structure, kind, name, content, actor, dry_run=False, skip_invalid=False):
    """The command line's flow: all the rows or none unless ``skip_invalid``."""
    rows, ignored = parse_file(kind, name, content)
    outcome = run_rows(structure, kind, rows, actor=actor, commit=False)
    has_errors = any(o["result"] == ERROR for o in outcome)
    if dry_run or (has_errors and not skip_invalid):
        return outcome, ignored, False
    with transaction.atomic():
        outcome = run_rows(structure, kind, rows, actor=actor, commit=True)
        batch = ImportBatch(
            structure=structure,
            kind=kind,
            file_name=name[-200:],
            ignored_columns=ignored,
            file_sha256=hashlib.sha256(content).hexdigest(),
            created_by=actor,
            status=ImportBatch.Status.IMPORTED,
            decided_at=timezone.now(),
            decided_by=actor,
        )
        _count(batch, outcome)
        batch.n_created = batch.n_valid
        batch.save()
        record(
            "imports.imported",
            actor=actor,
            structure=structure,
            target=batch,
            content=kind,
            created=batch.n_created,
            errors=batch.n_errors,
            channel="command",
        )
    return outcome, ignored, True


def template_workbook(kind_slug) -> bytes:
    """A file to fill in: the columns with an example line, and a sheet that explains them."""
    kind = KINDS[kind_slug]
    book = Spreadsheet()
    headers = [str(c.label) + (" *" if c.required else "") for c in kind.columns]
    headers += [h for h, _example in kind.extra_examples]
    sheet = book.sheet(kind.title, header=headers, widths=[max(14, len(h) + 4) for h in headers])
    book.row(sheet, [c.example for c in kind.columns] + [e for _h, e in kind.extra_examples])
    help_sheet = book.sheet("Aide", header=[_("Colonne"), _("Obligatoire"), _("À savoir")])
    for column in kind.columns:
        book.row(help_sheet, [column.label, _("oui") if column.required else _("non"), column.help])
    help_sheet.append([])
    help_sheet.append(
        [_("Remplacez la ligne d'exemple par vos lignes. Dates au format JJ/MM/AAAA.")]
    )
    for note in kind.notes:
        help_sheet.append([str(note)])
    return book.to_bytes()


def report_workbook(batch) -> bytes:
    results = {
        CREATED: _("importée") if batch.status == ImportBatch.Status.IMPORTED else _("valide"),
        ALREADY: _("déjà importée"),
        ERROR: _("erreur, non importée"),
    }
    book = Spreadsheet()
    sheet = book.sheet(
        _("Compte rendu"),
        header=[_("Ligne du fichier"), _("Personne"), _("Résultat"), _("Messages")],
    )
    for entry in batch.outcome:
        sheet.append(
            [entry["line"], entry["label"], results[entry["result"]], " ; ".join(entry["messages"])]
        )
    return book.to_bytes()


def survey_template(survey) -> bytes:
    """The file to type a survey's paper questionnaires in: one column per question."""
    from binome.voice.models import Question

    kind = KINDS["reponses"]
    questions = list(Question.objects.filter(survey=survey).order_by("position", "id"))
    headers = [str(c.label) + " *" for c in kind.columns]
    headers += [f"Q{i} — {q.label}"[:120] for i, q in enumerate(questions, start=1)]
    book = Spreadsheet()
    sheet = book.sheet(_("Questionnaires"), header=headers, widths=[24] * len(headers))
    book.row(sheet, [survey.title, "1"] + ["" for _q in questions])
    help_sheet = book.sheet("Aide", header=[_("Question"), _("Réponses possibles")])
    for i, question in enumerate(questions, start=1):
        if question.kind == Question.Kind.TEXT:
            possible = _("texte libre")
        elif question.kind == Question.Kind.SCALE:
            possible = _("de 1 (pas du tout satisfait) à 5 (très satisfait)")
        else:
            possible = " ; ".join(f"{n} = {label}" for n, label in enumerate(question.choices, 1))
        book.row(help_sheet, [f"Q{i} — {question.label}", possible])
    for note in kind.notes[1:]:
        help_sheet.append([str(note)])
    return book.to_bytes()
