"""Personal data of peer accompaniment: what is exported and erased for an accompanied patient
(found by their light account, their e-mail address or their record) and for a partner.

Consents stay as proof (GDPR art. 7(1): the controller must be able to show consent was
given), attached to an anonymised patient. Dates, durations and counts of exchanges stay for
the team's statistics; every free text is wiped.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from binome.accompaniment.models import (
    Accompaniment,
    Alert,
    Consent,
    Contact,
    Handover,
    KeyMoment,
    Patient,
    PatientFeedback,
    SupervisionSession,
)
from binome.privacy.registry import person_source, register


def _patients(person):
    q = Q(pk__in=person.of(Patient))
    if person.user is not None:
        q |= Q(user=person.user)
    if person.emails:
        q |= Q(email__in=person.emails)
    return Patient.objects.filter(q)


def _of_patient(model, path):
    return lambda person: model.objects.filter(**{f"{path}__in": _patients(person)})


def _of_partner_user(model, path):
    def subject(person):
        if person.user is None:
            return model.objects.none()
        return model.objects.filter(**{f"{path}__membership__user": person.user})

    return subject


person_source(
    Patient,
    title=_("Patients accompagnés"),
    queryset=lambda structure: Patient.objects.filter(structure=structure),
)

register(
    Patient,
    fields=["first_name", "last_name", "phone", "email", "pathway", "created_at"],
    subject=_patients,
    erase="anonymise",
    anonymise={
        "first_name": _("Personne effacée"),
        "last_name": "",
        "phone": "",
        "email": "",
        "user": None,
    },
    order=400,
)
register(
    Consent,
    fields=["purpose", "text_version", "method", "given_at", "withdrawn_at"],
    subject=_of_patient(Consent, "patient"),
    erase="keep",
    keep_reason=_(
        "Preuve du consentement donné et retiré (RGPD, article 7.1) ; la personne est anonymisée."
    ),
    structure_path="patient__structure",
    order=300,
)
register(
    Accompaniment,
    fields=[
        "status",
        "referred_at",
        "first_contact_at",
        "ended_at",
        "end_reason",
        "end_comment",
        "notes_for_partner",
    ],
    subject=_of_patient(Accompaniment, "patient"),
    erase="anonymise",
    anonymise={"end_comment": "", "notes_for_partner": ""},
    order=300,
)
register(
    KeyMoment,
    fields=["kind", "label", "date", "time"],
    subject=_of_patient(KeyMoment, "accompaniment__patient"),
    erase="delete",
    structure_path="accompaniment__structure",
    order=200,
)
register(
    Contact,
    fields=[
        "occurred_at",
        "channel",
        "place",
        "duration_minutes",
        "private_notes",
        "summary_to_share",
    ],
    subject=_of_patient(Contact, "accompaniment__patient"),
    erase="anonymise",
    anonymise={"private_notes": "", "summary_to_share": ""},
    structure_path="accompaniment__structure",
    order=200,
)
register(
    Alert,
    fields=["raised_at", "message", "acknowledged_at", "response"],
    subject=_of_patient(Alert, "accompaniment__patient"),
    erase="anonymise",
    anonymise={"message": "", "response": ""},
    structure_path="accompaniment__structure",
    order=200,
)
register(
    Handover,
    fields=["kind", "reason", "handed_at", "reassigned_at"],
    subject=lambda person: Handover.objects.filter(
        Q(accompaniment__patient__in=_patients(person))
        | (Q(partner__membership__user=person.user) if person.user is not None else Q(pk__in=[]))
    ),
    erase="anonymise",
    anonymise={"reason": ""},
    structure_path="accompaniment__structure",
    order=200,
)
register(
    PatientFeedback,
    fields=["usefulness", "felt_listened_to", "would_recommend", "comment"],
    subject=_of_patient(PatientFeedback, "accompaniment__patient"),
    erase="anonymise",
    anonymise={"comment": ""},
    structure_path="accompaniment__structure",
    order=200,
)
register(
    SupervisionSession,
    fields=["date", "supervisor_name", "duration_minutes", "private_notes"],
    subject=_of_partner_user(SupervisionSession, "partner"),
    erase="delete",
    order=200,
)
