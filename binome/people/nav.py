from django.utils.translation import gettext_lazy as _

from binome.core.navigation import NavItem
from binome.people.models import Role

ITEMS = [
    NavItem(
        _("L'équipe"),
        "people:members",
        roles=(Role.COORDINATOR, Role.PROFESSIONAL, Role.PARTNER, Role.USER_REP),
        order=900,
    ),
    NavItem(_("La structure"), "people:structure", roles=(Role.COORDINATOR,), order=910),
]
