"""Who sees what of an accompaniment: the one place where consent is enforced.

Pages, htmx fragments, the API, exports, the calendar feed and notifications read the
fields through the functions here (``Access.patient_fields``, ``Access.contact_fields``,
``Access.alert_fields``; tandem reports: ``binome.tandems.access.report_fields``); no template or handler decides a field again.

- The partner sees only the accompaniments referred to them; the patient's surname, phone
  and e-mail only while the "share contact details" consent is active (first name and
  initial otherwise); their own private notes.
- The referring and designated professionals see the key moments, the dates and
  counts of exchanges, and the shared summaries only while the "share summaries"
  consent is active. Never the private notes.
- The coordinator sees metadata (who, status, delays, counts), never the content, and the
  patient's first name and initial.
- The patient sees their own consents, key moments and who accompanies them.
- Free text about a patient that reaches the care team (contact summaries, the text of an
  urgent alert, tandem reports) is shown only while the "share summaries" consent is
  active, at the moment of reading: a withdrawal hides what was written before it too.
  The existence of an alert always reaches the care team; its text follows the consent.
"""

import uuid
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch

from binome.accompaniment.models import Accompaniment, Consent, ConsentPurpose, Patient
from binome.people.models import Role


def roles_of(request, structure) -> set[str]:
    """The caller's roles in the structure of the object (pages: current structure; API: any)."""
    memberships = getattr(request, "binome", None)
    if memberships is None:
        return set()
    return {m.role for m in request.binome.memberships if m.structure_id == structure.pk}


def visible_accompaniments(request, structure=None):
    structure = structure or request.structure
    if structure is None:
        return Accompaniment.objects.none()
    return Accompaniment.objects.visible_to(request.user, roles_of(request, structure), structure)


def patient_summary(first_name: str, last_name: str, pathway: str) -> dict:
    """The patient as lists show them, whoever reads them (pages and API alike): first name
    and initial. It needs no access of the reader, so a list reads no consent for it."""
    return {
        "name": Patient.display_name_of(first_name, last_name),
        "first_name": first_name,
        "last_name": last_name[:1],
        "pathway": pathway,
    }


