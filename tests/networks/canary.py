"""Plant the person's data of the networks app for the privacy canary test: their own
answers to the maturity matrix, an exchange request they wrote, and a campaign invitation
sent to their address."""

import datetime as dt


def plant(user, structure, canary):
    from binome.networks import services
    from binome.networks.models import (
        Campaign,
        ExchangeRequest,
        MatrixAnswer,
        MatrixDimension,
        MatrixSession,
        ProjectCard,
    )
    from binome.people.models import Membership, Network, Role, Structure

    membership = Membership.objects.get(user=user, structure=structure, role=Role.PARTNER)
    session = MatrixSession.objects.create(structure=structure, title="Matrice")
    MatrixAnswer.objects.create(
        session=session,
        membership=membership,
        dimension=MatrixDimension.objects.first(),
        level=2,
        comment=canary("commentaire-matrice"),
    )
    other = Structure.objects.exclude(pk=structure.pk).first()
    card = ProjectCard.objects.create(
        structure=other,
        title="Gazette",
        theme="communication",
        level="collaboration",
        what="Une gazette",
        with_whom="Des usagers",
        region=other.region,
        is_published=True,
    )
    ExchangeRequest.objects.create(
        card=card, from_structure=structure, created_by=user, message=canary("message-echange")
    )
    network = Network.objects.first()
    campaign = Campaign.objects.create(
        network=network,
        title="Campagne",
        introduction="Merci",
        opens_on=dt.date.today(),
        closes_on=dt.date.today(),
    )
    services.invite_unlisted(campaign, name="ESP sans compte", email=user.email)
