from django.utils.translation import gettext_lazy as _

from binome.core.navigation import NavItem
from binome.people.models import Role

ITEMS = [
    NavItem(_("Importer un tableur"), "imports:start", roles=(Role.COORDINATOR,), order=930),
]
