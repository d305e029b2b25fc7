"""Who sees what of an accompaniment: the one place where consent is enforced.

- The partner sees only the accompaniments referred to them; the patient's phone and
  e-mail only while the "share contact details" consent is active; their own private
  notes.
- The referring and designated professionals see the key moments, the dates and
  counts of exchanges, and the shared summaries only while the "share summaries"
  consent is active. Never the private notes.
- The coordinator sees metadata (who, status, delays, counts), never the content.
- The patient sees their own consents, key moments and who accompanies them.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from binome.accompaniment.models import Accompaniment, Consent, ConsentPurpose
from binome.people.models import Role
from binome.people.scoping import get_object_or_404_scoped


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
        return (self.is_care_team or self.is_partner) and self.consent(ConsentPurpose.SHARE_SUMMARIES)

    @property
    def sees_key_moments(self):
        return self.is_partner or self.is_care_team or self.is_patient

    @property
    def sees_patient_name(self):
        return True

    @property
    def can_log(self):
        return self.is_partner and not self.accompaniment.is_ended

    @property
    def can_end(self):
        return not self.accompaniment.is_ended and (
            self.is_partner or self.is_referrer or self.is_coordinator or self.is_patient
        )

    @property
    def can_acknowledge_alerts(self):
        return self.is_care_team or self.is_coordinator

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
    partner_user_id = acc.partner.membership.user_id if acc.partner.membership_id and acc.partner.membership.is_active else None
    if consents is None:
        consents = {c.purpose: c for c in Consent.objects.filter(patient_id=acc.patient_id).active()}
    designated_user_ids = {m.user_id for m in acc.designated_professionals.all()}
    return Access(
        accompaniment=acc,
        roles=roles,
        is_partner=Role.PARTNER in roles and partner_user_id == user.pk,
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
    ).prefetch_related(Prefetch("designated_professionals", queryset=Membership.objects.select_related("user")))


def get_accompaniment(request, public_id, structure=None, *, queryset=None) -> tuple[Accompaniment, Access]:
    """404 unless the caller may open this accompaniment (other structure, not referred to
    them, not their own): one rule for pages and API. ``queryset`` (built on
    ``base_queryset()``) may add what a page shows; when it prefetches every consent of the
    patient in ``patient.all_consents``, the active ones are read from there."""
    acc = get_object_or_404_scoped(queryset if queryset is not None else base_queryset(), public_id=public_id)
    roles = roles_of(request, acc.structure)
    if structure is not None and acc.structure_id != structure.pk:
        from django.http import Http404

        raise Http404
    consents = None
    if hasattr(acc.patient, "all_consents"):
        consents = {c.purpose: c for c in acc.patient.all_consents if c.is_active}
    access = access_for(request.user, roles, acc, consents=consents)
    if not (access.is_partner or access.is_care_team or access.is_coordinator or access.is_patient):
        from django.http import Http404

        raise Http404
    return acc, access


def all_consents_prefetch():
    """Every consent of the patient, given or withdrawn, for the page and the access rules."""
    return Prefetch(
        "patient__consents", queryset=Consent.objects.order_by("purpose", "-given_at"),
        to_attr="all_consents",
    )


def active_consent(purpose, patient_ref="patient"):
    """Exists() for annotating a list: the patient's consent to ``purpose`` is active now."""
    from django.db.models import Exists, OuterRef

    return Exists(Consent.objects.filter(patient=OuterRef(patient_ref), purpose=purpose, withdrawn_at__isnull=True))
