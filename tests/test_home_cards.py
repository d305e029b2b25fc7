"""Home page cards per role with data: every card, its number, help text and link."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from binome.accompaniment.models import Accompaniment, Notification
from binome.compensation.models import Status as EntryStatus
from binome.missions.models import Mission
from binome.partners.models import CharterSignature, Partner
from binome.people.models import Invitation, Role
from binome.voice.models import Idea
from tests.accompaniment.factories import AccompanimentFactory, AlertFactory
from tests.compensation.factories import (
    AssignmentFactory,
    ExpenseFactory,
    FundingSourceFactory,
    MissionBudgetFactory,
    MissionFactory,
    TimeEntryFactory,
    partner_of,
)
from tests.involvement.factories import InvolvementActionFactory
from tests.missions.factories import MissionProfessionalFactory
from tests.networks.factories import (
    ExchangeRequestFactory,
    MaturityAssessmentFactory,
    ProjectCardFactory,
)
from tests.partners.factories import CharterFactory, PartnerFactory
from tests.steering.factories import ActionItemFactory, CheckInFactory, CycleFactory, ProjectFactory
from tests.voice.factories import IdeaFactory

pytestmark = pytest.mark.django_db


def fill_home(world):
    """Data in structure A that makes every card of the home page show, for every role.

    Structure B gets the same kind of data: none of it may be counted for A. Returns the
    over-budget mission and the maturity assessment of A.
    """
    for structure, people in (("b", world.memberships_b), ("a", world.memberships)):
        s = people["coordinator"].structure
        now = timezone.now()
        partner = partner_of(world, structure)
        PartnerFactory(structure=s, status=Partner.Status.CANDIDATE)
        PartnerFactory(structure=s, status=Partner.Status.MET)
        CharterFactory(structure=s, version=1)
        charter = CharterFactory(structure=s, version=2)
        CharterSignature.objects.create(
            charter=charter, user=people["nurse"].user, recorded_by=people["nurse"].user
        )
        Invitation.objects.create(
            structure=s,
            email=f"invite-{structure}@exemple.fr",
            role=Role.PARTNER,
            token_hash=structure.ljust(64, "x"),
            invited_by=people["coordinator"].user,
            expires_at=now + dt.timedelta(days=3),
        )
        doctor = people["doctor"]
        late = AccompanimentFactory(
            structure=s,
            partner=partner,
            referred_by=doctor,
            first_contact_due_at=now - dt.timedelta(hours=1),
        )
        AccompanimentFactory(structure=s, partner=partner, referred_by=doctor)
        active = AccompanimentFactory(
            structure=s, partner=partner, referred_by=doctor, status=Accompaniment.Status.ACTIVE
        )
        AlertFactory(accompaniment=active)
        AlertFactory(accompaniment=late)
        AlertFactory(accompaniment=late, acknowledged_at=now)
        AlertFactory(accompaniment=AccompanimentFactory(structure=s))  # not the doctor's
        for persona in ("coordinator", "doctor", "partner"):
            user = people[persona].user
            Notification.objects.create(structure=s, recipient=user, text="Rappel")
            Notification.objects.create(structure=s, recipient=user, text="Alerte", urgent=True)
            Notification.objects.create(structure=s, recipient=user, text="Lu", read_at=now)
        mission = MissionFactory(structure=s, status=Mission.Status.ACTIVE)
        AssignmentFactory(mission=mission, partner=partner)
        MissionFactory(structure=s, status=Mission.Status.ACTIVE)
        to_validate = MissionFactory(structure=s, status=Mission.Status.IN_VALIDATION)
        MissionProfessionalFactory(mission=to_validate, membership=doctor)
        AssignmentFactory(mission=to_validate, partner=partner)
        InvolvementActionFactory(structure=s, aci_level=1)
        InvolvementActionFactory(structure=s, aci_level=2)
        IdeaFactory(structure=s, moderation=Idea.Moderation.PENDING)
        IdeaFactory(structure=s, moderation=Idea.Moderation.PUBLISHED)
        IdeaFactory(structure=s, moderation=Idea.Moderation.HIDDEN)
        assessment = MaturityAssessmentFactory(structure=s)
        ExchangeRequestFactory(card=ProjectCardFactory(structure=s))
        TimeEntryFactory(partner=partner, mission=mission, status=EntryStatus.SUBMITTED)
        ExpenseFactory(partner=partner, mission=mission, status=EntryStatus.SUBMITTED)
        TimeEntryFactory(partner=partner, mission=mission, status=EntryStatus.RETURNED)
        ExpenseFactory(partner=partner, mission=mission, status=EntryStatus.RETURNED)
        ExpenseFactory(partner=partner, mission=mission, status=EntryStatus.RETURNED)
        TimeEntryFactory(
            partner=partner, mission=mission, status=EntryStatus.APPROVED, amount=Decimal("30")
        )
        ExpenseFactory(
            partner=partner, mission=mission, status=EntryStatus.APPROVED, amount=Decimal("30")
        )
        MissionBudgetFactory(
            mission=mission, amount=Decimal("50"), funding_source=FundingSourceFactory(structure=s)
        )
        project = ProjectFactory(structure=s, checkin_every_days=7)
        CheckInFactory(
            project=project,
            partner=people["partner"],
            date=timezone.localdate() - dt.timedelta(days=30),
        )
        ProjectFactory(structure=s)  # never checked in
        cycle = CycleFactory(project=project)
        for persona in ("coordinator", "doctor", "partner"):
            ActionItemFactory(
                cycle=cycle,
                owner=people[persona],
                due_date=timezone.localdate() - dt.timedelta(days=1),
            )
            ActionItemFactory(
                cycle=cycle,
                owner=people[persona],
                due_date=timezone.localdate() + dt.timedelta(days=10),
            )

    return mission, assessment


def _cards(world, persona):
    response = world.client_for(persona).get(reverse("web:home"))
    assert response.status_code == 200
    return [
        (
            str(c.title),
            c.value if isinstance(c.value, int | None) else str(c.value),
            c.url,
            str(c.help),
            c.tone,
        )
        for c in response.context["cards"]
    ]


# The card counts the year's actions; only the report decides the level (agreement, evidence).
ACI = f"Implication des usagers {timezone.localdate().year}"
ACI_HELP = "Voir le bilan : le niveau reconnu par votre accord et les pièces à compléter."
CHARTER = (
    "Charte d'engagement à signer",
    "Version 2",
    "/partenaires/charte/",
    "Prenez le temps de la lire, puis signez-la en ligne.",
    "attention",
)
UNREAD = (
    "Messages de suivi non lus",
    2,
    "/accompagnements/notifications/",
    "dont 1 urgent(s)",
    "attention",
)
TO_VALIDATE = (
    "Fiches-mission à valider",
    1,
    "/missions/?status=in_validation",
    "Relisez la fiche et validez-la si elle vous convient.",
    "attention",
)
MY_ACTIONS = ("Mes actions de projet à mener", 2, "/projets/", "dont 1 en retard", "attention")


def _maturity(assessment):
    return (
        "Maturité de l'équipe",
        "Consultation",
        "/reseau/auto-evaluation/",
        f"Dernière auto-évaluation le {assessment.created_at:%d/%m/%Y}",
        "neutral",
    )


def test_coordinator_cards(world):
    mission, assessment = fill_home(world)
    assert _cards(world, "coordinator") == [
        (
            "Alertes urgentes à prendre en compte",
            3,
            "/accompagnements/tableau-de-bord/",
            "",
            "attention",
        ),
        UNREAD,
        CHARTER,
        ("Patients partenaires actifs", 2, "/partenaires/", "", "neutral"),
        (
            "Candidatures à traiter",
            1,
            "/partenaires/candidatures/",
            "2 en cours de recrutement",
            "attention",
        ),
        ("Missions actives", 2, "/missions/?status=active", "", "neutral"),
        (ACI, "2 actions", "/implication/aci/", ACI_HELP, "success"),
        ("Idées des usagers à traiter", 2, "/voix/idees/", "1 à modérer", "attention"),
        (
            "Temps et frais à valider",
            2,
            "/indemnisation/a-valider/",
            "Saisies des patients partenaires en attente de votre validation.",
            "attention",
        ),
        ("Budgets de mission dépassés", 1, "/indemnisation/budget/", mission.title, "attention"),
        _maturity(assessment),
        (
            "Demandes d'échange à traiter",
            1,
            "/reseau/echanges/",
            "Des équipes aimeraient profiter de votre expérience.",
            "attention",
        ),
        MY_ACTIONS,
        (
            "Points d'étape avec le partenaire en retard",
            2,
            "/projets/",
            "Projets où le dernier point d'étape date de plus que le rythme prévu.",
            "attention",
        ),
        ("Membres de l'équipe", 7, "/structure/membres/", "1 invitation(s) en attente", "neutral"),
    ]


def test_professional_cards(world):
    _, assessment = fill_home(world)
    assert _cards(world, "doctor") == [
        ("Alertes urgentes à prendre en compte", 2, "/accompagnements/", "", "attention"),
        UNREAD,
        TO_VALIDATE,
        CHARTER,
        ("Missions actives", 2, "/missions/?status=active", "", "neutral"),
        (ACI, "2 actions", "/implication/aci/", ACI_HELP, "success"),
        _maturity(assessment),
        MY_ACTIONS,
    ]
    # Signed the charter, nothing referred nor assigned.
    assert _cards(world, "nurse") == [
        ("Missions actives", 2, "/missions/?status=active", "", "neutral"),
        (ACI, "2 actions", "/implication/aci/", ACI_HELP, "success"),
        _maturity(assessment),
    ]


def test_partner_cards(world):
    fill_home(world)
    assert _cards(world, "partner") == [
        UNREAD,
        (
            "Premiers contacts à faire",
            2,
            "/accompagnements/aujourdhui/",
            "dont 1 en retard",
            "attention",
        ),
        TO_VALIDATE,
        CHARTER,
        ("Missions actives", 1, "/missions/?status=active", "", "neutral"),
        ("Mon temps et mes frais", 3, "/indemnisation/", "3 saisie(s) à corriger", "attention"),
        MY_ACTIONS,
    ]


def test_cards_without_data(world):
    assert _cards(world, "coordinator") == [
        ("Patients partenaires actifs", 0, "/partenaires/", "", "neutral"),
        (
            "Candidatures à traiter",
            0,
            "/partenaires/candidatures/",
            "0 en cours de recrutement",
            "neutral",
        ),
        ("Missions actives", 0, "/missions/?status=active", "", "neutral"),
        (
            ACI,
            "Aucune action",
            "/implication/aci/",
            "Une affiche ou une enquête, avec sa pièce justificative, suffit pour commencer.",
            "attention",
        ),
        (
            "Temps et frais à valider",
            0,
            "/indemnisation/a-valider/",
            "Saisies des patients partenaires en attente de votre validation.",
            "neutral",
        ),
        (
            "Maturité de l'équipe",
            "À évaluer",
            "/reseau/auto-evaluation/nouvelle/",
            "Vingt minutes pour situer l'équipe sur le continuum et trouver le prochain petit pas.",
            "neutral",
        ),
        ("Membres de l'équipe", 5, "/structure/membres/", "", "neutral"),
    ]
    assert _cards(world, "partner") == [
        (
            "Premiers contacts à faire",
            0,
            "/accompagnements/aujourdhui/",
            "0 accompagnement(s) en cours",
            "neutral",
        ),
        ("Missions actives", 0, "/missions/?status=active", "", "neutral"),
        (
            "Mon temps et mes frais",
            None,
            "/indemnisation/",
            "Noter mon temps ou des frais en quelques gestes.",
            "neutral",
        ),
    ]
    assert _cards(world, "patient") == [
        (
            "Mon accompagnement",
            None,
            "/accompagnements/mon-accompagnement/",
            "Voir et retirer mes accords, arrêter, donner mon avis.",
            "neutral",
        ),
    ]
    assert _cards(world, "user_rep") == []
    assert _cards(world, "facilitator") == [
        (
            "Campagnes en cours",
            0,
            "/reseau/campagnes/",
            "Suivi des réponses et rapport agrégé.",
            "neutral",
        )
    ]


# The counters query kept compiled (binome.core.cards): what it must still do ------------------


def test_a_kept_query_gives_every_role_the_cards_of_a_fresh_one(world, kept_only):
    fill_home(world)
    for persona in ("coordinator", "doctor", "partner", "nurse"):
        fresh = _cards(world, persona)
        built = len(kept_only)
        assert _cards(world, persona) == fresh, persona
        assert len(kept_only) == built, f"{persona}: the query was built again"


def test_a_kept_query_counts_for_its_own_structure_and_person_only(world, kept_only):
    fill_home(world)
    for _ in range(2):  # B has two more alerts than A
        AlertFactory(
            accompaniment=AccompanimentFactory(structure=world.memberships_b["doctor"].structure)
        )
    a = _cards(world, "coordinator")
    b = world.client_for("coordinator", structure="b").get(reverse("web:home"))
    cards_b = {str(c.title): c.value for c in b.context["cards"]}
    assert cards_b["Alertes urgentes à prendre en compte"] == 5
    assert _cards(world, "coordinator") == a
    assert {c[0]: c[1] for c in a}["Alertes urgentes à prendre en compte"] == 3
    doctor = {c[0]: c[1] for c in _cards(world, "doctor")}
    assert doctor["Alertes urgentes à prendre en compte"] == 2  # his own patients, not all 3


def test_a_kept_query_follows_the_data_and_the_clock(world, kept_only):
    fill_home(world)
    first = {c[0]: c[3] for c in _cards(world, "partner")}
    assert first["Premiers contacts à faire"] == "dont 1 en retard"
    # The second referral's deadline passes: no write to the counters, only the clock.
    Accompaniment.objects.filter(
        structure=world.memberships["partner"].structure,
        status=Accompaniment.Status.REFERRED,
        first_contact_due_at__gt=timezone.now(),
    ).update(first_contact_due_at=timezone.now() - dt.timedelta(minutes=1))
    built = len(kept_only)
    second = {c[0]: c[3] for c in _cards(world, "partner")}
    assert second["Premiers contacts à faire"] == "dont 2 en retard"
    assert len(kept_only) == built
