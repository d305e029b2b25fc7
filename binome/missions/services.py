"""State changes of mission sheets: drafts, versions, validation, assignment, closing, policies."""

import difflib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from binome.audit.services import record
from binome.missions.models import (
    CompensationMode,
    CompensationPolicy,
    Mission,
    MissionAssignment,
    MissionComment,
    MissionCriterion,
    MissionProfessional,
    MissionValidation,
    MissionVersion,
)
from binome.partners.models import Partner, normalize_tag
from binome.people.models import Membership, Role

SHEET_FIELDS = [
    ("title", _("Titre")),
    ("kind", _("Type de mission")),
    ("level", _("Niveau sur le continuum")),
    ("objective", _("Objectif")),
    ("activities", _("Activités")),
    ("excluded_activities", _("Ce que le patient partenaire ne fait pas")),
    ("required_profile", _("Profil recherché")),
    ("time_and_place", _("Temps et lieu")),
    ("slot", _("Moment")),
    ("estimated_hours_per_month", _("Temps estimé (heures par mois)")),
    ("starts_on", _("Début")),
    ("ends_on", _("Fin prévue")),
    ("supervision", _("Supervision et soutien")),
]
EDITABLE_STATUSES = (Mission.Status.DRAFT, Mission.Status.IN_VALIDATION)
ASSIGNABLE_STATUSES = (Partner.Status.ONBOARDED, Partner.Status.ACTIVE)


def visible_missions(user, memberships):
    """Team members see every mission of their structures; a partner sees their own missions."""
    staff = {m.structure_id for m in memberships if m.role in (Role.COORDINATOR, Role.PROFESSIONAL)}
    own = {m.pk for m in memberships if m.role == Role.PARTNER}
    partner_missions = MissionAssignment.objects.filter(partner__membership_id__in=own).values(
        "mission_id"
    )
    return Mission.objects.filter(Q(structure_id__in=staff) | Q(pk__in=partner_missions))


def set_criteria(mission, kind, labels):
    wanted = {}
    for label in labels:
        value = normalize_tag(label)
        if value:
            wanted.setdefault(value, label.strip()[:80])
    MissionCriterion.objects.filter(mission=mission, kind=kind).exclude(value__in=wanted).delete()
    existing = set(
        MissionCriterion.objects.filter(mission=mission, kind=kind).values_list("value", flat=True)
    )
    MissionCriterion.objects.bulk_create(
        [
            MissionCriterion(mission=mission, kind=kind, value=v, label=lbl)
            for v, lbl in wanted.items()
            if v not in existing
        ]
    )


def set_professionals(mission, memberships):
    ids = {m.pk for m in memberships}
    for m in memberships:
        if m.structure_id != mission.structure_id:
            raise PermissionDenied
    MissionProfessional.objects.filter(mission=mission).exclude(membership_id__in=ids).delete()
    existing = set(
        MissionProfessional.objects.filter(mission=mission).values_list("membership_id", flat=True)
    )
    MissionProfessional.objects.bulk_create(
        [MissionProfessional(mission=mission, membership_id=i) for i in ids - existing]
    )


def save_mission(mission, *, actor, criteria, professionals, request=None, created=False):
    """Save a draft (form already applied to ``mission``); editing a sheet in validation
    takes it back to draft: validations belong to a version."""
    if not created and mission.status not in EDITABLE_STATUSES:
        raise ValidationError(
            _(
                "Une mission active ou close ne se modifie plus. Clôturez-la et créez-en une nouvelle."
            )
        )
    with transaction.atomic():
        back_to_draft = mission.status == Mission.Status.IN_VALIDATION
        if back_to_draft:
            mission.status = Mission.Status.DRAFT
        mission.save()
        for kind, labels in criteria.items():
            set_criteria(mission, kind, labels)
        set_professionals(mission, professionals)
        record(
            "missions.created" if created else "missions.updated",
            actor=actor,
            structure=mission.structure,
            target=mission,
            request=request,
        )
    return back_to_draft


def create_from_template(template, *, structure, actor, request=None):
    mission = Mission(
        structure=structure,
        created_by=actor,
        title=str(template.title),
        kind=template.kind,
        level=template.level,
        objective=str(template.objective),
        activities=str(template.activities),
        excluded_activities=str(template.excluded_activities),
        required_profile=str(template.required_profile),
        time_and_place=str(template.time_and_place),
        supervision=str(template.supervision),
        slot=template.slot,
        remote_possible=template.remote_possible,
        estimated_hours_per_month=template.estimated_hours_per_month,
        required_training=template.required_training,
    )
    save_mission(
        mission,
        actor=actor,
        criteria={"skill": list(template.skills), "topic": list(template.topics)},
        professionals=[],
        request=request,
        created=True,
    )
    return mission


