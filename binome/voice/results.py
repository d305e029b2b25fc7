"""Survey results in a constant number of queries, whatever the number of answers.

Counts come from two GROUP BY queries on Answer (indexed on question, value); free-text
examples from one query per free-text question (bounded by the survey's design).
"""

import csv
from dataclasses import dataclass, field
from io import StringIO

from django.db.models import Count, Q

from binome.core.spreadsheets import Spreadsheet, csv_cells
from binome.people.scoping import scopes_disabled
from binome.voice.models import Answer, Question, Response

TEXT_EXAMPLES = 5


@dataclass
class OptionResult:
    value: int
    label: str
    count: int
    percent: int


@dataclass
class QuestionResult:
    question: Question
    respondents: int
    options: list[OptionResult] = field(default_factory=list)
    average: float | None = None
    examples: list[str] = field(default_factory=list)
    text_count: int = 0


@dataclass
class SurveyResults:
    total: int
    by_channel: dict
    questions: list[QuestionResult]

    def sections(self):
        groups = []
        current = object()
        for qr in self.questions:
            if qr.question.section_id != current:
                current = qr.question.section_id
                groups.append(
                    {
                        "title": qr.question.section.title if qr.question.section else "",
                        "questions": [],
                    }
                )
            groups[-1]["questions"].append(qr)
        return groups


def survey_results(survey) -> SurveyResults:
    """``survey`` was looked up through its scoped manager; the answer queries below are
    restricted to its questions, so they skip the scope's join on Response (3× faster)."""
    with scopes_disabled():
        return _survey_results(survey)


def _survey_results(survey) -> SurveyResults:
    questions = list(
        Question.objects.filter(survey=survey).select_related("section").order_by("position", "id")
    )
    ids = [q.pk for q in questions]
    channels = {
        row["channel"]: row["n"]
        for row in Response.objects.filter(survey=survey).values("channel").annotate(n=Count("id"))
    }
    counts: dict[int, dict[int, int]] = {}
    for row in (
        Answer.objects.filter(question_id__in=ids, value__isnull=False)
        .values("question_id", "value")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts.setdefault(row["question_id"], {})[row["value"]] = row["n"]
    # Respondents per question: one answer per response for scales, single choices and
    # texts, so counted from the rows; one more query for multiple choices (distinct
    # responses) and texts (non-empty answers) together.
    multiple_ids = [q.pk for q in questions if q.kind == Question.Kind.MULTIPLE]
    text_ids = [q.pk for q in questions if q.kind == Question.Kind.TEXT]
    respondents = {qid: sum(by_value.values()) for qid, by_value in counts.items()}
    if multiple_ids or text_ids:
        rows = (
            Answer.objects.filter(question_id__in=multiple_ids + text_ids)
            .values("question_id")
            .annotate(
                distinct_responses=Count("response_id", distinct=True),
                texts=Count("id", filter=~Q(text="")),
            )
            .order_by()
        )
        for row in rows:
            qid = row["question_id"]
            respondents[qid] = row["texts"] if qid in text_ids else row["distinct_responses"]
    results = []
    for q in questions:
        n = respondents.get(q.pk, 0)
        qr = QuestionResult(question=q, respondents=n)
        if q.kind == Question.Kind.TEXT:
            qr.text_count = n
            qr.examples = (
                []
                if not n
                else list(
                    Answer.objects.filter(question=q)
                    .exclude(text="")
                    .order_by("-id")
                    .values_list("text", flat=True)[:TEXT_EXAMPLES]
                )
            )
        else:
            by_value = counts.get(q.pk, {})
            for value, label in q.options:
                c = by_value.get(value, 0)
                qr.options.append(
                    OptionResult(value, str(label), c, round(100 * c / n) if n else 0)
                )
            if q.kind == Question.Kind.SCALE and n:
                qr.average = sum(v * c for v, c in by_value.items()) / sum(by_value.values())
        results.append(qr)
    return SurveyResults(total=sum(channels.values()), by_channel=channels, questions=results)


def texts_of(question_ids) -> dict[int, list[str]]:
    """Free texts of questions already checked to belong to a visible survey."""
    out: dict[int, list[str]] = {qid: [] for qid in question_ids}
    with scopes_disabled():
        rows = list(
            Answer.objects.filter(question_id__in=question_ids)
            .exclude(text="")
            .values_list("question_id", "text")
        )
    for qid, text in rows:
        out[qid].append(text)
    return out


# Exports: one row per response, one column per question --------------------------------


def export_rows(survey) -> list:
    """Header then one row per response (the survey was looked up through its scoped manager)."""
    with scopes_disabled():
        return list(_export_rows(survey))


def _export_rows(survey):
    questions = list(Question.objects.filter(survey=survey).order_by("position", "id"))
    header = ["réponse", "date", "canal", *[q.label for q in questions]]
    yield header
    index = {q.pk: i for i, q in enumerate(questions)}
    labels = {q.pk: dict(q.options) for q in questions}
    kinds = {q.pk: q.kind for q in questions}
    responses = (
        Response.objects.filter(survey=survey)
        .order_by("id")
        .values_list("id", "submitted_at", "channel")
    )
    answers = (
        Answer.objects.filter(response__survey=survey)
        .order_by("response_id", "id")
        .values_list("response_id", "question_id", "value", "text")
        .iterator(chunk_size=5000)
    )
    pending = next(answers, None)
    for number, (rid, submitted_at, channel) in enumerate(
        responses.iterator(chunk_size=2000), start=1
    ):
        cells = [""] * len(questions)
        while pending is not None and pending[0] == rid:
            _rid, qid, value, text = pending
            i = index[qid]
            if kinds[qid] == Question.Kind.TEXT:
                cells[i] = text
            elif kinds[qid] == Question.Kind.SCALE:
                cells[i] = value
            else:
                label = str(labels[qid].get(value, value))
                cells[i] = f"{cells[i]} ; {label}" if cells[i] else label
            pending = next(answers, None)
        yield [number, submitted_at.strftime("%d/%m/%Y %H:%M"), channel, *cells]


def export_csv(survey) -> str:
    buffer = StringIO()
    writer = csv.writer(buffer, delimiter=";")
    for row in export_rows(survey):
        writer.writerow(csv_cells(row))
    return "\ufeff" + buffer.getvalue()  # BOM: spreadsheet software reads the accents


def export_xlsx(survey) -> bytes:
    book = Spreadsheet(streaming=True)
    rows = iter(export_rows(survey))
    ws = book.sheet("Réponses", header=next(rows))
    for row in rows:
        ws.append(row)
    return book.to_bytes()
