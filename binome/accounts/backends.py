"""Django's password backend, with one addition on the user read every request makes."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.db.models import Exists, OuterRef


class ModelBackend(DjangoModelBackend):
    """Reads the signed-in user together with whether they hold an active network role.

    Facilitators are few: with this flag the pages of everyone else skip the query for
    network memberships (binome.web.middleware.load_context). It is computed on every
    request, so a role granted or withdrawn applies at the next page.
    """

    def get_user(self, user_id):
        from binome.people.models import NetworkMembership

        User = get_user_model()
        has_network_roles = Exists(
            NetworkMembership.objects.filter(user=OuterRef("pk"), is_active=True)
        )
        try:
            user = User._default_manager.annotate(has_network_roles=has_network_roles).get(
                pk=user_id
            )
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