@dataclass
class Access:
    accompaniment: Accompaniment
    roles: set = field(default_factory=set)
    is_partner: bool = False
    is_referrer: bool = False
    is_designated: bool = False
    is_coordinator: bool = False
    is_patient: bool = False
    consents: dict = field(default_factory=dict)  # purpose -> active Consent
    user_id: int | None = None

    def consent(self, purpose) -> bool:
        return str(purpose) in self.consents

    @property
    def is_care_team(self):
        return self.is_referrer or self.is_designated

    @property
    def sees_contact_details(self):
        if self.is_care_team or self.is_patient:
            return True
        return self.is_partner and self.consent(ConsentPurpose.SHARE_CONTACT_DETAILS)

    @property
    def reads_private_notes(self):
        return self.is_partner

    @property
    def sees_shared_summaries(self):
        """The team's view of the summaries: only while the patient agrees."""
        return (self.is_care_team or self.is_partner) and self.consent(
            ConsentPurpose.SHARE_SUMMARIES
        )

    @property
    def sees_key_moments(self):
        return self.is_partner or self.is_care_team or self.is_patient

    @property
    def sees_patient_surname(self):
        """The full surname; everyone else who may open the accompaniment reads the initial."""
        if self.is_care_team or self.is_patient:
            return True
        return self.is_partner and self.consent(ConsentPurpose.SHARE_CONTACT_DETAILS)

    @property
    def sees_contact_log(self):
        """The list of exchanges (dates, channel, duration); their texts follow their own rules."""
        return self.is_partner or self.is_care_team or self.is_coordinator

    @property
    def reads_alert_text(self):
        return self.is_partner or (
            self.is_care_team and self.consent(ConsentPurpose.SHARE_SUMMARIES)
        )

    @property
    def reads_alert_response(self):
        return self.is_partner or self.is_care_team

    @property
    def reads_referral_message(self):
        return self.is_partner or self.is_referrer

    def handover_fields(self, handover) -> dict:
        """The history of partners: who, when, what; the reason for the coordination only."""
        return {
            "public_id": handover.public_id,
            "partner": handover.partner.full_name,
            "kind": handover.kind,
            "kind_label": handover.get_kind_display(),
            "handed_at": handover.handed_at,
            "reason": handover.reason if self.reads_handover_reasons else None,
            "reassigned_to": handover.reassigned_to.full_name
            if handover.reassigned_to_id
            else None,
            "reassigned_at": handover.reassigned_at,
        }

    def patient_fields(self) -> dict:
        """The patient as this person may see them, for every path (page, API, exports)."""
        patient = self.accompaniment.patient
        surname = patient.last_name if self.sees_patient_surname else patient.last_name[:1]
        contact = self.sees_contact_details
        if self.sees_patient_surname:
            name = f"{patient.first_name} {surname}".strip()
        else:
            name = patient.display_name
        return {
            "name": name,
            "first_name": patient.first_name,
            "last_name": surname,
            "pathway": patient.pathway,
            "phone": patient.phone if contact else None,
            "email": patient.email if contact else None,
        }

    def patient_summary(self) -> dict:
        patient = self.accompaniment.patient
        return patient_summary(patient.first_name, patient.last_name, patient.pathway)

    def contact_fields(self, contact) -> dict:
        # A partner reads the texts of the exchanges they logged, not those of a partner
        # who accompanied the patient before them.
        if self.is_partner and contact.created_by_id not in (None, self.user_id):
            return {
                "id": contact.public_id,
                "occurred_at": contact.occurred_at,
                "channel": contact.channel,
                "place": contact.place,
                "duration_minutes": contact.duration_minutes,
                "private_notes": None,
                "summary_to_share": None,
            }
        return {
            "id": contact.public_id,
            "occurred_at": contact.occurred_at,
            "channel": contact.channel,
            "place": contact.place,
            "duration_minutes": contact.duration_minutes,
            "private_notes": contact.private_notes if self.reads_private_notes else None,
            # The partner wrote it; the team reads it only while the patient agrees.
            "summary_to_share": contact.summary_to_share
            if (self.is_partner or self.sees_shared_summaries)
            else None,
        }

    def alert_fields(self, alert) -> dict:
        by = alert.acknowledged_by
        return {
            "public_id": alert.public_id,
            "raised_at": alert.raised_at,
            "acknowledged_at": alert.acknowledged_at,
            "acknowledged_by": (by.get_full_name() or by.email) if by is not None else None,
            "escalated_at": alert.escalated_at,
            "message": alert.message if self.reads_alert_text else None,
            "response": alert.response if self.reads_alert_response else None,
        }

    @property
    def can_log(self):
        return self.is_partner and not self.accompaniment.is_ended

    @property
    def can_hand_back(self):
        """The partner may decline a referral or hand an accompaniment back at any time."""
        return self.is_partner and self.accompaniment.status in (
            Accompaniment.Status.REFERRED,
            Accompaniment.Status.ACTIVE,
        )

    @property
    def can_reassign(self):
        return self.is_coordinator and self.accompaniment.status == Accompaniment.Status.TO_REASSIGN

    @property
    def reads_handover_reasons(self):
        return self.is_coordinator

    @property
    def can_end(self):
        return not self.accompaniment.is_ended and (
            self.is_partner or self.is_referrer or self.is_coordinator or self.is_patient
        )

    @property
    def can_acknowledge_alerts(self):
        """A clinician of the care team takes the alert in charge; the coordination is warned
        when nobody did, but cannot close it: it does not read the alert and is no clinician."""
        return self.is_care_team

    @property
    def can_manage_consents(self):
        """Record a withdrawal told by phone, print the form, send the online link."""
        return self.is_referrer or self.is_coordinator or self.is_patient

    @property
    def ended_by_role(self):
        if self.is_patient:
            return Accompaniment.EndedByRole.PATIENT
        if self.is_partner:
            return Accompaniment.EndedByRole.PARTNER
        return Accompaniment.EndedByRole.TEAM


def access_for(user, roles, accompaniment, consents=None) -> Access:
    roles = {str(r) for r in roles}
    acc = accompaniment
    partner_user_id = (
        acc.partner.membership.user_id
        if acc.partner.membership_id and acc.partner.membership.is_active
        else None
    )
    if consents is None:
        consents = {
            c.purpose: c for c in Consent.objects.filter(patient_id=acc.patient_id).active()
        }
    designated_user_ids = {m.user_id for m in acc.designated_professionals.all()}
    return Access(
        accompaniment=acc,
        roles=roles,
        user_id=user.pk,
        # Once handed back, the accompaniment is no longer the partner's.
        is_partner=Role.PARTNER in roles
        and partner_user_id == user.pk
        and acc.status != Accompaniment.Status.TO_REASSIGN,
        is_referrer=Role.PROFESSIONAL in roles and acc.referred_by.user_id == user.pk,
        is_designated=Role.PROFESSIONAL in roles and user.pk in designated_user_ids,
        is_coordinator=Role.COORDINATOR in roles,
        is_patient=Role.PATIENT in roles and acc.patient.user_id == user.pk,
        consents=consents,
    )


