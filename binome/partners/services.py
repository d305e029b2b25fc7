"""State changes of partners, candidacies and the charter: validate, write atomically, audit."""

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from binome.audit.services import record
from binome.core import kept_sql
from binome.partners.charter_text import DEFAULT_TEXT, DEFAULT_TITLE
from binome.partners.models import (
    Charter,
    CharterSignature,
    Decision,
    Evaluation,
    EvaluationCriterion,
    MeetingNote,
    Partner,
    PartnerTag,
    RecruitmentGates,
    Training,
    normalize_tag,
)
from binome.partners.pool import sync_copies
from binome.people.models import Membership, Role

STAFF = (Role.COORDINATOR, Role.PROFESSIONAL)


# --- access -------------------------------------------------------------------------------


def refuse_on_pool_copy(partner):
    """A copy in a CPTS's shared pool follows her own record: it is changed there only."""
    if partner.is_pool_copy:
        raise ValidationError(
            _(
                "Cette fiche est partagée par « %(s)s » dans le vivier de la CPTS : "
                "le profil et les étapes se changent dans cette structure."
            )
            % {"s": partner.pool_origin.structure.name}
        )


def visible_partners(user, memberships):
    """Partners the caller may open: all of a structure where they are staff; their own record."""
    staff = {m.structure_id for m in memberships if m.role in STAFF}
    own = {m.pk for m in memberships if m.role == Role.PARTNER}
    return Partner.objects.filter(Q(structure_id__in=staff) | Q(membership_id__in=own))


def own_partner(request):
    """The caller's partner record in the current structure, or None."""
    membership = request.binome.membership(Role.PARTNER)
    if membership is None:
        return None
    return kept_sql.one(
        "partners.own",
        (),
        # One partner at most: Partner.membership is one-to-one.
        lambda membership_id: Partner.objects.filter(membership=membership_id).select_related(
            "structure"
        ),
        args=(membership.pk,),
    )


# The partner's choices visible_parts() reads, for lists that read only the columns they need.
SHARE_FIELDS = (
    "share_lived_experience",
    "share_conditions",
    "share_association",
    "share_compensation",
    "share_photo",
)


def visible_parts(partner, *, is_self: bool, roles=()) -> dict:
    """Which parts of the profile the viewer may read, for the page and the API alike.

    The partner decides what the team sees of their private parts; their e-mail and phone
    are for the coordination and themselves (professionals never read members' addresses:
    docs/security-model.md); what the partner wrote as a candidate and the team's follow-up
    are for the staff (coordination and professionals)."""
    roles = {str(r) for r in roles}
    staff = bool(roles & {str(r) for r in STAFF})
    if is_self:
        parts = dict.fromkeys(
            ("lived_experience", "conditions", "association", "compensation", "photo", "contact"),
            True,
        )
    else:
        parts = {
            "lived_experience": partner.share_lived_experience,
            "conditions": partner.share_conditions,
            "association": partner.share_association,
            "compensation": partner.share_compensation,
            "photo": partner.share_photo,
            "contact": str(Role.COORDINATOR) in roles,
        }
    parts["recruitment"] = staff
    return parts


# --- candidacies --------------------------------------------------------------------------


def submit_candidacy(*, structure, data, submission_token, source=Partner.Source.PUBLIC_FORM):
    """Store a candidacy once per submission token. Returns (partner, created)."""
    if submission_token:
        existing = Partner.objects.filter(
            structure=structure, submission_token=submission_token
        ).first()
        if existing:
            return existing, False
    try:
        with transaction.atomic():
            partner = Partner.objects.create(
                structure=structure,
                status=Partner.Status.CANDIDATE,
                source=source,
                submission_token=submission_token or "",
                **data,
            )
            record(
                "partners.candidacy_received", structure=structure, target=partner, source=source
            )
    except IntegrityError:
        # The same form posted twice at once: the first one won.
        return Partner.objects.get(structure=structure, submission_token=submission_token), False
    return partner, True


