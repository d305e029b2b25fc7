"""Canary planter for missions (fallback until tests/missions/canary.py exists)."""


def plant(user, structure, canary):
    from binome.missions.models import Mission, MissionComment

    mission = Mission.objects.create(structure=structure, title="Groupe de travail accueil", kind=Mission.Kind.ETP_COANIMATION)
    MissionComment.objects.create(mission=mission, author=user, side=MissionComment.Side.PARTNER, body=canary("commentaire-mission"))
