"""The scale data generator: exact counts at a tiny scale, determinism, isolation, safety."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse

from bench.generator import SLUG_PREFIX, generate
from bench.seed_scale import Command as SeedScale
from binome.accompaniment import consent_text
from binome.accompaniment.models import Accompaniment, Consent, Contact, Patient
from binome.compensation.models import TimeEntry
from binome.missions.models import Mission, MissionAssignment
from binome.partners.models import Partner
from binome.people.models import Membership, Role, Structure, User
from binome.voice.models import Answer, Idea, Response
from tests.conftest import force_verified_login

pytestmark = pytest.mark.django_db

ANCHOR = date(2026, 3, 2)
TINY = dict(
    professionals=3,
    partners=4,
    accompaniments=12,
    contacts_per_accompaniment=2,
    key_moments_per_accompaniment=1,
    missions=2,
    actions=3,
    surveys=1,
    responses=5,
    ideas=2,
    time_entries_per_partner=2,
    user_reps=1,
    patient_accounts=1,
)


def _tiny(structures=2, seed=7):
    return generate("national", structures=structures, seed=seed, anchor=ANCHOR, **TINY)


def _snapshot():
    """What a person would see of the generated data (not the row ids or insertion times)."""
    return {
        "structures": list(
            Structure.objects.filter(slug__startswith=SLUG_PREFIX)
            .order_by("slug")
            .values_list("slug", "name", "commune", "kind", "public_id")
        ),
        "users": sorted(
            User.objects.filter(email__contains="charge.binome.test").values_list(
                "email", "first_name", "public_id"
            )
        ),
        "partners": sorted(
            Partner.objects.values_list("public_id", "first_name", "last_name", "status")
        ),
        "accompaniments": sorted(
            Accompaniment.objects.values_list(
                "public_id",
                "patient__first_name",
                "partner__public_id",
                "status",
                "referred_at",
                "first_contact_at",
            )
        ),
        "contacts": sorted(
            Contact.objects.values_list(
                "public_id", "occurred_at", "duration_minutes", "private_notes"
            )
        ),
        "answers": sorted(
            Answer.objects.values_list("response__public_id", "question__label", "value", "text")
        ),
    }


def test_counts_at_a_tiny_scale_match_the_preset_and_the_report():
    report = _tiny(structures=2)
    structures = list(Structure.objects.filter(slug__startswith=SLUG_PREFIX))
    assert len(structures) == 2 and sorted(report.structures) == sorted(s.slug for s in structures)
    for s in structures:
        assert Partner.objects.filter(structure=s).count() == 4
        assert Accompaniment.objects.filter(structure=s).count() == 12
        assert Patient.objects.filter(structure=s).count() == 12
        assert Membership.objects.filter(structure=s, role=Role.COORDINATOR).count() == 1
        assert Membership.objects.filter(structure=s, role=Role.PROFESSIONAL).count() == 3
        assert Membership.objects.filter(structure=s, role=Role.PATIENT).count() == 1
        assert Response.objects.filter(structure=s).count() == 5
        assert Idea.objects.filter(structure=s).count() == 2
    # The report says exactly what is in the database.
    for label, model in [
        ("accompaniment.Contact", Contact),
        ("accompaniment.Consent", Consent),
        ("voice.Answer", Answer),
        ("compensation.TimeEntry", TimeEntry),
        ("people.User", User),
    ]:
        assert report.counts[label] == model.objects.count(), label
    # Two contacts per accompaniment that had a first contact (referred ones have none yet).
    contacted = Accompaniment.objects.exclude(first_contact_at=None).count()
    assert Contact.objects.count() == 2 * contacted > 0


def test_same_seed_same_data_other_seed_other_data():
    snapshots = []
    for seed in (11, 11, 12):
        with transaction.atomic():
            _tiny(structures=2, seed=seed)
            snapshots.append(_snapshot())
            transaction.set_rollback(True)
    assert snapshots[0] == snapshots[1]
    assert snapshots[0]["accompaniments"] and snapshots[0]["contacts"]
    assert snapshots[0]["structures"] != snapshots[2]["structures"]


def test_generated_data_is_consistent():
    _tiny(structures=3)
    required = set(consent_text.REQUIRED)
    for acc in Accompaniment.objects.select_related("partner", "referred_by", "patient"):
        # No accompaniment without its consents, nothing crosses structures.
        purposes = set(
            Consent.objects.filter(patient=acc.patient, withdrawn_at=None).values_list(
                "purpose", flat=True
            )
        )
        assert required <= purposes
        assert (
            acc.partner.structure_id
            == acc.structure_id
            == acc.patient.structure_id
            == acc.referred_by.structure_id
        )
        assert acc.referred_by.role == Role.PROFESSIONAL
        if acc.status == Accompaniment.Status.ENDED:
            assert acc.ended_at and acc.first_contact_at and acc.ended_at >= acc.first_contact_at
    # A partner keeps room for a new referral (at most ceiling - 1 open accompaniments).
    for partner in Partner.objects.filter(status=Partner.Status.ACTIVE):
        open_ = Accompaniment.objects.filter(partner=partner).exclude(status="ended").count()
        assert open_ < partner.max_active_accompaniments
    for entry in TimeEntry.objects.select_related("partner", "mission"):
        assert entry.partner.structure_id == entry.mission.structure_id == entry.structure_id
        assert MissionAssignment.objects.filter(
            mission=entry.mission, partner=entry.partner
        ).exists()
    # Missions keep their number of places, as the assignment service enforces.
    for mission in Mission.objects.annotate(
        n=Count("assignments", filter=Q(assignments__ended_at=None))
    ):
        assert mission.n <= mission.places


def test_data_of_one_structure_never_appears_for_a_user_of_another():
    _tiny(structures=2)
    x, y = Structure.objects.filter(slug__startswith=SLUG_PREFIX).order_by("slug")
    coordinator_x = Membership.objects.get(structure=x, role=Role.COORDINATOR).user
    partner_x = (
        Partner.objects.filter(structure=x, status="active")
        .exclude(membership=None)
        .first()
        .membership.user
    )
    foreign_accs = list(Accompaniment.objects.filter(structure=y).select_related("patient"))
    foreign_partners = list(Partner.objects.filter(structure=y))
    from django.test import Client

    for user, pages in [
        (
            coordinator_x,
            [
                "accompaniment:list",
                "accompaniment:dashboard",
                "partners:pool",
                "voice:idea_list",
                "compensation:entries",
                "involvement:register",
                "missions:list",
            ],
        ),
        (partner_x, ["accompaniment:list", "accompaniment:today", "compensation:entries"]),
    ]:
        client = force_verified_login(Client(), user)
        for name in pages:
            response = client.get(reverse(name))
            assert response.status_code == 200, name
            body = response.content.decode()
            for acc in foreign_accs:
                assert str(acc.public_id) not in body, name
            for partner in foreign_partners:
                assert str(partner.public_id) not in body, name
        for acc in foreign_accs[:3]:
            assert (
                client.get(reverse("accompaniment:detail", args=[acc.public_id])).status_code == 404
            )


def test_command_refuses_production_settings_and_a_second_run(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command(SeedScale(), "--preset", "national", "--structures", "1")
    settings.PRODUCTION = False
    _tiny(structures=1)
    with pytest.raises(CommandError, match="existent déjà"):
        call_command(SeedScale(), "--preset", "national", "--structures", "1")


def test_if_absent_skips_complete_data_and_refuses_an_interrupted_generation(capsys):
    _tiny(structures=2)
    call_command(SeedScale(), "--preset", "national", "--structures", "2", "--if-absent")
    assert "rien à faire" in capsys.readouterr().out
    # Two structures of the 2,000 of the national preset: a run stopped half-way.
    with pytest.raises(CommandError, match="incomplètes \\(2 structures sur 2000\\)"):
        call_command(SeedScale(), "--preset", "national", "--if-absent")


def test_a_large_pool_is_split_into_peer_missions_of_at_most_50_places():
    generate(
        "national",
        structures=1,
        seed=5,
        anchor=ANCHOR,
        **{**TINY, "partners": 120, "accompaniments": 5},
    )
    peer = Mission.objects.filter(kind="peer_accompaniment")
    assert peer.count() >= 2
    assert all(m.assignments.count() <= m.places <= 50 for m in peer)
    with_account = Partner.objects.exclude(membership=None).count()
    assert MissionAssignment.objects.filter(mission__in=peer).count() == with_account