def missing_gates(partner, to_status) -> list[str]:
    """What the structure's recruitment gates still require for this move, in French."""
    gates = RecruitmentGates.of(partner.structure)
    missing = []
    if to_status == Partner.Status.ONBOARDED:
        if gates.meeting_required and not MeetingNote.objects.filter(partner=partner).exists():
            missing.append(_("une rencontre notée avec la personne"))
        if gates.evaluators_required:
            evaluators = (
                Evaluation.objects.filter(partner=partner).values("evaluator").distinct().count()
            )
            if evaluators < gates.evaluators_required:
                missing.append(
                    _(
                        "la grille d'évaluation remplie par %(n)s membres de l'équipe (%(done)s pour l'instant)"
                    )
                    % {"n": gates.evaluators_required, "done": evaluators}
                )
    if to_status == Partner.Status.ACTIVE and partner.status == Partner.Status.ONBOARDED:
        current = Charter.objects.filter(structure=partner.structure).order_by("-version").first()
        if gates.charter_required and (
            current is None
            or not CharterSignature.objects.filter(charter=current, partner=partner).exists()
        ):
            missing.append(_("la charte d'engagement réciproque signée par le patient partenaire"))
        if gates.training_required and not Training.objects.filter(partner=partner).exists():
            missing.append(_("une formation déclarée"))
    return missing


def decide(partner, *, to_status, reason, actor, request=None):
    """Move a partner in the lifecycle, recording who decided, when and why, once the
    structure's recruitment gates are met (RecruitmentGates)."""
    refuse_on_pool_copy(partner)
    if not partner.can_move_to(to_status):
        raise ValidationError(
            _("Passage impossible de « %(a)s » à « %(b)s ».")
            % {"a": partner.get_status_display(), "b": Partner.Status(to_status).label}
        )
    missing = missing_gates(partner, to_status)
    if missing:
        raise ValidationError(
            _("Il manque, avant de passer à « %(b)s » : %(missing)s.")
            % {"b": Partner.Status(to_status).label, "missing": " ; ".join(missing)}
        )
    if not (reason or "").strip():
        raise ValidationError(_("Indiquez le motif de la décision."))
    with transaction.atomic():
        decision = Decision.objects.create(
            partner=partner,
            from_status=partner.status,
            to_status=to_status,
            reason=reason.strip(),
            decided_by=actor,
        )
        partner.status = to_status
        partner.status_changed_at = timezone.now()
        partner.save(update_fields=["status", "status_changed_at", "updated_at"])
        sync_copies(partner)
        record(
            "partners.decision",
            actor=actor,
            structure=partner.structure,
            target=partner,
            request=request,
            from_status=decision.from_status,
            to_status=to_status,
        )
    return decision


def add_meeting_note(partner, *, actor, request=None, **fields):
    with transaction.atomic():
        note = MeetingNote.objects.create(partner=partner, author=actor, **fields)
        record(
            "partners.meeting_note_added",
            actor=actor,
            structure=partner.structure,
            target=partner,
            request=request,
        )
    return note


def evaluation_grid(partner, evaluator):
    """The team's active criteria, each with how many times this partner was rated yes,
    partly or no (n_yes, n_partly, n_no) and the evaluator's own rating and comment
    (my_rating, my_comment; None if not rated yet). One query, its SQL kept
    (binome.core.kept_sql)."""

    def build(partner_id, structure_id, evaluator_id):
        of_partner = Q(evaluations__partner=partner_id)
        counts = {
            f"n_{r}": Count("evaluations", filter=of_partner & Q(evaluations__rating=r))
            for r in Evaluation.Rating.values
        }
        mine = Evaluation.objects.filter(
            partner=partner_id, evaluator=evaluator_id, criterion=OuterRef("pk")
        )
        return EvaluationCriterion.objects.filter(
            structure_id=structure_id, is_active=True
        ).annotate(
            **counts,
            my_rating=Subquery(mine.values("rating")[:1]),
            my_comment=Subquery(mine.values("comment")[:1]),
        )

    return kept_sql.instances(
        "partners.evaluation_grid",
        (),
        build,
        args=(partner.pk, partner.structure_id, evaluator.pk),
    )


