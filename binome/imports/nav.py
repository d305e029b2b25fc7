from django.utils.translation import gettext_lazy as _

from binome.people.models import Role
from binome.web.navigation import NavItem

ITEMS = [
    NavItem(_("Importer un tableur"), "imports:start", roles=(Role.COORDINATOR,), order=930),
]
