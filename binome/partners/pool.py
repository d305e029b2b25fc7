"""A CPTS's shared pool of patient partners (issue 15).

A CPTS and the structures that joined its pool (``PoolMembership``: asked by the CPTS's
coordination, accepted by the member's) may share partners. A partner shares her profile
with one structure of the pool at a time, by her own consent (``PoolShare``), and takes it
back whenever she wants. The structure then holds a *copy* of her record
(``Partner.pool_origin``) with only the shared parts of the profile, kept in step with her
own record, and a partner's membership of that structure, so that everything it already does
with its own partners works unchanged: referrals, mission requests, matching.

What never crosses: patients and accompaniments stay in the structure that holds them (the
copy's accompaniments belong to the member, the origin's to its own structure); the copy
carries no candidacy, meeting notes, evaluations, training proofs nor the team's notes.
What counts for the person everywhere: her load (``binome.partners.load`` counts the
accompaniments and missions of the origin and of every copy) and her limits (copied always:
they protect her).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from binome.audit.services import record
from binome.partners.models import Partner, PartnerTag, PoolMembership, PoolShare, Training
from binome.people.models import Membership, Role, Structure

# Sent after a share is withdrawn (copy=the member's record): apps above partners end what
# the partner can no longer do there (accompaniment hands her open referrals back).
share_withdrawn = Signal()

# Parts of the profile a structure of the pool sees, whatever the partner's other choices:
# who she is, how to reach her, when she is available, what she can do and will not face.
ALWAYS_SHARED = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "commune",
    "availability",
    "available_daytime",
    "available_evening",
    "available_weekend",
    "remote_ok",
    "hours_per_month",
    "limits_note",
    "preferred_status",
    "max_active_accompaniments",
)
# Parts shared only when she lets her own team see them (the same choice, not a second one).
SHARED_IF = {
    "lived_experience": "share_lived_experience",
    "association": "share_association",
    "compensation_note": "share_compensation",
}
ALWAYS_SHARED_TAGS = (PartnerTag.Kind.SKILL, PartnerTag.Kind.LANGUAGE, PartnerTag.Kind.LIMIT)


# --- the pool of structures ---------------------------------------------------------------


def open_links():
    return PoolMembership.objects.filter(accepted_at__isnull=False, ended_at__isnull=True)


def pool_structure_ids(structure) -> set[int]:
    """Every other structure that shares an open pool with this one (the CPTS and its
    accepted members)."""
    cpts_ids = set(open_links().filter(member=structure).values_list("cpts_id", flat=True))
    if structure.kind == Structure.Kind.CPTS:
        cpts_ids.add(structure.pk)
    ids = set(open_links().filter(cpts_id__in=cpts_ids).values_list("member_id", flat=True))
    ids |= cpts_ids
    ids.discard(structure.pk)
    return ids


def links_of(structure):
    """The pool links a structure's coordination sees: as the CPTS, or as a member."""
    return (
        PoolMembership.objects.filter(Q(cpts=structure) | Q(member=structure))
        .filter(ended_at__isnull=True)
        .select_related("cpts", "member")
    )


def find_structure(text: str):
    """A structure named by its short identifier or its FINESS number."""
    text = (text or "").strip()
    if not text:
        return None
    return Structure.objects.filter(Q(slug__iexact=text) | Q(finess=text.upper())).first()


def request_membership(cpts, member, *, actor, request=None) -> PoolMembership:
    if cpts.kind != Structure.Kind.CPTS:
        raise ValidationError(_("Seule une CPTS ouvre un vivier partagé à ses membres."))
    if member is None:
        raise ValidationError(
            _("Aucune structure ne porte cet identifiant ou ce numéro FINESS sur Binôme.")
        )
    if member.pk == cpts.pk:
        raise ValidationError(_("La CPTS est déjà dans son propre vivier."))
    if member.kind == Structure.Kind.CPTS:
        raise ValidationError(_("Une CPTS ne peut pas être membre du vivier d'une autre CPTS."))
    if PoolMembership.objects.filter(cpts=cpts, member=member, ended_at__isnull=True).exists():
        raise ValidationError(_("Cette structure est déjà membre du vivier ou invitée."))
    with transaction.atomic():
        link = PoolMembership.objects.create(cpts=cpts, member=member, requested_by=actor)
        record(
            "partners.pool_member_invited",
            actor=actor,
            structure=cpts,
            target=link,
            request=request,
            member=member.pk,
        )
        # The member's coordination sees the request in its own journal too.
        record(
            "partners.pool_member_invited",
            actor=actor,
            structure=member,
            target=link,
            cpts=cpts.pk,
        )
    return link


