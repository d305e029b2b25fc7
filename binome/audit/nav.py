from django.utils.translation import gettext_lazy as _

from binome.people.models import Role
from binome.web.navigation import NavItem

ITEMS = [NavItem(_("Journal d'audit"), "audit:log", roles=(Role.COORDINATOR,), order=950)]
