from django.utils.translation import gettext_lazy as _

from binome.core.navigation import NavItem
from binome.people.models import Role

ITEMS = [
    NavItem(
        _("Temps et frais"),
        "compensation:entries",
        roles=(Role.COORDINATOR, Role.PARTNER),
        order=600,
    ),
    NavItem(_("Budget"), "compensation:budget", roles=(Role.COORDINATOR,), order=610),
]
