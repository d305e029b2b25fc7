"""Plant the person's mission comment for the privacy canary test."""


def plant(user, structure, canary):
    from binome.missions.models import Mission, MissionComment

    mission = Mission.objects.create(
        structure=structure, title="Mission canari", kind=Mission.Kind.WORKING_GROUP
    )
    MissionComment.objects.create(
        mission=mission, author=user, side=MissionComment.Side.PARTNER, body=canary("commentaire")
    )
