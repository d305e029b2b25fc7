"""Retention rules for the capability apps' data. They apply each app's own erasure
decisions (its registrations in the personal-data registry), so that the periods are
enforced now; an app may later carry its own hook instead.

Models are looked up by name when the job runs: an app without them simply has nothing
to remove.
"""

from django.apps import apps
from django.db.models import Q
from django.utils.functional import Promise

from binome.privacy.registry import Person, registration_for
from binome.privacy.retention import retention_hook


def _model(label):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _not_yet_anonymised(queryset):
    """Rows that still differ from the app's anonymised values (a second run skips them)."""
    registration = registration_for(queryset.model)
    constants = {
        name: (str(value) if isinstance(value, Promise) else value)
        for name, value in registration.anonymise.items()
        if not callable(value)
    }
    return queryset.exclude(**constants) if constants else queryset


def _erase_each(objects, to_person) -> int:
    """Erase each person through the registry; count the rows that are anonymised now."""
    from binome.privacy.services import erase_person

    if not objects:
        return 0
    for obj in objects:
        erase_person(to_person(obj), structure=obj.structure, limit_to_structure=True)
    model = type(objects[0])
    still = _not_yet_anonymised(model._base_manager.filter(pk__in=[o.pk for o in objects])).count()
    return len(objects) - still


@retention_hook("contact_notes")
def forget_contact_notes(cutoff, now) -> int:
    """Private notes and shared summaries of exchanges, once the accompaniment ended long ago."""
    Contact = _model("accompaniment.Contact")  # noqa: N806
    if Contact is None or registration_for(Contact) is None:
        return 0
    expired = Contact._base_manager.filter(accompaniment__ended_at__lt=cutoff)
    rows = _not_yet_anonymised(expired)
    values = {k: v for k, v in registration_for(Contact).anonymise.items() if not callable(v)}
    return rows.update(**values)


@retention_hook("closed_accompaniments")
def forget_closed_accompaniments(cutoff, now) -> int:
    """Patients whose every accompaniment ended before the cutoff: identity and texts go,
    dates, outcomes and consents (as proof) stay — the app's own erasure rules."""
    Patient = _model("accompaniment.Patient")  # noqa: N806
    if Patient is None or registration_for(Patient) is None:
        return 0
    ended = Patient._base_manager.filter(accompaniments__isnull=False).exclude(
        Q(accompaniments__ended_at__isnull=True) | Q(accompaniments__ended_at__gte=cutoff)
    )
    patients = _not_yet_anonymised(ended.distinct()).select_related("structure")
    return _erase_each(list(patients), lambda patient: Person(records=(patient,)))


@retention_hook("candidacies")
def forget_candidacies_not_retained(cutoff, now) -> int:
    """Candidates who never joined (no account in the team) and whose candidacy ended."""
    Partner = _model("partners.Partner")  # noqa: N806
    if Partner is None or registration_for(Partner) is None:
        return 0
    ended = Partner._base_manager.filter(
        status="ended", membership__isnull=True, status_changed_at__lt=cutoff
    )
    candidates = _not_yet_anonymised(ended).select_related("structure")
    return _erase_each(
        list(candidates), lambda partner: Person(email=partner.email, records=(partner,))
    )