def sheet_text(mission, professionals=None, criteria=None, policy=None) -> str:
    """The sheet as plain text, the form kept in versions and compared between them."""
    professionals = (
        professionals
        if professionals is not None
        else list(mission.named.select_related("membership__user"))
    )
    criteria = criteria if criteria is not None else list(mission.criteria.all())
    lines = []
    for name, label in SHEET_FIELDS:
        value = (
            getattr(mission, f"get_{name}_display")()
            if name in ("kind", "level", "slot")
            else getattr(mission, name)
        )
        lines.append(f"## {label}")
        lines.extend(str(value if value not in (None, "") else "—").splitlines() or ["—"])
    lines.append(f"## {_('Professionnels nommés')}")
    lines.append(", ".join(sorted(str(p.membership.user) for p in professionals)) or "—")
    for kind, kind_label in MissionCriterion.Kind.choices:
        chosen = sorted(c.label for c in criteria if c.kind == kind)
        lines.append(f"## {kind_label}")
        lines.append(", ".join(chosen) or "—")
    policy = policy if policy is not None else effective_policy(mission)
    lines.append(f"## {_('Indemnisation')}")
    lines.append(policy_summary(policy) if policy else _("Non décidée"))
    return "\n".join(lines)


def submit(mission, *, actor, note="", request=None):
    """Freeze the current sheet as a new version and ask for validations."""
    if mission.status not in EDITABLE_STATUSES:
        raise ValidationError(
            _("Seule une mission en brouillon ou en validation peut être soumise.")
        )
    if not MissionProfessional.objects.filter(mission=mission).exists():
        raise ValidationError(
            _("Nommez au moins un professionnel sur la fiche avant de la soumettre.")
        )
    if not MissionAssignment.objects.filter(mission=mission, ended_at__isnull=True).exists():
        raise ValidationError(
            _(
                "Affectez au moins un patient partenaire : il valide la fiche avec les professionnels."
            )
        )
    with transaction.atomic():
        locked = Mission.objects.select_for_update().get(pk=mission.pk)
        text = sheet_text(locked)
        number = locked.version_number + 1
        version = MissionVersion.objects.create(
            mission=locked,
            number=number,
            snapshot={"text": text},
            text=text,
            note=note[:300],
            author=actor,
        )
        locked.version_number = mission.version_number = number
        locked.status = mission.status = Mission.Status.IN_VALIDATION
        locked.save(update_fields=["version_number", "status", "updated_at"])
        record(
            "missions.submitted",
            actor=actor,
            structure=mission.structure,
            target=mission,
            request=request,
            version=number,
        )
    return version


def expected_validators(mission):
    """(user ids of named professionals, user ids of current partners with an account)."""
    pros = set(
        MissionProfessional.objects.filter(mission=mission, membership__is_active=True).values_list(
            "membership__user_id", flat=True
        )
    )
    partners = set(
        MissionAssignment.objects.filter(
            mission=mission, ended_at__isnull=True, partner__membership__isnull=False
        ).values_list("partner__membership__user_id", flat=True)
    )
    return pros, partners


def validate(mission, *, user, request=None):
    """A named professional or an assigned partner agrees to the current version."""
    pros, partners = expected_validators(mission)
    roles = []
    if user.pk in pros:
        roles.append(MissionValidation.Role.PROFESSIONAL)
    if user.pk in partners:
        roles.append(MissionValidation.Role.PARTNER)
    if not roles:
        raise PermissionDenied(
            _(
                "Seuls le patient partenaire et les professionnels nommés sur la fiche peuvent la valider."
            )
        )
    if mission.status != Mission.Status.IN_VALIDATION:
        raise ValidationError(_("Cette fiche n'attend pas de validation."))
    version = MissionVersion.objects.get(mission=mission, number=mission.version_number)
    if MissionValidation.objects.filter(version=version, user=user).exists():
        raise ValidationError(
            _("Vous avez déjà validé la version %(v)s de cette fiche.") % {"v": version.number}
        )
    with transaction.atomic():
        for role in roles:
            MissionValidation.objects.create(mission=mission, version=version, user=user, role=role)
        record(
            "missions.validated",
            actor=user,
            structure=mission.structure,
            target=mission,
            request=request,
            version=version.number,
        )
        done = set(
            MissionValidation.objects.filter(version=version).values_list("user_id", flat=True)
        )
        if (pros | partners) <= done and partners:
            mission.status = Mission.Status.ACTIVE
            mission.activated_at = timezone.now()
            mission.save(update_fields=["status", "activated_at", "updated_at"])
            record(
                "missions.activated",
                actor=user,
                structure=mission.structure,
                target=mission,
                request=request,
                version=version.number,
            )
    return mission.status == Mission.Status.ACTIVE


def comment(mission, *, user, body, side, request=None):
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Écrivez votre commentaire."))
    with transaction.atomic():
        c = MissionComment.objects.create(
            mission=mission,
            author=user,
            side=side,
            body=body[:5000],
            version_number=mission.version_number,
        )
        record(
            "missions.commented",
            actor=user,
            structure=mission.structure,
            target=mission,
            request=request,
        )
    return c