class SheetReads:
    """What a partner's sheet shows beside the partner, each read through kept SQL
    compiled once for every partner. The view decides who sees what (visible_parts)."""

    def __init__(self, partner_pk: int):
        self.pk = partner_pk

    def _read(self, name, build):
        return kept_sql.instances(f"partners.sheet.{name}", (), build, args=(self.pk,))

    def tags(self):
        return self._read("tags", lambda pk: PartnerTag.objects.filter(partner=pk))

    def trainings(self):
        return self._read("trainings", lambda pk: Training.objects.filter(partner=pk))

    def meeting_notes(self, limit: int = 50):
        return self._read(
            "meeting_notes",
            lambda pk: MeetingNote.objects.filter(partner=pk).select_related("author")[:limit],
        )

    def decisions(self, limit: int = 50):
        return self._read(
            "decisions",
            lambda pk: Decision.objects.filter(partner=pk).select_related("decided_by")[:limit],
        )

    def assignments(self, limit: int = 20):
        # Missions sit above partners (docs/architecture.md): reached through the app registry.
        assignments = apps.get_model("missions", "MissionAssignment")
        return self._read(
            "assignments",
            lambda pk: (
                assignments.objects.filter(partner=pk)
                .select_related("mission")
                .order_by("-assigned_at")[:limit]
            ),
        )


def save_evaluation(partner, *, evaluator, ratings, request=None):
    """ratings: {criterion: (rating, comment)}; one row per evaluator and criterion."""
    with transaction.atomic():
        for criterion, (rating, comment) in ratings.items():
            if criterion.structure_id != partner.structure_id:
                raise PermissionDenied
            Evaluation.objects.update_or_create(
                partner=partner,
                criterion=criterion,
                evaluator=evaluator,
                defaults={"rating": rating, "comment": comment},
            )
        record(
            "partners.evaluated",
            actor=evaluator,
            structure=partner.structure,
            target=partner,
            request=request,
        )


def link_account(partner, membership, *, actor=None, request=None):
    if membership.role != Role.PARTNER or membership.structure_id != partner.structure_id:
        raise ValidationError(
            _("Ce compte n'est pas celui d'un patient partenaire de la structure.")
        )
    if Partner.objects.filter(membership=membership).exclude(pk=partner.pk).exists():
        raise ValidationError(_("Ce compte est déjà relié à une autre fiche."))
    with transaction.atomic():
        partner.membership = membership
        partner.save(update_fields=["membership", "updated_at"])
        record(
            "partners.account_linked",
            actor=actor,
            structure=partner.structure,
            target=partner,
            request=request,
        )


def link_new_partner_membership(membership):
    """After an invitation is accepted: attach the candidacy with the same email address."""
    if membership.role != Role.PARTNER:
        return None
    partner = (
        Partner.objects.filter(
            structure=membership.structure,
            membership__isnull=True,
            email__iexact=membership.user.email,
        )
        .order_by("-created_at")
        .first()
    )
    if partner is None:
        return None
    with transaction.atomic():
        partner.membership = membership
        partner.save(update_fields=["membership", "updated_at"])
        record(
            "partners.account_linked",
            actor=membership.user,
            structure=partner.structure,
            target=partner,
        )
    return partner


# --- profile ------------------------------------------------------------------------------


def set_tags(partner, kind, labels):
    """Replace the tags of one kind by these labels (deduplicated by normalised value)."""
    wanted = {}
    for label in labels:
        label = label.strip()[:80]
        value = normalize_tag(label)
        if value:
            wanted.setdefault(value, label)
    PartnerTag.objects.filter(partner=partner, kind=kind).exclude(value__in=wanted).delete()
    existing = set(
        PartnerTag.objects.filter(partner=partner, kind=kind).values_list("value", flat=True)
    )
    PartnerTag.objects.bulk_create(
        [
            PartnerTag(partner=partner, kind=kind, value=v, label=lbl)
            for v, lbl in wanted.items()
            if v not in existing
        ]
    )