def base_queryset():
    from binome.people.models import Membership

    return Accompaniment.objects.select_related(
        "structure", "patient", "partner__membership", "referred_by__user"
    ).prefetch_related(
        Prefetch("designated_professionals", queryset=Membership.objects.select_related("user"))
    )


def exchange_figures() -> dict:
    """The number of exchanges, the last one and their minutes, as annotations (correlated
    subqueries: no join multiplies the accompaniment's row)."""
    from django.db.models import Count, Max, Subquery, Sum
    from django.db.models.functions import Coalesce

    from binome.accompaniment.models import Contact

    of = Contact.objects.filter(accompaniment=OuterRef("pk")).order_by().values("accompaniment")
    return {
        "n_contacts": Coalesce(Subquery(of.annotate(n=Count("id")).values("n")[:1]), 0),
        "last_contact": Subquery(of.annotate(last=Max("occurred_at")).values("last")[:1]),
        "contact_minutes": Subquery(of.annotate(m=Sum("duration_minutes")).values("m")[:1]),
    }


def _object_query(public_id, figures: bool):
    queryset = Accompaniment.objects.select_related(
        "structure", "patient", "partner__membership", "referred_by__user"
    ).filter(public_id=public_id)
    return queryset.annotate(**exchange_figures()) if figures else queryset


def read_accompaniment(public_id, *, figures: bool = False) -> Accompaniment | None:
    """The accompaniment with all that its access rule reads: structure, patient, partner,
    referrer, the designated professionals (``designated_professionals.all()``) and every
    consent of the patient, given or withdrawn (``patient.all_consents``). ``figures`` adds
    the exchange figures (``exchange_figures()``). Read through kept SQL, compiled once for
    every accompaniment (binome.core.kept_sql); None when none has this id in scope."""
    from binome.core import kept_sql
    from binome.people.models import Membership

    if not isinstance(public_id, uuid.UUID):
        try:
            public_id = uuid.UUID(str(public_id))
        except ValueError:
            return None
    acc = kept_sql.one(
        "accompaniment.object",
        (figures,),
        lambda public_id: _object_query(public_id, figures),
        args=(public_id,),
    )
    if acc is None:
        return None
    designated = kept_sql.instances(
        "accompaniment.designated",
        (),
        lambda pk: Membership.objects.filter(designated_accompaniments=pk).select_related("user"),
        args=(acc.pk,),
    )
    kept_sql.cache_prefetched(acc, "designated_professionals", designated)
    acc.patient.all_consents = kept_sql.instances(  # type: ignore[attr-defined]
        "accompaniment.consents",
        (),
        lambda pk: Consent.objects.filter(patient_id=pk).order_by("purpose", "-given_at"),
        args=(acc.patient_id,),
    )
    return acc


def patient_accompaniments(structure_id: int, user_id: int) -> list[Accompaniment]:
    """The accompaniments of the patient whose account is ``user_id``, in this structure,
    newest first, with the partner, every consent (``patient.consents.all()``), the key
    moments (``key_moments.all()``) and ``has_feedback``. Kept SQL, compiled once."""
    from binome.accompaniment.models import KeyMoment, PatientFeedback
    from binome.core import kept_sql

    def own(structure_id, user_id):
        return Accompaniment.objects.filter(
            structure=structure_id,
            patient__in=Patient.objects.filter(user=user_id).values("pk"),
        )

    args = (structure_id, user_id)
    accompaniments = kept_sql.instances(
        "accompaniment.patient_own",
        (),
        lambda structure_id, user_id: (
            own(structure_id, user_id)
            .select_related("partner", "patient")
            .annotate(
                has_feedback=Exists(PatientFeedback.objects.filter(accompaniment=OuterRef("pk")))
            )
            .order_by("-referred_at")
        ),
        args=args,
    )
    if not accompaniments:
        return []
    consents: dict[int, list] = {}
    moments: dict[int, list] = {}
    for consent in kept_sql.instances(
        "accompaniment.patient_own.consents",
        (),
        lambda structure_id, user_id: Consent.objects.filter(
            patient__in=own(structure_id, user_id).values("patient")
        ).order_by("purpose", "-given_at"),
        args=args,
    ):
        consents.setdefault(consent.patient_id, []).append(consent)
    for moment in kept_sql.instances(
        "accompaniment.patient_own.key_moments",
        (),
        lambda structure_id, user_id: KeyMoment.objects.filter(
            accompaniment__in=own(structure_id, user_id)
        ),
        args=args,
    ):
        moments.setdefault(moment.accompaniment_id, []).append(moment)
    for acc in accompaniments:
        kept_sql.cache_prefetched(acc.patient, "consents", consents.get(acc.patient_id, []))
        kept_sql.cache_prefetched(acc, "key_moments", moments.get(acc.pk, []))
    return accompaniments


