"""State changes of steering projects: write atomically with their audit row."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from binome.audit.services import record
from binome.people.models import Membership, Role
from binome.steering import links
from binome.steering.models import ActionItem, CommitteeMember, Project, ProjectLink


def create_project(*, structure, actor, data, request=None) -> Project:
    with transaction.atomic():
        project = Project.objects.create(structure=structure, created_by=actor, **data)
        lead = (
            Membership.objects.active()
            .filter(structure=structure, user=actor)
            .exclude(role=Role.PATIENT)
            .order_by("role")
            .first()
        )
        if lead is not None:
            CommitteeMember.objects.create(
                project=project, membership=lead, seat=CommitteeMember.Seat.LEAD
            )
        record(
            "steering.project_created",
            actor=actor,
            structure=structure,
            target=project,
            request=request,
        )
    return project


def save(obj, kind, *, request, project, **data):
    """Save a form's instance (or a model instance) and audit it in one transaction."""
    with transaction.atomic():
        obj.save()
        record(
            kind,
            structure=project.structure,
            target=obj,
            request=request,
            project=str(project.public_id),
            **data,
        )
    return obj


def set_action_status(action, status, *, request, project):
    from django.utils import timezone

    with transaction.atomic():
        action.status = status
        action.done_on = timezone.localdate() if status == ActionItem.Status.DONE else None
        action.save(update_fields=["status", "done_on"])
        record(
            "steering.action_saved",
            structure=project.structure,
            target=action,
            request=request,
            status=status,
        )


def remove_member(member, *, request, project):
    with transaction.atomic():
        member_id = member.membership.public_id
        member.delete()
        record(
            "steering.committee_changed",
            structure=project.structure,
            target=project,
            request=request,
            removed=str(member_id),
        )


def add_link(project, value, *, request) -> ProjectLink:
    try:
        kind, public_id = value.split(":", 1)
        kind = ProjectLink.Kind(kind)
    except ValueError as exc:
        raise ValidationError(_("Choix invalide.")) from exc
    target = links.resolve(project.structure, kind, public_id)
    if target is None:
        raise ValidationError(_("Cet élément n'existe pas dans votre structure."))
    if project.links.filter(kind=kind, target_public_id=target.public_id).exists():
        raise ValidationError(_("Ce lien existe déjà."))
    with transaction.atomic():
        link = ProjectLink.objects.create(
            project=project,
            kind=kind,
            target_public_id=target.public_id,
            label=links.label_of(target),
        )
        record(
            "steering.link_added",
            structure=project.structure,
            target=project,
            request=request,
            link_kind=str(kind),
        )
    return link


def add_logbook_entry(project, *, data, user, request=None):
    """One logbook entry, validated by the page's own form whatever the path (page or API)."""
    from django.core.exceptions import ValidationError

    from binome.steering.forms import LogbookEntryForm

    data = dict(data)
    if data.get("cycle"):
        cycle = project.cycles.filter(public_id=data["cycle"]).first()
        data["cycle"] = cycle.pk if cycle is not None else "inconnu"
    form = LogbookEntryForm(data, project=project)
    if not form.is_valid():
        raise ValidationError({field: list(errors) for field, errors in form.errors.items()})
    entry = form.save(commit=False)
    entry.project, entry.author = project, user
    return save(entry, "steering.logbook_added", request=request, project=project)