def split_tags(text: str) -> list[str]:
    return [
        t.strip() for t in (text or "").replace(";", ",").replace("\n", ",").split(",") if t.strip()
    ]


def save_profile(
    partner, form, *, tags: dict, actor, request=None, kind="partners.profile_updated"
):
    refuse_on_pool_copy(partner)
    with transaction.atomic():
        form.save()
        for tag_kind, labels in tags.items():
            set_tags(partner, tag_kind, labels)
        sync_copies(partner)
        record(
            kind,
            actor=actor,
            structure=partner.structure,
            target=partner,
            request=request,
            fields=sorted(form.changed_data),
        )


def add_training(partner, *, actor, request=None, proof=None, **fields):
    refuse_on_pool_copy(partner)
    with transaction.atomic():
        training = Training(partner=partner, **fields)
        if proof is not None:
            training.proof_name = proof.name[:200]
            training.proof = proof
        training.save()
        sync_copies(partner)
        record(
            "partners.training_added",
            actor=actor,
            structure=partner.structure,
            target=partner,
            request=request,
        )
    return training


# --- charter ------------------------------------------------------------------------------


def current_charter(structure):
    return kept_sql.one(
        "partners.current_charter",
        (),
        lambda structure_id: Charter.objects.filter(structure=structure_id).order_by("-version")[
            :1
        ],
        args=(structure.pk,),
    )


def has_signed(charter, user) -> bool:
    return bool(
        kept_sql.rows(
            "partners.has_signed",
            (),
            lambda charter_id, user_id: CharterSignature.objects.filter(
                charter=charter_id, user=user_id
            ).values_list("pk")[:1],
            args=(charter.pk, user.pk),
        )
    )


def ensure_charter(structure, *, actor=None):
    """The current charter, creating version 1 from the default text when there is none."""
    charter = current_charter(structure)
    if charter is None:
        charter = Charter.objects.create(
            structure=structure,
            version=1,
            title=DEFAULT_TITLE,
            text=DEFAULT_TEXT,
            published_by=actor,
        )
    return charter


def publish_charter(structure, *, title, text, change_note, actor, request=None):
    """A new version: everyone is asked to sign again (signatures belong to a version)."""
    with transaction.atomic():
        last = Charter.objects.filter(structure=structure).aggregate(v=Max("version"))["v"] or 0
        charter = Charter.objects.create(
            structure=structure,
            version=last + 1,
            title=title,
            text=text,
            change_note=change_note,
            published_by=actor,
        )
        record(
            "partners.charter_published",
            actor=actor,
            structure=structure,
            target=charter,
            request=request,
            version=charter.version,
        )
    return charter


def signer_role_for(structure, user):
    roles = set(
        Membership.objects.active()
        .filter(structure=structure, user=user)
        .values_list("role", flat=True)
    )
    if Role.PARTNER in roles:
        return CharterSignature.SignerRole.PARTNER
    if Role.PROFESSIONAL in roles:
        return CharterSignature.SignerRole.PROFESSIONAL
    if Role.COORDINATOR in roles:
        return CharterSignature.SignerRole.COORDINATOR
    return None


