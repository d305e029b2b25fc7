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


def may_write_gazette(user, roles, issue) -> bool:
    """The gazette is written with the committee: the coordination, or a user representative
    sitting on the issue's committee; a published issue no longer changes."""
    return not issue.is_published and may_edit_committee(user, roles, issue.committee)


def may_approve_gazette(user, roles, issue) -> bool:
    """The committee approves: a user representative sitting on it. The coordination only
    records an approval given at one of the committee's meetings (members without accounts)."""
    roles = {str(r) for r in roles}
    sits = (
        str(Role.USER_REP) in roles
        and issue.committee.members.filter(
            membership__user=user, membership__is_active=True
        ).exists()
    )
    return sits or str(Role.COORDINATOR) in roles


def may_start_gazette(user, roles, committee) -> bool:
    """Who writes a quarter's gazette: those who run the committee; without a committee yet,
    only the coordination (who is then told to create it first)."""
    if committee is None:
        return str(Role.COORDINATOR) in {str(r) for r in roles}
    return may_edit_committee(user, roles, committee)
