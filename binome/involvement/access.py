"""Who sees and changes the involvement register, its evidence files and the ACI report:
one rule for the pages and the API."""

from binome.people.models import Role

VIEW_ROLES = (Role.COORDINATOR, Role.PROFESSIONAL, Role.PARTNER, Role.USER_REP)
EDIT_ROLES = (Role.COORDINATOR, Role.PROFESSIONAL)
REPORT_ROLES = (Role.COORDINATOR, Role.PROFESSIONAL)
VIEW = {str(r) for r in VIEW_ROLES}
EDIT = {str(r) for r in EDIT_ROLES}
