"""What accompaniment does when something changes below it (binome.partners.pool)."""

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
