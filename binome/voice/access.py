"""Who sees and changes the users' voice (surveys, ideas, committee): one rule for pages and API.

Survey answers are anonymous by default and only ever shown aggregated, with free-text
examples, to the team; patients and facilitators read none of it.
"""

from binome.people.models import Role

VIEW_ROLES = (Role.COORDINATOR, Role.PROFESSIONAL, Role.PARTNER, Role.USER_REP)
EDIT_ROLES = (Role.COORDINATOR, Role.PROFESSIONAL)
VIEW = {str(r) for r in VIEW_ROLES}
EDIT = {str(r) for r in EDIT_ROLES}
