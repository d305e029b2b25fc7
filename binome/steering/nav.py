from django.utils.translation import gettext_lazy as _

from binome.core.navigation import NavItem
from binome.people.models import Role

ITEMS = [
    NavItem(
        _("Projets et pilotage"),
        "steering:list",
        roles=(Role.COORDINATOR, Role.PROFESSIONAL, Role.PARTNER, Role.USER_REP),
        order=700,
    ),
]
