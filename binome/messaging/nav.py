from django.utils.translation import gettext_lazy as _

from binome.people.models import Role
from binome.web.navigation import NavItem

ITEMS = [
    NavItem(_("Mes rappels (e-mail, SMS)"), "messaging:preferences",
            roles=(Role.COORDINATOR, Role.PROFESSIONAL, Role.PARTNER, Role.USER_REP), network=True, order=985),
]
