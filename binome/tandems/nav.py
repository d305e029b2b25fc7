from django.utils.translation import gettext_lazy as _

from binome.core.navigation import NavItem
from binome.people.models import Role

ITEMS = [
    NavItem(
        _("Tandems"),
        "tandems:list",
        roles=(Role.COORDINATOR, Role.PROFESSIONAL, Role.PARTNER),
        order=310,
    ),
]
