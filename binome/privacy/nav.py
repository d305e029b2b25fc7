from django.utils.translation import gettext_lazy as _

from binome.core.navigation import NavItem
from binome.people.models import Role

ITEMS = [
    NavItem(_("Protection des données"), "privacy:people", roles=(Role.COORDINATOR,), order=940),
    NavItem(_("Journal d'audit"), "audit:log", roles=(Role.COORDINATOR,), order=950),
    NavItem(
        _("Mes données"),
        "privacy:mine",
        roles=(Role.COORDINATOR, Role.PROFESSIONAL, Role.PARTNER, Role.USER_REP, Role.PATIENT),
        network=True,
        order=990,
    ),
]