def sign_charter(charter, *, user, method, recorded_by, signed_at=None, request=None):
    """Record a signature; a second signature of the same version is refused."""
    role = signer_role_for(charter.structure, user)
    if role is None:
        raise ValidationError(
            _("Seuls les membres de l'équipe et les patients partenaires signent la charte.")
        )
    if CharterSignature.objects.filter(charter=charter, user=user).exists():
        raise ValidationError(
            _("%(name)s a déjà signé la version %(v)s de la charte.")
            % {"name": user, "v": charter.version}
        )
    partner = None
    if role == CharterSignature.SignerRole.PARTNER:
        partner = Partner.objects.filter(structure=charter.structure, membership__user=user).first()
    try:
        with transaction.atomic():
            signature = CharterSignature.objects.create(
                charter=charter,
                user=user,
                partner=partner,
                signer_role=role,
                method=method,
                signed_at=signed_at or timezone.now(),
                recorded_by=recorded_by,
            )
            record(
                "partners.charter_signed",
                actor=recorded_by,
                structure=charter.structure,
                target=charter,
                subject=user,
                request=request,
                version=charter.version,
                method=method,
            )
    except IntegrityError as exc:
        raise ValidationError(
            _("%(name)s a déjà signé la version %(v)s de la charte.")
            % {"name": user, "v": charter.version}
        ) from exc
    return signature


@transaction.atomic
def create_team_partner(structure, data, *, request=None, actor=None, **extra):
    """A person the team adds to recruitment, validated by the page's form whatever the path
    (page or API). Someone already in the team as a partner with this address gets linked.
    ``extra``: fields outside the team's form (the API's ``motivation``)."""
    from binome.partners.forms import TeamPartnerForm

    defaults = {
        name: field.initial for name, field in TeamPartnerForm(structure=structure).fields.items()
    }
    defaults["max_active_accompaniments"] = Partner._meta.get_field(
        "max_active_accompaniments"
    ).default
    form = TeamPartnerForm(
        {**{k: v for k, v in defaults.items() if v is not None}, **data}, structure=structure
    )
    if not form.is_valid():
        raise ValidationError({field: list(errors) for field, errors in form.errors.items()})
    partner = form.save(commit=False)
    partner.structure, partner.source = structure, Partner.Source.TEAM
    for name, value in extra.items():
        setattr(partner, name, value)
    partner.save()
    record("partners.created", actor=actor, structure=structure, target=partner, request=request)
    if partner.email:
        account = (
            Membership.objects.active()
            .filter(
                structure=structure,
                role=Role.PARTNER,
                user__email__iexact=partner.email,
                partner__isnull=True,
            )
            .first()
        )
        if account is not None:
            link_account(
                partner, account, actor=actor or getattr(request, "user", None), request=request
            )
    return partner


@transaction.atomic
def save_gates(gates, *, request=None):
    gates.save()
    record("partners.gates_updated", structure=gates.structure, target=gates, request=request)
    return gates


# --- recruitment settings and the team's part, one service per action ------------------------


@transaction.atomic
def save_team_part(partner, form, *, actor=None, request=None):
    """The team's part of a partner's record, validated by ``TeamPartnerForm``."""
    form.save()
    record(
        "partners.team_part_updated",
        actor=actor,
        structure=partner.structure,
        target=partner,
        request=request,
        fields=sorted(form.changed_data),
    )
    return partner


@transaction.atomic
def save_call(structure, form, *, actor=None, request=None):
    call = form.save(commit=False)
    call.structure = structure
    call.created_by = call.created_by or actor
    call.save()
    record(
        "partners.call_updated",
        actor=actor,
        structure=structure,
        target=call,
        request=request,
        is_open=call.is_open,
    )
    return call


@transaction.atomic
def add_criterion(structure, form, *, actor=None, request=None):
    criterion = form.save(commit=False)
    criterion.structure = structure
    criterion.position = EvaluationCriterion.objects.filter(structure=structure).count()
    criterion.save()
    record(
        "partners.criterion_added",
        actor=actor,
        structure=structure,
        target=criterion,
        request=request,
    )
    return criterion


@transaction.atomic
def retire_criterion(criterion, *, actor=None, request=None):
    criterion.is_active = False
    criterion.save(update_fields=["is_active"])
    record(
        "partners.criterion_retired",
        actor=actor,
        structure=criterion.structure,
        target=criterion,
        request=request,
    )
    return criterion