def accept_membership(link, *, actor, request=None) -> PoolMembership:
    if link.ended_at is not None or link.accepted_at is not None:
        raise ValidationError(_("Cette demande n'attend plus de réponse."))
    with transaction.atomic():
        link.accepted_at = timezone.now()
        link.accepted_by = actor
        link.save(update_fields=["accepted_at", "accepted_by"])
        for structure in (link.member, link.cpts):
            record("partners.pool_member_joined", actor=actor, structure=structure, target=link)
    return link


def end_membership(link, *, actor, request=None) -> PoolMembership:
    """Either side leaves: the shares that no open pool justifies any more are withdrawn."""
    if link.ended_at is not None:
        raise ValidationError(_("Cette adhésion est déjà terminée."))
    with transaction.atomic():
        link.ended_at = timezone.now()
        link.save(update_fields=["ended_at"])
        for structure in (link.member, link.cpts):
            record("partners.pool_member_left", actor=actor, structure=structure, target=link)
        with scopes_disabled():
            shares = list(
                PoolShare.objects.filter(withdrawn_at__isnull=True)
                .filter(
                    Q(origin__structure__in=[link.member, link.cpts])
                    | Q(structure__in=[link.member, link.cpts])
                )
                .select_related("origin__structure", "structure", "copy")
            )
        for share in shares:
            if share.structure_id not in pool_structure_ids(share.origin.structure):
                _withdraw(share, actor=actor, request=request)
    return link


# --- a partner's consent per structure ----------------------------------------------------


def origin_of(partner) -> Partner:
    return partner.pool_origin if partner.pool_origin_id else partner


def may_manage_shares(partner, user) -> bool:
    """Only the partner herself gives or takes back her consent, on her own record."""
    return (
        not partner.is_pool_copy
        and partner.membership_id is not None
        and partner.membership.user_id == user.pk
        and partner.membership.is_active
    )


def share_choices(origin):
    """The structures of her pool, each with its open share (or None)."""
    ids = pool_structure_ids(origin.structure)
    structures = list(Structure.objects.filter(pk__in=ids).order_by("name"))
    with scopes_disabled():
        open_shares = {
            s.structure_id: s
            for s in PoolShare.objects.filter(origin=origin, withdrawn_at__isnull=True)
        }
    return [(structure, open_shares.get(structure.pk)) for structure in structures]


def share(origin, structure, *, actor, request=None) -> PoolShare:
    if not may_manage_shares(origin, actor):
        raise PermissionDenied(_("Seule la patiente ou le patient partenaire décide du partage."))
    if structure is None or structure.pk not in pool_structure_ids(origin.structure):
        raise ValidationError(_("Cette structure n'est pas dans le vivier partagé de votre CPTS."))
    if origin.status != Partner.Status.ACTIVE:
        raise ValidationError(
            _("Votre profil se partage quand vous êtes actif·ve dans votre structure.")
        )
    user = origin.membership.user
    with scopes_disabled():
        if PoolShare.objects.filter(
            origin=origin, structure=structure, withdrawn_at__isnull=True
        ).exists():
            raise ValidationError(_("Votre profil est déjà partagé avec cette structure."))
        copy = Partner.objects.filter(pool_origin=origin, structure=structure).first()
        own_there = Partner.objects.filter(structure=structure).filter(
            Q(membership__user=user) | Q(email__iexact=user.email)
        )
        if copy is not None:
            own_there = own_there.exclude(pk=copy.pk)
        if own_there.exists():
            raise ValidationError(
                _(
                    "Vous avez déjà une fiche de patient partenaire dans cette structure : "
                    "voyez-le avec sa coordination."
                )
            )
        with transaction.atomic():
            membership, _created = Membership.objects.get_or_create(
                user=user, structure=structure, role=Role.PARTNER
            )
            if not membership.is_active:
                membership.is_active = True
                membership.deactivated_at = None
                membership.save(update_fields=["is_active", "deactivated_at"])
            if copy is None:
                copy = Partner(
                    structure=structure,
                    pool_origin=origin,
                    source=Partner.Source.TEAM,
                    submitted_at=timezone.now(),
                )
            copy.membership = membership
            copy.status = Partner.Status.ACTIVE
            copy.status_changed_at = timezone.now()
            _copy_profile(origin, copy)
            row = PoolShare.objects.create(
                origin=origin, structure=structure, copy=copy, consented_by=actor
            )
            record(
                "partners.pool_shared",
                actor=actor,
                structure=origin.structure,
                target=row,
                request=request,
                shared_with=structure.pk,
            )
            record("partners.pool_shared", actor=actor, structure=structure, target=copy)
    return row


def own_open_share(user, public_id):
    """Her open consent, by its id; nobody else finds it (the page and the API answer 404)."""
    with scopes_disabled():
        return (
            PoolShare.objects.filter(
                public_id=public_id,
                withdrawn_at__isnull=True,
                origin__membership__user=user,
                origin__membership__is_active=True,
            )
            .select_related("origin__membership", "structure", "copy")
            .first()
        )


