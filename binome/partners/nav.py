from django.utils.translation import gettext_lazy as _

from binome.core.navigation import NavItem
from binome.people.models import Role

ITEMS = [
    NavItem(
        _("Patients partenaires"),
        "partners:pool",
        roles=(Role.COORDINATOR, Role.PROFESSIONAL),
        order=200,
    ),
    NavItem(_("Recrutement"), "partners:recruitment", roles=(Role.COORDINATOR,), order=210),
    NavItem(
        _("Vivier partagé (CPTS)"), "partners:pool_members", roles=(Role.COORDINATOR,), order=215
    ),
    NavItem(_("Mon profil de partenaire"), "partners:my_profile", roles=(Role.PARTNER,), order=200),
    NavItem(
        _("Charte"),
        "partners:charter",
        roles=(Role.COORDINATOR, Role.PROFESSIONAL, Role.PARTNER),
        order=230,
    ),
]
