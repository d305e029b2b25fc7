"""Link a candidacy to the account its person creates (invitation accepted)."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from django_scopes import scopes_disabled

from binome.people.models import Membership, Role


@receiver(post_save, sender=Membership)
def link_partner_on_new_membership(sender, instance, created, **kwargs):
    if not created or instance.role != Role.PARTNER or kwargs.get("raw"):
        return
    from binome.partners.services import link_new_partner_membership

    with scopes_disabled():
        link_new_partner_membership(instance)
