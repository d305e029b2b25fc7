"""Page and API tell the same thing, field by field, for every role and consent state.

One accompaniment carries a distinctive marker in every personal field. For each role and
each consent state (everything given, then each consent withdrawn in turn), every path that
shows it — the detail page, the API detail and contacts, the list page and the API list, the
tandem page and the API's tandem reports, the consent PDF and the calendar feed — is read,
and each marker must be present exactly where the rule below says, and nowhere else.

The rule is written here again on purpose, as a table independent of
binome.accompaniment.access: the test checks the code against the promise, not the code
against itself. The sweep (every path × role × state, with its answer) is recorded in
docs/security-model.md between the SWEEP markers; ``BINOME_WRITE_SWEEP=1`` rewrites it and
the test fails when the committed table differs from what the code answers.
"""

import datetime
import io
import json
import os
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from binome.accompaniment import services
from binome.accompaniment.models import (
    Accompaniment,
    Consent,
    ConsentPurpose,
)
from binome.accounts.models import ApiToken, hash_token
from binome.people.models import Membership
from binome.tandems.models import Tandem, TandemReport
from tests.accompaniment.factories import (
    AccompanimentFactory,
    AlertFactory,
    ContactFactory,
    KeyMomentFactory,
    PatientFactory,
    TandemFactory,
    TandemReportFactory,
    partner_for,
)
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

ALL = [p.value for p in ConsentPurpose]
STATES = ["tous donnés", *[f"retiré : {p}" for p in ALL]]

MARKERS = {
    "surname": "Zorglubian",
    "phone": "0699887766",
    "email": "philomene.z@exemple.fr",
    "private_note": "NOTE-PRIVEE-7Q",
    "summary": "RESUME-PARTAGE-7Q",
    "key_moment": "MOMENT-CLE-7Q",
    "alert_text": "ALERTE-TEXTE-7Q",
    "alert_response": "REPONSE-ALERTE-7Q",
    "referral_message": "MESSAGE-ORIENTATION-7Q",
    "tandem_report": "COMPTE-RENDU-7Q",
}

ROLES = [
    "coordinator",
    "doctor",
    "nurse",
    "partner",
    "patient",
    "other_partner",
    "user_rep",
    "coordinator_b",
]


def expected(role, state) -> set[str]:
    """What each role may read of the accompaniment (DESIGN, "Data protection is a feature")."""
    withdrawn = state.removeprefix("retiré : ") if state.startswith("retiré") else None
    shares_contact = withdrawn != ConsentPurpose.SHARE_CONTACT_DETAILS
    shares_summaries = withdrawn != ConsentPurpose.SHARE_SUMMARIES
    if role in ("doctor", "nurse"):  # the referrer, and a professional designated for alerts
        seen = {"surname", "phone", "email", "key_moment", "alert_response"}
        if shares_summaries:
            seen |= {"summary", "alert_text"}
        if role == "doctor":
            seen.add("referral_message")
            if shares_summaries:
                seen.add("tandem_report")
        return seen
    if role == "partner":
        seen = {
            "private_note",
            "summary",
            "key_moment",
            "alert_text",
            "alert_response",
            "referral_message",
            "tandem_report",
        }
        if shares_contact:
            seen |= {"surname", "phone", "email"}
        return seen
    if role == "patient":
        return {"surname", "phone", "email", "key_moment"}
    return set()  # coordinator: metadata only; the others cannot open it


class Scene:
    def __init__(self, world, state):
        self.world = world
        doctor, nurse = world.memberships["doctor"], world.memberships["nurse"]
        self.partner = partner_for(world.memberships["partner"])
        other = Membership.objects.filter(
            user__email="autre-partenaire@a.test"
        ).first() or MembershipFactory(
            structure=world.a, role="partner", user__email="autre-partenaire@a.test"
        )
        partner_for(other)
        self.users = {
            **world.users,
            "other_partner": other.user,
            "coordinator_b": world.users_b["coordinator"],
        }
        patient = PatientFactory(
            structure=world.a,
            first_name="Philomène",
            last_name=MARKERS["surname"],
            phone=MARKERS["phone"],
            email=MARKERS["email"],
            user=world.users["patient"],
        )
        self.acc = AccompanimentFactory(
            structure=world.a,
            patient=patient,
            partner=self.partner,
            referred_by=doctor,
            notes_for_partner=MARKERS["referral_message"],
            status="active",
            first_contact_at=timezone.now(),
            consents=ALL,
        )
        self.acc.designated_professionals.add(nurse)
        ContactFactory(
            accompaniment=self.acc,
            private_notes=MARKERS["private_note"],
            summary_to_share=MARKERS["summary"],
        )
        KeyMomentFactory(
            accompaniment=self.acc,
            kind="other",
            label=MARKERS["key_moment"],
            time=datetime.time(14, 30),
        )
        AlertFactory(
            accompaniment=self.acc,
            message=MARKERS["alert_text"],
            response=MARKERS["alert_response"],
            acknowledged_at=timezone.now(),
            acknowledged_by=nurse.user,
        )
        self.tandem = Tandem.objects.filter(
            doctor=doctor, partner=self.partner
        ).first() or TandemFactory(structure=world.a, doctor=doctor, partner=self.partner)
        TandemReportFactory(
            tandem=self.tandem, accompaniment=self.acc, patient_expressed=MARKERS["tandem_report"]
        )
        self.feed, self.calendar_token = services.open_calendar(
            self.partner, user=self.partner.membership.user
        )
        if state != STATES[0]:
            consent = Consent.objects.get(patient=patient, purpose=state.removeprefix("retiré : "))
            services.withdraw_consent(consent, user=world.users["doctor"])
        self.acc.refresh_from_db()

    def page(self, role, url):
        from tests.conftest import force_verified_login

        client = Client()
        force_verified_login(client, self.users[role])
        return client.get(url)

    def api(self, role, url):
        raw = f"parite-{self.users[role].pk}"
        if not ApiToken.objects.filter(key_hash=hash_token(raw)).exists():
            ApiToken.issue(self.users[role], "parité", raw=raw)
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get(url)


