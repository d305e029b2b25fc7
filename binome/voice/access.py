"""Who sees and changes the users' voice (surveys, ideas, committee): one rule for pages and API.

Survey answers are anonymous by default and only ever shown aggregated, with free-text
examples, to the team; patients and facilitators read none of it.
"""

from binome.core.roles import STAFF, TEAM
from binome.people.models import Role

VIEW = {str(r) for r in TEAM}
EDIT = {str(r) for r in STAFF}


def may_edit_committee(user, roles, committee) -> bool:
    """The coordination, or a user representative who sits on this committee (seed 001: the
    committee is run with its users), prepares meetings, convokes and writes the minutes."""
    roles = {str(r) for r in roles}
    if str(Role.COORDINATOR) in roles:
        return True
    return (
        str(Role.USER_REP) in roles
        and committee.members.filter(membership__user=user, membership__is_active=True).exists()
    )
