"""State changes of the networks app, each in a transaction with its audit row."""

import base64
import hashlib
import hmac
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from binome.audit.services import record
from binome.networks import questionnaire as q
from binome.networks.models import (
    CampaignInvitation,
    CampaignResponse,
    ExchangeRequest,
    MatrixAnswer,
    MatrixAxis,
    MatrixConsensus,
    MatrixDimension,
    MatrixSession,
    MaturityAssessment,
    Resource,
    ResponseChoice,
    hash_token,
)
from binome.people import continuum
from binome.people.models import Membership, NetworkAffiliation, Role
from binome.people.scoping import structure_scope


def register_level(structure, today=None) -> str:
    """The highest continuum stage among the team's actions of the last 12 months, or ''."""
    return continuum.register_level(structure, today)


# --- self-assessment ---


def create_assessment(
    *, structure, answers, actor=None, request=None, source=MaturityAssessment.Source.SELF
):
    """Validate and store a self-assessment; raises questionnaire.AnswerError on bad input."""
    clean = q.clean_answers(answers)
    from_answers = q.place_from_answers(clean)
    from_register = register_level(structure)
    with transaction.atomic():
        assessment = MaturityAssessment.objects.create(
            structure=structure,
            source=source,
            answers=clean,
            level_from_answers=from_answers,
            register_level=from_register,
            level=continuum.decide(from_register, from_answers).level,
            created_by=actor,
        )
        record(
            "networks.assessment_created",
            actor=actor,
            structure=structure,
            target=assessment,
            request=request,
            level=assessment.level,
        )
    return assessment


def resources_for(level, barriers, limit=6):
    """Library entries for this level and these barriers, the most specific first."""
    barriers = set(barriers or [])
    chosen = []
    for res in Resource.objects.all():
        level_ok = not res.levels or level in res.levels
        hits = len(barriers & set(res.barriers or []))
        if level_ok or hits:
            chosen.append((-hits, 0 if res.levels else 1, res.order, res))
    chosen.sort(key=lambda t: t[:3])
    return [t[3] for t in chosen[:limit]]


def guidance(assessment):
    answers = assessment.answers
    return {
        "barriers": q.barriers_with_levers(answers),
        "steps": q.next_steps(
            assessment.level, answers, done=continuum.done_kinds(assessment.structure)
        ),
        "resources": resources_for(assessment.level, answers.get("barriers")),
    }


# --- HAS maturity matrix ---


def in_axis_order(dimensions):
    axes = list(MatrixAxis.values)
    return sorted(dimensions, key=lambda d: (axes.index(d.axis), d.order, d.code))


def active_dimensions():
    return in_axis_order(MatrixDimension.objects.filter(is_active=True))


def session_dimensions(session):
    """The grid a session is answered on: frozen at its first answer, so a session begun
    before the wording or the list of dimensions changed keeps its own grid."""
    used = MatrixDimension.objects.filter(
        Q(pk__in=MatrixAnswer.objects.filter(session=session).values("dimension"))
        | Q(pk__in=MatrixConsensus.objects.filter(session=session).values("dimension"))
    )
    return in_axis_order(used) or active_dimensions()


def check_level(dimension, level):
    if not isinstance(level, int) or not 1 <= level <= max(dimension.level_count, 1):
        raise ValidationError({dimension.code: _("Niveau hors de l'échelle de cette dimension.")})


def save_my_answers(
    session, membership, values: dict, comments: dict | None = None, *, request=None
):
    """values: {dimension code: level}; every dimension of the session must be answered."""
    dimensions = session_dimensions(session)
    errors = {}
    for dim in dimensions:
        try:
            check_level(dim, values.get(dim.code))
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for dim in dimensions:
            MatrixAnswer.objects.update_or_create(
                session=session,
                membership=membership,
                dimension=dim,
                defaults={
                    "level": values[dim.code],
                    "comment": (comments or {}).get(dim.code, "")[:2000],
                },
            )
        record(
            "networks.matrix_answered", structure=session.structure, target=session, request=request
        )