def _text(response) -> str:
    if response.status_code != 200:
        return ""
    if response["Content-Type"].startswith("application/pdf"):
        from pypdf import PdfReader

        return " ".join(
            page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages
        )
    return response.content.decode()


def _seen(text) -> set[str]:
    return {name for name, marker in MARKERS.items() if marker in text}


def _paths(scene):
    acc, tandem = scene.acc.public_id, scene.tandem.public_id
    api = "/api/v1/accompaniment"
    return {
        "page": [
            ("fiche", reverse("accompaniment:detail", args=[acc])),
            ("tandem", reverse("tandems:detail", args=[tandem])),
        ],
        "api": [
            ("fiche", f"{api}/{acc}"),
            ("échanges", f"{api}/{acc}/contacts"),
            ("tandem", f"{api}/tandems/{tandem}/reports"),
        ],
    }


@pytest.mark.parametrize("state", STATES)
def test_page_and_api_show_the_same_fields_as_the_rule(world, state):
    scene = Scene(world, state)
    paths = _paths(scene)
    for role in ROLES:
        page_seen = set().union(*(_seen(_text(scene.page(role, url))) for _n, url in paths["page"]))
        api_seen = set().union(*(_seen(_text(scene.api(role, url))) for _n, url in paths["api"]))
        assert page_seen == api_seen == expected(role, state), (role, state, page_seen, api_seen)


@pytest.mark.parametrize("state", STATES)
def test_lists_show_first_name_and_initial_on_page_and_api_alike(world, state):
    scene = Scene(world, state)
    for role in ("coordinator", "doctor", "nurse", "partner"):
        page = _text(scene.page(role, reverse("accompaniment:list")))
        items = json.loads(_text(scene.api(role, "/api/v1/accompaniment/")))["items"]
        assert "Philomène Z." in page and MARKERS["surname"] not in page, role
        assert [(i["patient"]["first_name"], i["patient"]["last_name"]) for i in items] == [
            ("Philomène", "Z")
        ], role
        assert not _seen(page) and not _seen(json.dumps(items)), role


def test_side_doors_carry_no_name_and_no_clinical_wording(
    world, django_capture_on_commit_callbacks
):
    """Calendar feed, e-mails and file names: a neutral title and a link that needs sign-in."""
    from django.core import mail

    scene = Scene(world, STATES[0])
    ics = Client().get(reverse("accompaniment_public:calendar", args=[scene.calendar_token]))
    assert (
        ics.status_code == 200
        and b"BEGIN:VTIMEZONE" in ics.content
        and b"TZID:Europe/Paris" in ics.content
    )
    body = ics.content.decode()
    assert "Philomène" not in body and not _seen(body) and "Rendez-vous d'accompagnement" in body
    with django_capture_on_commit_callbacks(execute=True):
        services.raise_alert(
            scene.acc, user=scene.users["partner"], message="Idées noires, chimiothérapie mal vécue"
        )
        services.add_key_moment(
            scene.acc,
            user=scene.users["partner"],
            data={"kind": "first_chemo", "date": timezone.localdate() + timezone.timedelta(days=2)},
        )
        services.end_accompaniment(
            scene.acc, user=scene.users["doctor"], role="team", reason="goal_reached"
        )
    from binome.accompaniment.tasks import process_deadlines

    with django_capture_on_commit_callbacks(execute=True):
        process_deadlines(now=timezone.now() + timezone.timedelta(days=30))
    assert mail.outbox
    clinical = (
        "chimio",
        "annonce",
        "cancer",
        "idées noires",
        "insuline",
        "Philomène",
        MARKERS["surname"],
    )
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}".lower()
        assert not [w for w in clinical if w.lower() in text], (message.subject, message.body)
    pdf = scene.page("doctor", reverse("accompaniment:consent_pdf", args=[scene.acc.public_id]))
    assert "Philomène" not in pdf["Content-Disposition"]


