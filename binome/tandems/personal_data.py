"""Personal data of tandems: the reports (about a patient, written by a partner) are
exported and wiped; scopes and practice-group sessions hold no data about a person."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from binome.accompaniment.models import Patient
from binome.privacy.registry import not_personal, register
from binome.tandems.models import PracticeGroupSession, TandemReport, TandemScope


def _reports(person):
    """Reports about the person as a patient, or written by the person as a partner."""
    patient = Q(pk__in=person.of(Patient))
    if person.user is not None:
        patient |= Q(user=person.user)
    if person.emails:
        patient |= Q(email__in=person.emails)
    q = Q(accompaniment__patient__in=Patient.objects.filter(patient))
    if person.user is not None:
        q |= Q(tandem__partner__membership__user=person.user)
    return TandemReport.objects.filter(q)


register(
    TandemReport,
    fields=[
        "created_at",
        "patient_expressed",
        "needs",
        "agreed_to_share",
        "next_steps",
        "detail",
        "reply",
    ],
    subject=_reports,
    erase="anonymise",
    anonymise={
        "patient_expressed": "",
        "needs": "",
        "agreed_to_share": "",
        "next_steps": "",
        "detail": "",
        "reply": "",
    },
    structure_path="tandem__structure",
    order=200,
)
not_personal(
    TandemScope,
    ["text"],
    reason=_(
        "Périmètre d'action convenu dans un tandem : règles de travail, pas une donnée sur une personne."
    ),
)
not_personal(
    PracticeGroupSession,
    ["anonymised_cases", "notes"],
    reason=_(
        "Situations anonymisées par construction (le formulaire l'exige) et enseignements du groupe."
    ),
)