def save_consensus(session, values: dict, targets: dict, notes: dict, *, request=None):
    dimensions = session_dimensions(session)
    errors = {}
    for dim in dimensions:
        try:
            check_level(dim, values.get(dim.code))
            if targets.get(dim.code) is not None:
                check_level(dim, targets[dim.code])
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for dim in dimensions:
            MatrixConsensus.objects.update_or_create(
                session=session,
                dimension=dim,
                defaults={
                    "level": values[dim.code],
                    "target_level": targets.get(dim.code),
                    "note": notes.get(dim.code, "")[:2000],
                },
            )
        session.status = MatrixSession.Status.CONSENSUS
        session.save(update_fields=["status"])
        record(
            "networks.matrix_consensus",
            structure=session.structure,
            target=session,
            request=request,
        )


def gaps(session):
    """Dimensions whose agreed level is below the level the team aims for."""
    return [c for c in session.consensus.select_related("dimension") if c.has_gap]


# --- campaigns ---


def campaign_token(invitation) -> str:
    """The invitation's link token: derived from the server secret, so only its hash is stored
    and reminders can send the same link again."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(),
        f"networks.campaign:{invitation.public_id}".encode(),
        hashlib.sha256,
    ).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")[:32]


def campaign_link(invitation) -> str:
    return settings.SITE_URL + reverse(
        "networks_public:answer", kwargs={"token": campaign_token(invitation)}
    )


def _new_invitation(campaign, **fields):
    inv = CampaignInvitation(campaign=campaign, token_hash="", **fields)
    inv.token_hash = hash_token(campaign_token(inv))
    inv.save()
    return inv


def invite_affiliated(campaign, *, request=None) -> int:
    """Invite every structure that opted in to the campaign's network (idempotent)."""
    with transaction.atomic():
        already = set(
            campaign.invitations.exclude(structure=None).values_list("structure_id", flat=True)
        )
        created = 0
        for aff in (
            NetworkAffiliation.objects.opted_in()
            .filter(network=campaign.network)
            .select_related("structure")
        ):
            s = aff.structure
            if s.pk in already:
                continue
            _new_invitation(
                campaign, structure=s, name=s.name, kind=s.kind, department=s.department
            )
            created += 1
        record(
            "networks.campaign_invited",
            request=request,
            structure=None,
            target=campaign,
            count=created,
        )
    return created


def invite_unlisted(campaign, *, name, email, kind="", department="", request=None):
    """A structure without a Binôme account: a name and an address suffice."""
    with transaction.atomic():
        inv = _new_invitation(campaign, name=name, email=email, kind=kind, department=department)
        record(
            "networks.campaign_invited", request=request, structure=None, target=campaign, count=1
        )
    return inv


def _recipients(invitation):
    if invitation.email:
        return [invitation.email]
    if invitation.structure_id is None:
        return []
    return list(
        Membership.objects.active()
        .filter(structure_id=invitation.structure_id, role=Role.COORDINATOR)
        .values_list("user__email", flat=True)
    )


def _send(invitation, *, reminder: bool):
    campaign = invitation.campaign
    subject = (_("Relance : %(t)s") if reminder else "%(t)s") % {"t": campaign.title}
    body = _(
        "Bonjour,\n\n%(intro)s\n\nRépondre au questionnaire (environ 20 minutes, jusqu'au %(date)s) :\n%(link)s\n\n"
        "Vos réponses ne seront présentées que de façon agrégée : aucune équipe ne peut être identifiée.\n\n%(network)s"
    ) % {
        "intro": campaign.introduction,
        "date": campaign.closes_on.strftime("%d/%m/%Y"),
        "link": campaign_link(invitation),
        "network": campaign.network.name,
    }
    recipients = _recipients(invitation)
    if recipients:
        send_mail(subject, body, None, recipients, fail_silently=True)
    return bool(recipients)


