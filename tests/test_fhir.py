"""FHIR R4 export: every resource validated by fhir.resources (R4B models, identical to R4 for
these five resources), same scoping and consent rules as the pages, every read audited."""

import pytest
from django.test import Client
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.careteam import CareTeam
from fhir.resources.R4B.consent import Consent as FhirConsent
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.organization import Organization
from fhir.resources.R4B.practitioner import Practitioner
from fhir.resources.R4B.practitionerrole import PractitionerRole

from binome.accompaniment import services
from binome.accompaniment.models import Consent, ConsentPurpose
from binome.accounts.models import ApiToken
from binome.audit.models import AuditEvent
from binome.people import identifiers
from tests.accompaniment.factories import AccompanimentFactory, partner_for

pytestmark = pytest.mark.django_db

SHARED = [
    ConsentPurpose.CONTACT_BY_PARTNER,
    ConsentPurpose.SHARE_CONTACT_DETAILS,
    ConsentPurpose.SHARE_SUMMARIES,
]


def _client(world, persona):
    raw = f"fhir-{persona}"
    ApiToken.issue(world.users[persona], "fhir", raw=raw)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _get(client, path, **params):
    response = client.get(f"/api/v1/fhir/{path}", params)
    assert response["Content-Type"].startswith("application/fhir+json"), response.content
    return response


@pytest.fixture
def acc(world):
    world.a.finess = identifiers.with_key("31001234")
    world.a.siret = "73282932000074"
    world.a.save()
    doctor = world.users["doctor"]
    doctor.rpps = identifiers.with_key("1000345678")
    doctor.save()
    acc = AccompanimentFactory(
        structure=world.a,
        partner=partner_for(world.memberships["partner"]),
        referred_by=world.memberships["doctor"],
        consents=SHARED,
    )
    acc.designated_professionals.add(world.memberships["nurse"])
    return acc


def test_metadata_is_a_valid_capability_statement(client):
    response = _get(client, "metadata")
    statement = CapabilityStatement.model_validate(response.json())
    assert statement.fhirVersion == "4.0.1"
    assert {r.type for r in statement.rest[0].resource} == {
        "Organization",
        "Practitioner",
        "PractitionerRole",
        "CareTeam",
        "Consent",
    }


def test_organization_practitioner_and_role_carry_french_identifiers(world, acc):
    client = _client(world, "coordinator")
    org = Organization.model_validate(_get(client, f"Organization/{world.a.slug}").json())
    systems = {i.system: i.value for i in org.identifier}
    assert systems == {
        "http://finess.sante.gouv.fr": world.a.finess,
        "urn:oid:1.2.250.1.71.4.2.2": f"1{world.a.finess}",
        "https://sirene.fr": "73282932000074",
    }
    doctor = world.users["doctor"]
    practitioner = Practitioner.model_validate(
        _get(client, f"Practitioner/{doctor.public_id}").json()
    )
    assert {i.system: i.value for i in practitioner.identifier} == {
        "urn:oid:1.2.250.1.71.4.2.1": f"8{doctor.rpps}",
        "http://rpps.fr": doctor.rpps,
    }
    assert not practitioner.telecom  # contact details stay on the platform
    role = PractitionerRole.model_validate(
        _get(client, f"PractitionerRole/{world.memberships['doctor'].public_id}").json()
    )
    assert (
        role.organization.reference == f"Organization/{world.a.slug}"
        and role.code[0].coding[0].code == "10"
    )
    bundle = Bundle.model_validate(_get(client, "PractitionerRole").json())
    assert {e.resource.id for e in bundle.entry} >= {str(world.memberships["doctor"].public_id)}
    assert Bundle.model_validate(_get(client, "Organization").json()).total == 1
    # Another structure's organization and professionals do not exist for this caller.
    assert _get(client, f"Organization/{world.b.slug}").status_code == 404
    other = world.memberships_b["doctor"]
    assert _get(client, f"PractitionerRole/{other.public_id}").status_code == 404
    assert _get(client, f"Practitioner/{other.user.public_id}").status_code == 404


def test_care_team_names_the_partner_as_patient_partner_and_is_audited(world, acc):
    client = _client(world, "doctor")
    response = _get(client, f"CareTeam/{acc.public_id}")
    team = CareTeam.model_validate(response.json())
    assert (
        team.status == "proposed"
        and team.subject.display == acc.patient.first_name + " " + acc.patient.last_name
    )
    roles = {p.role[0].coding[0].code: p.member for p in team.participant}
    assert roles["patient-partenaire"].display == acc.partner.full_name
    assert (
        roles["professionnel-orienteur"].reference
        == f"PractitionerRole/{world.memberships['doctor'].public_id}"
    )
    assert (
        roles["professionnel-designe"].reference
        == f"PractitionerRole/{world.memberships['nurse'].public_id}"
    )
    assert team.managingOrganization[0].reference == f"Organization/{world.a.slug}"
    assert (
        AuditEvent.objects.filter(kind="accompaniment.viewed", data__fhir="CareTeam").count() == 1
    )
    # The coordinator reads the initial only, as on the pages.
    coordinator = CareTeam.model_validate(
        _get(_client(world, "coordinator"), f"CareTeam/{acc.public_id}").json()
    )
    assert coordinator.subject.display == acc.patient.display_name
    listed = Bundle.model_validate(_get(client, "CareTeam").json())
    assert [e.resource.id for e in listed.entry] == [str(acc.public_id)]


