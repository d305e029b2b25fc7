"""State changes of the involvement register, each in one transaction with its audit row."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from binome.audit.services import record
from binome.involvement.models import (
    KIND_DEFAULTS,
    ActionKind,
    Evidence,
    InvolvementAction,
    Programme,
    Workshop,
    WorkshopFeedback,
)


def defaults_for(kind) -> tuple[str, int]:
    return KIND_DEFAULTS.get(kind, KIND_DEFAULTS[ActionKind.OTHER])


@transaction.atomic
def save_action(
    action: InvolvementAction, *, request=None, actor=None, created=False
) -> InvolvementAction:
    if not action.level or not action.aci_level:
        level, aci = defaults_for(action.kind)
        action.level = action.level or level
        action.aci_level = action.aci_level or aci
    action.full_clean(exclude=["structure", "created_by"])
    action.save()
    record(
        "involvement.action_created" if created else "involvement.action_changed",
        request=request,
        actor=actor,
        structure=action.structure,
        target=action,
    )
    return action


@transaction.atomic
def delete_action(action: InvolvementAction, *, request=None):
    record("involvement.action_deleted", request=request, structure=action.structure, target=action)
    for evidence in action.evidence.all():
        evidence.file.delete(save=False)
    action.delete()


def ensure_automatic_action(
    structure,
    *,
    source: str,
    kind: str,
    title: str,
    start: date,
    description: str = "",
    users_count: int = 0,
    end: date | None = None,
    actor=None,
) -> InvolvementAction:
    """Create (once) or refresh the register entry of something the platform itself runs."""
    level, aci = defaults_for(kind)
    with transaction.atomic():
        action = InvolvementAction.objects.filter(structure=structure, source=source).first()
        if action is None:
            try:
                with transaction.atomic():
                    action = InvolvementAction.objects.create(
                        structure=structure,
                        source=source,
                        kind=kind,
                        title=title[:200],
                        level=level,
                        aci_level=aci,
                        start_date=start,
                        end_date=end,
                        description=description,
                        users_count=users_count,
                        created_by=actor,
                    )
            except IntegrityError:
                action = InvolvementAction.objects.get(structure=structure, source=source)
            else:
                record(
                    "involvement.action_created",
                    actor=actor,
                    structure=structure,
                    target=action,
                    automatic=True,
                )
                return action
        changed = []
        if action.users_count != users_count and users_count:
            action.users_count = users_count
            changed.append("users_count")
        if end is not None and action.end_date != end:
            action.end_date = max(end, action.start_date)
            changed.append("end_date")
        if changed:
            action.save(update_fields=[*changed, "updated_at"])
    return action


@transaction.atomic
def add_evidence(action: InvolvementAction, uploaded, *, kind="other", request=None) -> Evidence:
    evidence = Evidence(
        action=action,
        kind=kind,
        original_name=(uploaded.name or "piece")[:200],
        content_type=getattr(uploaded, "content_type", "") or "application/octet-stream",
        size=uploaded.size,
        uploaded_by=request.user if request is not None else None,
    )
    evidence.file.save(uploaded.name or "piece", uploaded, save=False)
    evidence.save()
    record(
        "involvement.evidence_added", request=request, structure=action.structure, target=evidence
    )
    return evidence


@transaction.atomic
def delete_evidence(evidence: Evidence, *, request=None):
    record(
        "involvement.evidence_deleted",
        request=request,
        structure=evidence.action.structure,
        target=evidence,
    )
    evidence.file.delete(save=False)
    evidence.delete()


def sync_programme_action(workshop: Workshop):
    """A workshop co-facilitated by a patient partner counts as a user referent in an ETP programme."""
    if workshop.partner_id is None:
        return None
    programme = workshop.programme
    first = (
        programme.workshops.filter(partner__isnull=False)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    return ensure_automatic_action(
        workshop.structure,
        source=f"programme:{programme.public_id}",
        kind=ActionKind.USER_REFERENT,
        title=f"Patient partenaire co-animateur : {programme.title}",
        start=(first or workshop.starts_at).date(),
        description="Ateliers co-animés par un professionnel et un patient partenaire (enregistré automatiquement depuis les programmes).",
    )


def etp_training_missing(workshop) -> str:
    """ "" when the partner may co-animate this session, else why not: an ETP programme's
    workshop asks for the partner's declared 40-hour ETP training (arrêté du 2 août 2010)."""
    from binome.partners.models import Partner, Training

    if workshop.partner_id is None or workshop.programme.kind != Programme.Kind.ETP:
        return ""
    partner = Partner.objects.filter(membership_id=workshop.partner_id).first()
    if (
        partner is not None
        and Training.objects.filter(partner=partner, kind=Training.Kind.ETP_40H).exists()
    ):
        return ""
    return _(
        "La co-animation d'un atelier d'éducation thérapeutique demande la formation ETP de 40 heures, "
        "que ce patient partenaire n'a pas déclarée."
    )


@transaction.atomic
def save_workshop(
    workshop: Workshop, *, request=None, created=False, may_override=False
) -> Workshop:
    missing = etp_training_missing(workshop)
    if missing and not (may_override and workshop.etp_training_override.strip()):
        raise ValidationError(
            {"partner": [missing + " " + _("La coordination peut le décider en le justifiant.")]}
        )
    if not missing:
        workshop.etp_training_override = ""
    workshop.save()
    record(
        "involvement.workshop_created" if created else "involvement.workshop_changed",
        request=request,
        structure=workshop.structure,
        target=workshop,
        etp_training_override=bool(missing),
    )
    sync_programme_action(workshop)
    return workshop


def submit_feedback(
    workshop: Workshop, *, submission_token: str, channel: str = "online", request=None, **answers
) -> tuple[WorkshopFeedback, bool]:
    """Store a participant's answer once per submission token (a retried post stores nothing new).
    A paper questionnaire typed in by the team is audited (who entered it); an online answer
    is anonymous."""
    existing = WorkshopFeedback.objects.filter(
        workshop=workshop, submission_token=submission_token
    ).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            feedback = WorkshopFeedback.objects.create(
                workshop=workshop, submission_token=submission_token, channel=channel, **answers
            )
            if channel == "paper":
                record(
                    "involvement.paper_feedback_entered",
                    request=request,
                    structure=workshop.structure,
                    target=workshop,
                )
            return feedback, True
    except IntegrityError:
        return WorkshopFeedback.objects.get(
            workshop=workshop, submission_token=submission_token
        ), False