@transaction.atomic
def send_invitations(campaign, *, request=None, now=None) -> int:
    """Send the first e-mail to every invitation not sent yet (idempotent); the e-mails leave
    once the claims and their audit row are committed."""
    now = now or timezone.now()
    sent = 0
    for inv in campaign.invitations.filter(
        sent_at__isnull=True, responded_at__isnull=True
    ).select_related("campaign__network"):
        with transaction.atomic():
            if CampaignInvitation.objects.filter(pk=inv.pk, sent_at__isnull=True).update(
                sent_at=now
            ):
                transaction.on_commit(partial(_send, inv, reminder=False))
                sent += 1
    if sent:
        record(
            "networks.campaign_sent", request=request, structure=None, target=campaign, count=sent
        )
    return sent


def send_due_reminders(now=None) -> int:
    """Remind invited structures that have not answered (the scheduled job; idempotent).

    An invitation is due when the campaign is open, it was sent, it has had fewer than
    ``max_reminders`` reminders and the last e-mail is older than ``reminder_every_days``.
    The conditional UPDATE claims it, so a second run or worker sends nothing twice.
    """
    from binome.networks.models import Campaign

    now = now or timezone.now()
    today = timezone.localdate(now)
    reminded = 0
    for campaign in Campaign.objects.filter(
        opens_on__lte=today, closes_on__gte=today
    ).select_related("network"):
        cutoff = now - timedelta(days=campaign.reminder_every_days)
        due = campaign.invitations.filter(
            responded_at__isnull=True,
            sent_at__isnull=False,
            reminders_sent__lt=campaign.max_reminders,
        ).filter(
            Q(last_reminded_at__isnull=True, sent_at__lte=cutoff) | Q(last_reminded_at__lte=cutoff)
        )
        for inv in due:
            with transaction.atomic():
                claimed = CampaignInvitation.objects.filter(
                    pk=inv.pk, reminders_sent=inv.reminders_sent, responded_at__isnull=True
                ).update(reminders_sent=inv.reminders_sent + 1, last_reminded_at=now)
                if claimed:
                    inv.campaign = campaign
                    transaction.on_commit(partial(_send, inv, reminder=True))
                    reminded += 1
    return reminded


def invitation_for_token(token):
    if not token or len(token) > 64:
        return None
    return (
        CampaignInvitation.objects.select_related("campaign__network", "structure")
        .filter(token_hash=hash_token(token))
        .first()
    )


def submit_response(invitation, answers, *, request=None):
    """Store a structure's answers (once); raises AnswerError or ValidationError."""
    clean = q.clean_answers(answers)
    if not invitation.campaign.is_open():
        raise ValidationError(_("Cette campagne est close : les réponses ne sont plus acceptées."))
    with transaction.atomic():
        response = store_response(invitation, clean)
        record(
            "networks.campaign_answered",
            request=request,
            structure=invitation.structure,
            target=invitation.campaign,
        )
    return response


def store_response(invitation, clean, when=None):
    """Write validated answers: the response, its ticked choices and, for a structure with
    an account, an entry in its self-assessment history."""
    level = q.place_from_answers(clean)
    campaign = invitation.campaign
    when = when or timezone.now()
    try:
        with transaction.atomic():
            if not CampaignInvitation.objects.filter(
                pk=invitation.pk, responded_at__isnull=True
            ).update(responded_at=when):
                raise ValidationError(
                    _("Votre structure a déjà répondu à ce questionnaire. Merci !")
                )
            response = CampaignResponse.objects.create(
                invitation=invitation,
                campaign=campaign,
                answers=clean,
                level=level,
                priority=clean.get("priority", ""),
                wants_more=clean.get("wants_more", ""),
                knows_guide=clean.get("knows_guide", ""),
                wants_support=clean.get("wants_support", ""),
                kind=invitation.kind,
                department=invitation.department,
                submitted_at=when,
            )
            ResponseChoice.objects.bulk_create(
                [
                    ResponseChoice(
                        response=response, campaign=campaign, question=question.code, value=value
                    )
                    for question in q.QUESTIONS
                    if question.kind == "multi"
                    for value in clean.get(question.code, [])
                ]
            )
            if invitation.structure_id:
                with structure_scope(invitation.structure):
                    MaturityAssessment.objects.create(
                        structure=invitation.structure,
                        source=MaturityAssessment.Source.CAMPAIGN,
                        answers=clean,
                        level_from_answers=level,
                        level=level,
                        created_at=when,
                    )
    except IntegrityError as exc:
        raise ValidationError(
            _("Votre structure a déjà répondu à ce questionnaire. Merci !")
        ) from exc
    invitation.responded_at = when
    return response