def test_consents_of_an_accompaniment(world, acc):
    client = _client(world, "doctor")
    bundle = Bundle.model_validate(_get(client, "Consent", careteam=str(acc.public_id)).json())
    consents = [FhirConsent.model_validate(e.resource.model_dump()) for e in bundle.entry]
    assert {c.provision.purpose[0].code for c in consents} == {str(p) for p in SHARED}
    assert all(
        c.status == "active" and c.patient.identifier.value == f"urn:uuid:{acc.patient.public_id}"
        for c in consents
    )
    one = Consent.objects.filter(patient=acc.patient).first()
    assert FhirConsent.model_validate(_get(client, f"Consent/{one.public_id}").json()).id == str(
        one.public_id
    )


def test_withdrawn_sharing_consent_refuses_the_care_team_and_is_audited(world, acc):
    consent = Consent.objects.get(patient=acc.patient, purpose=ConsentPurpose.SHARE_SUMMARIES)
    services.withdraw_consent(consent, user=world.users["doctor"])
    client = _client(world, "doctor")
    refused = _get(client, f"CareTeam/{acc.public_id}")
    assert refused.status_code == 403
    outcome = OperationOutcome.model_validate(refused.json())
    assert "accord" in outcome.issue[0].diagnostics
    assert (
        AuditEvent.objects.filter(
            kind="accompaniment.refused", data__reason="fhir_sharing_consent"
        ).count()
        == 1
    )
    assert Bundle.model_validate(_get(client, "CareTeam").json()).total == 0
    # The consents themselves stay readable, the withdrawn one inactive with its end date.
    bundle = Bundle.model_validate(_get(client, "Consent", careteam=str(acc.public_id)).json())
    withdrawn = [e.resource for e in bundle.entry if e.resource.id == str(consent.public_id)][0]
    assert withdrawn.status == "inactive" and withdrawn.provision.period.end is not None


def test_another_structures_accompaniment_is_404_and_audited(world, acc):
    other = AccompanimentFactory(
        structure=world.b, referred_by=world.memberships_b["doctor"], consents=SHARED
    )
    for persona in ("coordinator", "doctor", "partner"):
        client = _client(world, persona)
        response = _get(client, f"CareTeam/{other.public_id}")
        assert (
            response.status_code == 404
            and OperationOutcome.model_validate(response.json()).issue[0].code == "not-found"
        )
        assert _get(client, "Consent", careteam=str(other.public_id)).status_code == 404
    assert AuditEvent.objects.filter(kind="api.fhir_not_found").count() == 6
    # A member of the same structure the accompaniment is not referred to: 404 too.
    assert _get(_client(world, "user_rep"), f"CareTeam/{acc.public_id}").status_code == 404
    # Without a token: 401.
    assert Client().get(f"/api/v1/fhir/CareTeam/{acc.public_id}").status_code == 401


def test_the_readme_curl_examples_answer_valid_fhir_on_the_demo(settings):
    """The README's commands, replayed on the demo data with the demo doctor's token."""
    import re
    from pathlib import Path

    from binome.people.demo_set import load_demo

    settings.DEMO_MODE = True
    load_demo()
    block = (
        Path(__file__)
        .resolve()
        .parents[1]
        .joinpath("README.md")
        .read_text()
        .split("<!-- FHIR:BEGIN -->")[1]
    )
    block = block.split("<!-- FHIR:END -->")[0]
    token = re.search(r"TOKEN=(\S+)", block).group(1)
    urls = [
        u.removeprefix("http://127.0.0.1:8000")
        for u in re.findall(r'curl -s [^\n]*?"?(http://127\.0\.0\.1:8000\S+?)"?(?:\s|$)', block)
    ]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    listing = client.get(urls[0])
    bundle = Bundle.model_validate(listing.json())
    assert bundle.total >= 1, "the demo doctor must see at least one care team"
    care_team_id = bundle.entry[0].resource.id
    models = {"CareTeam": CareTeam, "Consent": Bundle}
    replayed = 0
    for url in urls[2:]:
        response = client.get(url.replace("$ID", care_team_id))
        assert response.status_code == 200, (url, response.content[:300])
        kind = url.split("/fhir/")[1].split("/")[0].split("?")[0]
        resource = models[kind].model_validate(response.json())
        if kind == "Consent":
            assert resource.total >= 1 and all(
                FhirConsent.model_validate(e.resource.model_dump()) for e in resource.entry
            )
        replayed += 1
    assert replayed == 2
