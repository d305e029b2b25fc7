"""Qualitative coding of a survey's free-text answers, the seeds' own method of analysis
(the GP thesis and the Fécop survey code their verbatims by hand): each verbatim gets one or
more labels, each label a property (what it describes), labels are grouped into categories.

The automatic themes (binome.voice.themes) save time; this is the method a team can defend.
Suggestions come from the answers already coded: a label is proposed for an answer that
shares words with the answers that carry it.
"""

from collections import Counter, defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from binome.audit.services import record
from binome.core.spreadsheets import Spreadsheet
from binome.voice.models import Answer, CodedAnswer, CodingCategory, CodingLabel, Question
from binome.voice.themes import _TOKEN, fold, stop_words


def text_answers(survey):
    """The survey's written answers, oldest first (the order the team codes them in)."""
    return (
        Answer.objects.filter(question__survey=survey, question__kind=Question.Kind.TEXT)
        .exclude(text="")
        .select_related("question")
        .order_by("response__submitted_at", "id")
    )


def _words(text) -> set[str]:
    return {w for w in _TOKEN.findall(fold(text)) if w not in stop_words()}


@transaction.atomic
def add_label(survey, answer, *, name, property="", user=None, request=None) -> CodedAnswer:
    name = " ".join(name.split())[:120]
    if not name:
        raise ValidationError(_("Écrivez l'étiquette."))
    if answer.question.survey_id != survey.pk:
        raise ValidationError(_("Cette réponse n'appartient pas à l'enquête."))
    label, created = CodingLabel.objects.get_or_create(
        survey=survey, name=name, defaults={"property": property.strip()[:200]}
    )
    if not created and property.strip() and not label.property:
        label.property = property.strip()[:200]
        label.save(update_fields=["property"])
    coded, _new = CodedAnswer.objects.get_or_create(
        answer=answer, label=label, defaults={"coded_by": user}
    )
    record(
        "voice.answer_coded",
        request=request,
        actor=user,
        structure=survey.structure,
        target=survey,
        label=label.pk,
    )
    return coded


@transaction.atomic
def remove_label(survey, coded, *, user=None, request=None):
    coded.delete()
    record(
        "voice.answer_coded",
        request=request,
        actor=user,
        structure=survey.structure,
        target=survey,
        removed=True,
    )


@transaction.atomic
def set_category(
    survey, label, *, category_name, property=None, user=None, request=None
) -> CodingLabel:
    name = " ".join((category_name or "").split())[:120]
    label.category = (
        CodingCategory.objects.get_or_create(survey=survey, name=name)[0] if name else None
    )
    fields = ["category"]
    if property is not None:
        label.property = property.strip()[:200]
        fields.append("property")
    label.save(update_fields=fields)
    CodingCategory.objects.filter(
        survey=survey, labels__isnull=True
    ).delete()  # categories left empty go
    record(
        "voice.labels_grouped",
        request=request,
        actor=user,
        structure=survey.structure,
        target=survey,
    )
    return label


def suggestions(survey, answers, *, per_answer=3) -> dict[int, list[str]]:
    """Label names to propose for each answer not coded yet, from the words it shares with
    the answers that already carry each label (at least two shared words)."""
    words_by_label: dict[str, Counter] = defaultdict(Counter)
    for name, text in CodedAnswer.objects.filter(label__survey=survey).values_list(
        "label__name", "answer__text"
    ):
        words_by_label[name].update(_words(text))
    result = {}
    for answer in answers:
        if getattr(answer, "coded_names", None):
            continue
        mine = _words(answer.text)
        scored = sorted(
            ((sum(1 for w in mine if c[w]), name) for name, c in words_by_label.items()),
            reverse=True,
        )
        result[answer.pk] = [name for score, name in scored if score >= 2][:per_answer]
    return result


def summary(survey) -> list[dict]:
    """Per category: its labels and how many answers carry at least one of them."""
    coded_total = (
        CodedAnswer.objects.filter(label__survey=survey).values("answer").distinct().count()
    )
    rows = []
    answers_by_category: dict = defaultdict(set)
    labels_by_category: dict = defaultdict(list)
    for label_name, category, answer_id in CodedAnswer.objects.filter(
        label__survey=survey
    ).values_list("label__name", "label__category__name", "answer_id"):
        key = category or _("(sans catégorie)")
        answers_by_category[key].add(answer_id)
        if label_name not in labels_by_category[key]:
            labels_by_category[key].append(label_name)
    for key, answers in sorted(answers_by_category.items(), key=lambda kv: -len(kv[1])):
        rows.append(
            {
                "category": key,
                "answers": len(answers),
                "labels": sorted(labels_by_category[key]),
                "share": round(100 * len(answers) / coded_total) if coded_total else 0,
            }
        )
    return rows


def export_xlsx(survey) -> bytes:
    """The coded table (one row per verbatim) and the category summary, for the team's report."""
    book = Spreadsheet()
    table = book.sheet(
        "Verbatims codés",
        header=["Question", "Verbatim", "Étiquettes", "Propriétés", "Catégories"],
        widths=[30, 60, 30, 30, 30],
    )
    codes = defaultdict(list)
    for coded in CodedAnswer.objects.filter(label__survey=survey).select_related("label__category"):
        codes[coded.answer_id].append(coded.label)
    for answer in text_answers(survey):
        labels = sorted(codes.get(answer.pk, []), key=lambda lb: lb.name)
        table.append(
            [
                answer.question.label,
                answer.text,
                " ; ".join(lb.name for lb in labels),
                " ; ".join(lb.property for lb in labels if lb.property),
                " ; ".join(sorted({lb.category.name for lb in labels if lb.category})),
            ]
        )
    sheet = book.sheet(
        "Catégories",
        header=["Catégorie", "Verbatims", "Part des verbatims codés (%)", "Étiquettes"],
    )
    for row in summary(survey):
        sheet.append([row["category"], row["answers"], row["share"], " ; ".join(row["labels"])])
    book.wrap(table)
    book.wrap(sheet)
    return book.to_bytes()
