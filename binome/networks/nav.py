from django.utils.translation import gettext_lazy as _

from binome.core.navigation import NavItem
from binome.people.models import Role

TEAM = (Role.COORDINATOR, Role.PROFESSIONAL, Role.PARTNER, Role.USER_REP)

ITEMS = [
    NavItem(_("Tableau de bord du réseau"), "networks:dashboard", network=True, order=50),
    NavItem(_("Campagnes régionales"), "networks:campaigns", network=True, order=51),
    NavItem(_("Maturité de l'équipe"), "networks:assessments", roles=TEAM, order=650),
    NavItem(_("Matrice de maturité HAS"), "networks:matrix_list", roles=TEAM, order=651),
    NavItem(_("Catalogue des projets"), "networks:catalogue", roles=TEAM, network=True, order=660),
    NavItem(_("Nos fiches projet"), "networks:my_cards", roles=(Role.COORDINATOR,), order=661),
    NavItem(
        _("Échanges entre équipes"),
        "networks:exchanges",
        roles=(Role.COORDINATOR, Role.PROFESSIONAL),
        order=662,
    ),
    NavItem(_("Ressources"), "networks:resources", roles=TEAM, network=True, order=670),
    NavItem(_("Matrice de maturité : dimensions"), "networks:dimensions", network=True, order=52),
]
