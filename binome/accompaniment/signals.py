"""What accompaniment does when something changes below it (binome.partners.pool)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from binome.partners.pool import share_withdrawn


@receiver(share_withdrawn)
def hand_back_when_share_withdrawn(sender, copy, actor, **kwargs):
    """A partner took back her consent to a structure of the pool: the people she was
    accompanying there go back to its coordination, to be confided to another partner
    (the patient is told, as for any hand-back)."""
    from binome.accompaniment.models import Accompaniment
    from binome.accompaniment.services import HAND_BACK_KINDS, hand_back

    with scopes_disabled():
        open_ones = list(
            Accompaniment.objects.filter(partner=copy, status__in=list(HAND_BACK_KINDS))
        )
        for accompaniment in open_ones:
            hand_back(
                accompaniment,
                user=actor,
                reason=_("Accord de partage dans le vivier de la CPTS retiré par la personne."),
            )


# Kept dashboard figures (binome.accompaniment.stats.kept_figures): every write of a row they
# read makes them be computed again. The version changes in the writer's transaction,
# so it becomes visible with the data it stands for. Queryset deletes send these signals too
# (Django's collector does, once a receiver is connected).


def _figures_changed_in_structure(sender, instance, **kwargs):
    from binome.accompaniment.stats import figures_changed

    figures_changed(instance.structure_id)


def _figures_changed_below_accompaniment(sender, instance, **kwargs):
    from binome.accompaniment.models import Accompaniment
    from binome.accompaniment.stats import figures_changed

    if type(instance).accompaniment.is_cached(instance):
        structure_id = instance.accompaniment.structure_id
    else:
        structure_id = (
            Accompaniment._base_manager.filter(pk=instance.accompaniment_id)
            .values_list("structure_id", flat=True)
            .first()
        )
    if structure_id is not None:
        figures_changed(structure_id)


def connect_figures_receivers():
    from binome.accompaniment.models import Accompaniment, Patient, PatientFeedback
    from binome.partners.models import Partner

    for model in (Accompaniment, Partner, Patient):
        post_save.connect(_figures_changed_in_structure, sender=model)
        post_delete.connect(_figures_changed_in_structure, sender=model)
    # The open alerts are read on every visit, not kept.
    post_save.connect(_figures_changed_below_accompaniment, sender=PatientFeedback)
    post_delete.connect(_figures_changed_below_accompaniment, sender=PatientFeedback)