# --- catalogue ---


def publish_card(card, publish: bool, *, request=None):
    with transaction.atomic():
        card.is_published = publish
        card.published_at = timezone.now() if publish else None
        card.save(update_fields=["is_published", "published_at", "updated_at"])
        record(
            "networks.card_published" if publish else "networks.card_unpublished",
            request=request,
            target=card,
        )


def save_card(card, *, request=None):
    s = card.structure
    card.region, card.department = s.region, s.department
    with transaction.atomic():
        card.save()
        record("networks.card_saved", request=request, target=card)
    return card


def request_exchange(card, *, from_structure, message, actor, request=None):
    if card.structure_id == from_structure.pk:
        raise ValidationError(_("C'est une fiche de votre propre équipe."))
    if not card.is_published:
        raise ValidationError(_("Cette fiche n'est plus publiée."))
    with transaction.atomic():
        exchange = ExchangeRequest.objects.create(
            card=card, from_structure=from_structure, message=message, created_by=actor
        )
        record(
            "networks.exchange_requested",
            request=request,
            target=exchange,
            card=str(card.public_id),
        )
        recipients = list(
            Membership.objects.active()
            .filter(structure_id=card.structure_id, role=Role.COORDINATOR)
            .values_list("user__email", flat=True)
        )
        body = _(
            "L'équipe « %(team)s » souhaite échanger avec vous sur votre projet « %(title)s ».\n\n"
            "Retrouvez sa demande dans Binôme : %(url)s"
        ) % {
            "team": from_structure.name,
            "title": card.title,
            "url": settings.SITE_URL + reverse("networks:exchanges"),
        }
        if recipients:
            transaction.on_commit(
                lambda: send_mail(
                    _("Demande d'échange sur votre projet"),
                    body,
                    None,
                    recipients,
                    fail_silently=True,
                )
            )
    return exchange


def answer_exchange(exchange, *, accept: bool, answer: str, request=None):
    with transaction.atomic():
        exchange.status = (
            ExchangeRequest.Status.ACCEPTED if accept else ExchangeRequest.Status.DECLINED
        )
        exchange.answer = answer
        exchange.answered_at = timezone.now()
        exchange.save(update_fields=["status", "answer", "answered_at"])
        record(
            "networks.exchange_answered", request=request, target=exchange, status=exchange.status
        )


def save_resource(resource, *, request=None):
    """A library resource (facilitators), with a slug of its own on its first save."""
    from django.utils.text import slugify

    with transaction.atomic():
        if not resource.slug:
            base = slugify(resource.title)[:70] or "ressource"
            resource.slug, n = base, 1
            while Resource.objects.filter(slug=resource.slug).exists():
                n += 1
                resource.slug = f"{base}-{n}"
        resource.save()
        record("networks.resource_saved", request=request, structure=None, target=resource)
    return resource


def open_matrix(*, structure, actor, request=None, **fields):
    """A HAS maturity matrix session for the team: each member answers alone, then together."""
    with transaction.atomic():
        session = MatrixSession.objects.create(structure=structure, created_by=actor, **fields)
        record("networks.matrix_created", request=request, target=session)
    return session


def create_campaign(campaign, *, network, actor, request=None):
    """A campaign of the network, with every opted-in structure invited at once."""
    with transaction.atomic():
        campaign.network = network
        campaign.created_by = actor
        campaign.save()
        record("networks.campaign_created", request=request, structure=None, target=campaign)
        invite_affiliated(campaign, request=request)
    return campaign
