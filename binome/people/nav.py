from django.utils.translation import gettext_lazy as _

from binome.people.models import Role
from binome.web.navigation import NavItem

ITEMS = [
    NavItem(_("L'équipe"), "people:members", roles=(Role.COORDINATOR, Role.PROFESSIONAL, Role.PARTNER, Role.USER_REP), order=900),
    NavItem(_("La structure"), "people:structure", roles=(Role.COORDINATOR,), order=910),
]