def assign(mission, partner, *, actor, request=None):
    if partner.structure_id != mission.structure_id:
        raise PermissionDenied
    if mission.status == Mission.Status.CLOSED:
        raise ValidationError(_("La mission est close."))
    if partner.status not in ASSIGNABLE_STATUSES:
        raise ValidationError(
            _("Seul un patient partenaire intégré ou actif peut recevoir une mission.")
        )
    if MissionAssignment.objects.filter(
        mission=mission, partner=partner, ended_at__isnull=True
    ).exists():
        raise ValidationError(_("Ce patient partenaire est déjà sur la mission."))
    if (
        MissionAssignment.objects.filter(mission=mission, ended_at__isnull=True).count()
        >= mission.places
    ):
        raise ValidationError(
            _(
                "La mission prévoit %(n)s patient(s) partenaire(s), déjà affecté(s) : augmentez le nombre de places sur la fiche."
            )
            % {"n": mission.places}
        )
    with transaction.atomic():
        a = MissionAssignment.objects.create(mission=mission, partner=partner, assigned_by=actor)
        record(
            "missions.assigned",
            actor=actor,
            structure=mission.structure,
            target=mission,
            request=request,
            partner=str(partner.public_id),
        )
    return a


def unassign(assignment, *, actor, request=None):
    with transaction.atomic():
        assignment.ended_at = timezone.now()
        assignment.save(update_fields=["ended_at"])
        record(
            "missions.unassigned",
            actor=actor,
            structure=assignment.mission.structure,
            target=assignment.mission,
            request=request,
        )


def close(mission, *, actor, note="", request=None):
    if mission.status == Mission.Status.CLOSED:
        raise ValidationError(_("La mission est déjà close."))
    with transaction.atomic():
        now = timezone.now()
        mission.status = Mission.Status.CLOSED
        mission.closed_at = now
        mission.closing_note = note
        mission.save(update_fields=["status", "closed_at", "closing_note", "updated_at"])
        MissionAssignment.objects.filter(mission=mission, ended_at__isnull=True).update(
            ended_at=now
        )
        record(
            "missions.closed",
            actor=actor,
            structure=mission.structure,
            target=mission,
            request=request,
        )


def diff_lines(old_text: str, new_text: str):
    """[(sign, line)] with sign in "+", "-", " " (difflib)."""
    out = []
    for line in difflib.ndiff(old_text.splitlines(), new_text.splitlines()):
        sign, body = line[:1], line[2:]
        if sign in "+- ":
            out.append((sign, body))
    return out


# --- compensation -------------------------------------------------------------------------


def structure_policy(structure):
    return CompensationPolicy.objects.filter(
        structure=structure, mission__isnull=True, is_current=True
    ).first()


def effective_policy(mission):
    policies = list(
        CompensationPolicy.objects.filter(
            Q(mission=mission) | Q(mission__isnull=True, structure_id=mission.structure_id),
            is_current=True,
        )
    )
    own = [p for p in policies if p.mission_id == mission.pk]
    return own[0] if own else (policies[0] if policies else None)


def policy_summary(policy) -> str:
    parts = [policy.get_mode_display()]
    if policy.mode == CompensationMode.FLAT_FEE and policy.flat_fee_amount is not None:
        parts.append(_("%(a)s € par mission") % {"a": policy.flat_fee_amount})
    if policy.mode == CompensationMode.HOURLY and policy.hourly_rate is not None:
        parts.append(_("%(a)s € de l'heure") % {"a": policy.hourly_rate})
    if policy.expenses_ceiling is not None:
        parts.append(_("frais jusqu'à %(a)s € par mois") % {"a": policy.expenses_ceiling})
    if policy.mileage_rate is not None:
        parts.append(_("%(a)s € par km") % {"a": policy.mileage_rate})
    return " — ".join(parts)


def decide_policy(*, structure, mission=None, actor, request=None, **fields):
    """Record a new policy decision; it replaces the current one of the same scope."""
    if mission is not None and mission.structure_id != structure.pk:
        raise PermissionDenied
    with transaction.atomic():
        CompensationPolicy.objects.filter(
            structure=structure, mission=mission, is_current=True
        ).update(is_current=False)
        policy = CompensationPolicy.objects.create(
            structure=structure, mission=mission, created_by=actor, is_current=True, **fields
        )
        record(
            "missions.compensation_decided",
            actor=actor,
            structure=structure,
            target=mission or policy,
            request=request,
            mode=policy.mode,
            scope="mission" if mission else "structure",
        )
    return policy


def professional_memberships(structure):
    return (
        Membership.objects.active()
        .filter(structure=structure, role__in=[Role.PROFESSIONAL, Role.COORDINATOR])
        .select_related("user")
    )
