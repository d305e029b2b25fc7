"""Who sees and changes the involvement register, its evidence files and the ACI report:
one rule for the pages and the API."""

from binome.core.roles import STAFF, TEAM

VIEW = {str(r) for r in TEAM}
EDIT = {str(r) for r in STAFF}
