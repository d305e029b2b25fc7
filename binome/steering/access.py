"""Who may see, edit and manage a steering project: one rule for the pages and the API.

- every member of the team but the patients sees the structure's projects;
- a coordinator, or any active member of the project's steering committee (Copil), edits
  its content (cycles, actions, logbook, limiting factors, indicators);
- a coordinator, or a project lead of the committee, manages the committee and the project.
"""

from binome.core.roles import TEAM
from binome.people.models import Role

VIEW = {str(r) for r in TEAM}


def can_view(roles) -> bool:
    return bool({str(r) for r in roles} & VIEW)


def _committee_seat(user, project, **filters):
    return project.committee.filter(
        membership__user=user, membership__is_active=True, **filters
    ).exists()


def can_edit(user, roles, project) -> bool:
    if not can_view(roles):
        return False
    return Role.COORDINATOR in {str(r) for r in roles} or _committee_seat(user, project)


def can_manage(user, roles, project) -> bool:
    from binome.steering.models import CommitteeMember

    if not can_view(roles):
        return False
    return Role.COORDINATOR in {str(r) for r in roles} or _committee_seat(
        user, project, seat=CommitteeMember.Seat.LEAD
    )
