from django.utils.translation import gettext_lazy as _

from binome.people.models import Role
from binome.web.navigation import NavItem

ITEMS = [
    NavItem(_("Protection des données"), "privacy:people", roles=(Role.COORDINATOR,), order=940),
    NavItem(
        _("Mes données"),
        "privacy:mine",
        roles=(Role.COORDINATOR, Role.PROFESSIONAL, Role.PARTNER, Role.USER_REP, Role.PATIENT),
        network=True,
        order=990,
    ),
]