# The sweep, as an attacker would run it --------------------------------------------------------

SWEEP_BEGIN, SWEEP_END = "<!-- SWEEP:BEGIN -->", "<!-- SWEEP:END -->"
DOC = Path(__file__).resolve().parents[2] / "docs" / "security-model.md"
ROLE_LABELS = {
    "coordinator": "coordination",
    "doctor": "médecin orienteur",
    "nurse": "infirmière désignée",
    "partner": "partenaire de l'accompagnement",
    "patient": "patient",
    "other_partner": "autre partenaire",
    "user_rep": "représentant des usagers",
    "coordinator_b": "coordination d'une autre structure",
}


def _sweep_rows(world):
    rows = []
    for state in STATES:
        with_state = Scene(world, state)
        paths = _paths(with_state)
        for role in ROLES:
            for side, entries in paths.items():
                for name, url in entries:
                    response = (
                        with_state.page(role, url) if side == "page" else with_state.api(role, url)
                    )
                    seen = sorted(_seen(_text(response)))
                    rows.append(
                        f"| {state} | {ROLE_LABELS[role]} | {side} : {name} | {response.status_code} | "
                        f"{', '.join(seen) or '—'} |"
                    )
        TandemReport.objects.all().delete()
        Accompaniment.objects.all().delete()
    return rows + _profile_and_entry_rows(world)


def _profile_and_entry_rows(world):
    """The partner's profile (as they share their lived experience or not), time and expenses."""
    from binome.partners.models import PartnerTag
    from tests.compensation.factories import ExpenseFactory, MissionFactory, TimeEntryFactory
    from tests.test_parity_objects import ENTRIES, PROFILE

    users = {
        **world.users,
        "other_partner": Membership.objects.get(user__email="autre-partenaire@a.test").user,
        "coordinator_b": world.users_b["coordinator"],
    }
    partner = partner_for(world.memberships["partner"])
    partner.lived_experience, partner.email, partner.phone = (
        PROFILE["lived"],
        PROFILE["email"],
        PROFILE["phone"],
    )
    partner.motivation, partner.share_conditions = PROFILE["motivation"], True
    PartnerTag.objects.create(
        partner=partner,
        kind=PartnerTag.Kind.CONDITION,
        value="pathologie-7q",
        label=PROFILE["condition"],
    )
    TimeEntryFactory(
        partner=partner,
        mission=MissionFactory(structure=world.a, title=ENTRIES["time"]),
        status="returned",
        review_comment=ENTRIES["returned"],
    )
    ExpenseFactory(
        partner=partner, mission=MissionFactory(structure=world.a, title=ENTRIES["expense"])
    )
    scene = type("S", (), {"users": users, "page": Scene.page, "api": Scene.api})()
    rows = []
    for shares in (False, True):
        partner.share_lived_experience = shares
        partner.save()
        state = "fiche : expérience vécue " + ("partagée" if shares else "non partagée")
        paths = [
            ("page", "fiche du partenaire", reverse("partners:detail", args=[partner.public_id])),
            ("api", "fiche du partenaire", f"/api/v1/partners/{partner.public_id}"),
        ]
        if shares:
            paths += [
                ("page", "temps et frais", reverse("compensation:entries")),
                ("api", "temps", "/api/v1/compensation/time/"),
                ("api", "frais", "/api/v1/compensation/expenses/"),
            ]
        for role in ROLES:
            for side, name, url in paths:
                response = scene.page(role, url) if side == "page" else scene.api(role, url)
                text = _text(response)
                seen = sorted(n for n, m in {**PROFILE, **ENTRIES}.items() if m in text)
                rows.append(
                    f"| {state} | {ROLE_LABELS[role]} | {side} : {name} | {response.status_code} | {', '.join(seen) or '—'} |"
                )
    return rows


def test_the_sweep_recorded_in_the_security_model_is_what_the_code_answers(world):
    header = (
        "| consentements | rôle | chemin | statut | champs lus |\n| --- | --- | --- | --- | --- |\n"
    )
    table = header + "\n".join(_sweep_rows(world)) + "\n"
    doc = DOC.read_text()
    before, rest = doc.split(SWEEP_BEGIN)
    _old, after = rest.split(SWEEP_END)
    if os.environ.get("BINOME_WRITE_SWEEP"):
        DOC.write_text(f"{before}{SWEEP_BEGIN}\n{table}{SWEEP_END}{after}")
    assert _old.strip() == table.strip(), (
        "docs/security-model.md: run this test with BINOME_WRITE_SWEEP=1"
    )
