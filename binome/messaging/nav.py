from django.utils.translation import gettext_lazy as _

from binome.core.navigation import NavItem
from binome.people.models import Role

ITEMS = [
    NavItem(
        _("Mes rappels (e-mail, SMS)"),
        "messaging:preferences",
        roles=(Role.COORDINATOR, Role.PROFESSIONAL, Role.PARTNER, Role.USER_REP),
        network=True,
        order=985,
    ),
]