def withdraw(share_row, *, actor, request=None) -> PoolShare:
    if not may_manage_shares(share_row.origin, actor):
        raise PermissionDenied(_("Seule la patiente ou le patient partenaire décide du partage."))
    if share_row.withdrawn_at is not None:
        raise ValidationError(_("Ce partage est déjà retiré."))
    with transaction.atomic():
        _withdraw(share_row, actor=actor, request=request)
    return share_row


def decline(copy, *, actor, request=None) -> PoolShare:
    """The receiving structure's coordination no longer wants this shared profile: the same
    effect as her own withdrawal (the team keeps control of who works with it)."""
    with scopes_disabled():
        is_coordinator = Membership.objects.filter(
            user=actor, structure_id=copy.structure_id, role=Role.COORDINATOR, is_active=True
        ).exists()
        row = PoolShare.objects.filter(copy=copy, withdrawn_at__isnull=True).first()
    if not is_coordinator:
        raise PermissionDenied(_("Seule la coordination de la structure peut refuser ce profil."))
    if row is None:
        raise ValidationError(_("Ce profil n'est plus partagé avec votre structure."))
    with transaction.atomic():
        _withdraw(row, actor=actor, request=request)
    return row


def _withdraw(share_row, *, actor, request=None):
    """Takes effect at once: she leaves the structure's pool, her access there ends, and
    what she still had in hand there goes back to its coordination (share_withdrawn)."""
    with transaction.atomic(), scopes_disabled():
        share_row.withdrawn_at = timezone.now()
        share_row.withdrawn_by = actor
        share_row.save(update_fields=["withdrawn_at", "withdrawn_by"])
        copy = share_row.copy
        copy.status = Partner.Status.PAUSED
        copy.status_changed_at = timezone.now()
        copy.save(update_fields=["status", "status_changed_at", "updated_at"])
        if copy.membership_id:
            Membership.objects.filter(pk=copy.membership_id).update(
                is_active=False, deactivated_at=timezone.now()
            )
        record(
            "partners.pool_withdrawn",
            actor=actor,
            structure=share_row.origin.structure,
            target=share_row,
            request=request,
            shared_with=share_row.structure_id,
        )
        record("partners.pool_withdrawn", actor=actor, structure=copy.structure, target=copy)
        share_withdrawn.send(sender=PoolShare, copy=copy, actor=actor)


# --- keeping copies in step ---------------------------------------------------------------


def _copy_profile(origin, copy):
    for field in ALWAYS_SHARED:
        setattr(copy, field, getattr(origin, field))
    for field, flag in SHARED_IF.items():
        setattr(copy, field, getattr(origin, field) if getattr(origin, flag) else "")
    for flag in ("share_lived_experience", "share_association", "share_compensation"):
        setattr(copy, flag, getattr(origin, flag))
    copy.share_conditions = origin.share_conditions
    copy.share_photo = False  # the photo stays with her own structure
    copy.save()
    kinds = list(ALWAYS_SHARED_TAGS)
    if origin.share_conditions:
        kinds.append(PartnerTag.Kind.CONDITION)
    PartnerTag.objects.filter(partner=copy).delete()
    PartnerTag.objects.bulk_create(
        PartnerTag(partner=copy, kind=t.kind, value=t.value, label=t.label)
        for t in PartnerTag.objects.filter(partner=origin, kind__in=kinds)
    )
    # Trainings without their proof files: what she followed, not her documents.
    Training.objects.filter(partner=copy).delete()
    Training.objects.bulk_create(
        Training(
            partner=copy,
            kind=t.kind,
            title=t.title,
            organisation=t.organisation,
            completed_on=t.completed_on,
            hours=t.hours,
        )
        for t in Training.objects.filter(partner=origin)
    )


def sync_copies(origin):
    """After a change of her own record: the shared copies follow (in the caller's
    transaction). A paused or ended partner is paused in every structure she shares with."""
    if origin.is_pool_copy:
        return
    with scopes_disabled():
        shares = list(
            PoolShare.objects.filter(origin=origin, withdrawn_at__isnull=True).select_related(
                "copy"
            )
        )
        for row in shares:
            copy = row.copy
            wanted = (
                Partner.Status.ACTIVE
                if origin.status == Partner.Status.ACTIVE
                else Partner.Status.PAUSED
            )
            if copy.status != wanted:
                copy.status = wanted
                copy.status_changed_at = timezone.now()
            _copy_profile(origin, copy)


def person_partner_ids(partner) -> list[int]:
    """Her record and every copy of it: one person, whatever the structure."""
    origin = origin_of(partner)
    with scopes_disabled():
        return [origin.pk, *Partner.objects.filter(pool_origin=origin).values_list("pk", flat=True)]
