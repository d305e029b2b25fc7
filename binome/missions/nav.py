from django.utils.translation import gettext_lazy as _

from binome.core.navigation import NavItem
from binome.people.models import Role

ITEMS = [
    NavItem(
        _("Missions"),
        "missions:list",
        roles=(Role.COORDINATOR, Role.PROFESSIONAL, Role.PARTNER),
        order=220,
    ),
    NavItem(
        _("Indemnisation décidée"), "missions:compensation", roles=(Role.COORDINATOR,), order=240
    ),
]
