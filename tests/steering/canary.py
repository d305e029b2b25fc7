"""Plant a check-in with the partner for the privacy canary test."""

import datetime as dt


def plant(user, structure, canary):
    from binome.people.models import Membership, Role
    from binome.steering.models import CheckIn, Project

    membership = Membership.objects.get(user=user, structure=structure, role=Role.PARTNER)
    project = Project.objects.create(structure=structure, title="Projet de pair-accompagnement")
    CheckIn.objects.create(
        project=project,
        partner=membership,
        date=dt.date.today(),
        went_well=canary("bien"),
        difficulties=canary("difficultes"),
        adjustments=canary("ajustements"),
    )
