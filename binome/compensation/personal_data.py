"""Personal data of compensation: a partner's time, expenses (with receipts) and statements.

Amounts, dates and durations are accounting records and stay after an erasure (the partner
record itself is anonymised by the partners app); free texts that may name people are wiped.
"""

from django.utils.translation import gettext_lazy as _

from binome.compensation.models import Expense, FundingSource, Statement, TimeEntry
from binome.privacy.registry import not_personal, register


def _drop_receipt(expense):
    if expense.receipt:
        expense.receipt.delete(save=False)
    return ""


def _of_partner(model):
    def subject(person):
        if person.user is None:
            return model.objects.none()
        return model.objects.filter(partner__membership__user=person.user)

    return subject


register(
    TimeEntry,
    fields=[
        "date",
        "mission",
        "duration_minutes",
        "activity",
        "note",
        "status",
        "amount",
        "review_comment",
    ],
    subject=_of_partner(TimeEntry),
    erase="anonymise",
    anonymise={"note": "", "review_comment": ""},
    order=50,
)

register(
    Expense,
    fields=[
        "date",
        "mission",
        "kind",
        "kilometres",
        "km_rate",
        "declared_amount",
        "amount",
        "description",
        "receipt",
        "receipt_name",
        "status",
        "review_comment",
    ],
    subject=_of_partner(Expense),
    erase="anonymise",
    # The photo of a receipt may show a name or an address: the file goes with the texts.
    anonymise={
        "description": "",
        "receipt": lambda expense: _drop_receipt(expense),
        "receipt_name": "",
        "review_comment": "",
    },
    order=50,
)

register(
    Statement,
    fields=[
        "number",
        "period_start",
        "period_end",
        "total_minutes",
        "time_amount",
        "expenses_amount",
        "total",
    ],
    subject=_of_partner(Statement),
    erase="keep",
    keep_reason=_(
        "Relevé de sommes versées : pièce comptable conservée 10 ans (article L123-22 du code de commerce)."
    ),
    order=50,
)

not_personal(
    FundingSource,
    ["name", "notes"],
    reason=_("Intitulé et précisions d'un financement (ACI, ARS…), pas d'une personne."),
)
