from django.utils.translation import gettext_lazy as _

from binome.people.models import Role
from binome.web.navigation import NavItem

ITEMS = [
    NavItem(_("Projets et pilotage"), "steering:list", roles=(Role.COORDINATOR, Role.PROFESSIONAL, Role.PARTNER, Role.USER_REP), order=700),
]
