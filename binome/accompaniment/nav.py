from django.utils.translation import gettext_lazy as _

from binome.core.navigation import NavItem
from binome.people.models import Role

ITEMS = [
    NavItem(_("Aujourd'hui"), "accompaniment:today", roles=(Role.PARTNER,), order=150),
    NavItem(_("Mon accompagnement"), "accompaniment:mine", roles=(Role.PATIENT,), order=150),
    NavItem(
        _("Pair-accompagnements"),
        "accompaniment:list",
        roles=(Role.COORDINATOR, Role.PROFESSIONAL, Role.PARTNER),
        order=300,
    ),
    NavItem(_("Orienter un patient"), "accompaniment:refer", roles=(Role.PROFESSIONAL,), order=301),
    NavItem(
        _("Suivi des accompagnements"),
        "accompaniment:dashboard",
        roles=(Role.COORDINATOR,),
        order=302,
    ),
    NavItem(_("Supervision"), "accompaniment:supervision", roles=(Role.PARTNER,), order=311),
    NavItem(
        _("Messages de suivi"),
        "accompaniment:notifications",
        roles=(Role.COORDINATOR, Role.PROFESSIONAL),
        order=303,
    ),
]
