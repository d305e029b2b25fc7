from django.utils.translation import gettext_lazy as _

from binome.core.navigation import NavItem
from binome.people.models import Role

ITEMS = [
    NavItem(
        _("Implication des usagers"),
        "involvement:register",
        roles=(Role.COORDINATOR, Role.PROFESSIONAL, Role.PARTNER, Role.USER_REP),
        order=500,
    ),
    NavItem(
        _("Rapport ACI"),
        "involvement:aci_report",
        roles=(Role.COORDINATOR, Role.PROFESSIONAL),
        order=510,
    ),
    NavItem(
        _("Programmes et ateliers"),
        "involvement:programme_list",
        roles=(Role.COORDINATOR, Role.PROFESSIONAL, Role.PARTNER, Role.USER_REP),
        order=520,
    ),
]