class AccompanimentReads:
    """What an accompaniment's page shows beside it, each read through kept SQL compiled
    once for every accompaniment. Access decides what of it is shown (``Access``)."""

    def __init__(self, accompaniment_pk: int):
        self.pk = accompaniment_pk

    def _read(self, name, build):
        from binome.core import kept_sql

        return kept_sql.instances(f"accompaniment.{name}", (), build, args=(self.pk,))

    def alerts(self, limit: int = 20):
        from binome.accompaniment.models import Alert

        return self._read(
            "alerts",
            lambda pk: Alert.objects.filter(accompaniment=pk).select_related("acknowledged_by")[
                :limit
            ],
        )

    def key_moments(self):
        from binome.accompaniment.models import KeyMoment

        return self._read("key_moments", lambda pk: KeyMoment.objects.filter(accompaniment=pk))

    def contacts(self, limit: int = 30):
        from binome.accompaniment.models import Contact

        return self._read("contacts", lambda pk: Contact.objects.filter(accompaniment=pk)[:limit])

    def handovers(self):
        from binome.accompaniment.models import Handover

        return self._read(
            "handovers",
            lambda pk: Handover.objects.filter(accompaniment=pk).select_related(
                "partner", "reassigned_to"
            ),
        )

    def feedback(self):
        from binome.accompaniment.models import PatientFeedback

        found = self._read(
            "feedback",
            lambda pk: PatientFeedback.objects.filter(accompaniment=pk).order_by("pk")[:1],
        )
        return found[0] if found else None


def get_accompaniment(
    request, public_id, structure=None, *, figures: bool = False
) -> tuple[Accompaniment, Access]:
    """404 unless the caller may open this accompaniment (other structure, not referred to
    them, not their own): one rule for pages and API. The accompaniment is read by
    ``read_accompaniment()`` (``figures``: with its exchange figures)."""
    from django.http import Http404

    acc = read_accompaniment(public_id, figures=figures)
    if acc is None:
        raise Http404
    roles = roles_of(request, acc.structure)
    if structure is not None and acc.structure_id != structure.pk:
        raise Http404
    every = acc.patient.all_consents  # type: ignore[attr-defined]  # read_accompaniment
    consents = {c.purpose: c for c in every if c.is_active}
    access = access_for(request.user, roles, acc, consents=consents)
    if not (access.is_partner or access.is_care_team or access.is_coordinator or access.is_patient):
        # A member of the structure reaching an accompaniment that is not theirs: the same
        # 404 as for anything else, and a trace for the coordination.
        from django.db import transaction

        from binome.audit.services import record

        with transaction.atomic():
            record(
                "accompaniment.refused",
                request=request,
                actor=request.user,
                structure=acc.structure,
                target=acc,
                reason="not_visible",
            )
        raise Http404
    return acc, access


def active_consent(purpose, patient_ref="patient"):
    """Exists() for annotating a list: the patient's consent to ``purpose`` is active now."""

    return Exists(
        Consent.objects.filter(
            patient=OuterRef(patient_ref), purpose=purpose, withdrawn_at__isnull=True
        )
    )


def sharing_refusal(accompaniment) -> str:
    """ "" when free text about this patient may be sent to the care team now, else why not."""
    if accompaniment is None:
        return ""
    active = Consent.objects.filter(
        patient_id=accompaniment.patient_id,
        purpose=ConsentPurpose.SHARE_SUMMARIES,
        withdrawn_at__isnull=True,
    ).exists()
    if active:
        return ""
    from django.utils.translation import gettext

    return gettext(
        "Le patient n'a pas donné (ou a retiré) son accord pour partager un résumé avec l'équipe : "
        "rien de ce qui le concerne ne peut être transmis au médecin."
    )
