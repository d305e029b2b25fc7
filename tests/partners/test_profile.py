"""The partner's profile: what they write, what they share, trainings with proof files."""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from binome.partners.models import PartnerTag, Training
from tests.partners.factories import PartnerFactory, PartnerTagFactory, partner_for

pytestmark = pytest.mark.django_db

PROFILE = {
    "phone": "06 11 22 33 44",
    "lived_experience": "Diabète depuis 2010, insuline depuis 2018.",
    "association": "AFD 31",
    "availability": "Le mardi",
    "available_daytime": "on",
    "remote_ok": "on",
    "hours_per_month": "8",
    "limits_note": "",
    "preferred_status": "volunteer_expenses",
    "compensation_note": "",
    "conditions": "Diabète de type 2, Insulinothérapie",
    "skills": "Écoute, animation",
    "languages": "Français; Arabe",
    "limits": "Fin de vie",
}


def _body(response):
    return html.unescape(response.content.decode())


def test_partner_edits_own_profile_with_tags(world):
    partner = partner_for(world)
    client = world.client_for("partner")
    response = client.post(
        reverse("partners:my_profile"), {**PROFILE, "share_lived_experience": "on"}
    )
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.lived_experience.startswith("Diabète")
    assert partner.share_lived_experience and not partner.share_conditions
    tags = {(t.kind, t.value) for t in partner.tags.all()}
    assert (
        ("language", "arabe") in tags
        and ("limit", "fin-de-vie") in tags
        and ("skill", "animation") in tags
    )
    # Editing again replaces tags of a kind.
    client.post(reverse("partners:my_profile"), {**PROFILE, "skills": "Rédaction"})
    assert list(partner.tags.filter(kind="skill").values_list("value", flat=True)) == ["redaction"]
    assert "Diabète" in _body(client.get(reverse("partners:my_profile")))


def test_malformed_phone_changes_nothing(world):
    partner = partner_for(world, phone="")
    response = world.client_for("partner").post(
        reverse("partners:my_profile"), {**PROFILE, "phone": "0612"}
    )
    assert response.status_code == 422
    assert "Numéro de téléphone invalide" in _body(response)
    partner.refresh_from_db()
    assert partner.lived_experience == "" and not partner.tags.exists()


def test_partner_without_record_gets_an_explanation(world):
    response = world.client_for("partner").get(reverse("partners:my_profile"))
    assert response.status_code == 200
    assert "pas encore ouverte" in _body(response)


def test_team_sees_only_what_the_partner_shares(world):
    partner = partner_for(
        world,
        lived_experience="Mon histoire secrète",
        share_lived_experience=False,
        share_conditions=False,
        association="Asso X",
        share_association=False,
    )
    PartnerTagFactory(partner=partner, kind=PartnerTag.Kind.CONDITION, label="Sclérose en plaques")
    PartnerTagFactory(partner=partner, kind=PartnerTag.Kind.SKILL, label="Animation")
    doctor_view = _body(
        world.client_for("doctor").get(reverse("partners:detail", args=[partner.public_id]))
    )
    assert "Mon histoire secrète" not in doctor_view
    assert "Sclérose en plaques" not in doctor_view
    assert "Asso X" not in doctor_view
    assert "Animation" in doctor_view
    own_view = _body(
        world.client_for("partner").get(reverse("partners:detail", args=[partner.public_id]))
    )
    assert "Mon histoire secrète" in own_view and "Sclérose en plaques" in own_view
    partner.share_lived_experience = partner.share_conditions = True
    partner.save()
    doctor_view = _body(
        world.client_for("doctor").get(reverse("partners:detail", args=[partner.public_id]))
    )
    assert "Mon histoire secrète" in doctor_view and "Sclérose en plaques" in doctor_view


def test_coordinator_edits_team_part_but_partner_cannot(world):
    partner = partner_for(world)
    data = {
        "first_name": partner.first_name,
        "last_name": partner.last_name,
        "email": partner.email,
        "phone": "",
        "commune": "",
        "max_active_accompaniments": "2",
        "training_plan": "ETP au printemps",
        "supervision_arrangement": "",
        "team_notes": "",
    }
    assert (
        world.client_for("partner")
        .post(reverse("partners:edit_team", args=[partner.public_id]), data)
        .status_code
        == 403
    )
    partner.refresh_from_db()
    assert partner.max_active_accompaniments == 3
    response = world.client_for("coordinator").post(
        reverse("partners:edit_team", args=[partner.public_id]), data
    )
    assert response.status_code == 302
    partner.refresh_from_db()
    assert (partner.max_active_accompaniments, partner.training_plan) == (2, "ETP au printemps")
    bad = world.client_for("coordinator").post(
        reverse("partners:edit_team", args=[partner.public_id]),
        {**data, "email": "x@", "max_active_accompaniments": "1"},
    )
    assert bad.status_code == 422
    assert "Saisissez une adresse e-mail valide" in _body(bad)
    partner.refresh_from_db()
    assert partner.max_active_accompaniments == 2


def test_coordinator_creates_a_partner(world):
    client = world.client_for("coordinator")
    response = client.post(
        reverse("partners:create"),
        {
            "first_name": "Odile",
            "last_name": "F",
            "email": "odile@exemple.fr",
            "max_active_accompaniments": "3",
        },
    )
    assert response.status_code == 302
    assert world.a.partners.get().first_name == "Odile"


def _pdf(name="attestation.pdf", size=None):
    content = b"%PDF-1.4\n" + (b"0" * (size or 100))
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_training_with_proof_file(world):
    partner = partner_for(world)
    client = world.client_for("partner")
    response = client.post(
        reverse("partners:add_training", args=[partner.public_id]),
        {
            "kind": "etp_40h",
            "title": "ETP 40 h",
            "organisation": "IREPS",
            "completed_on": "2024-05-01",
            "hours": "40",
            "proof": _pdf(),
        },
    )
    assert response.status_code == 302
    training = Training.objects.get(partner=partner)
    assert training.proof_name == "attestation.pdf"
    download = world.client_for("coordinator").get(
        reverse("partners:training_proof", args=[partner.public_id, training.public_id])
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: _pdf(size=6 * 1024 * 1024), "Le fichier est trop volumineux"),
        (
            lambda: SimpleUploadedFile(
                "virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
            ),
            "Type de fichier refusé",
        ),
        (
            lambda: SimpleUploadedFile("notes.txt", b"hello", content_type="text/plain"),
            "Type de fichier refusé",
        ),
    ],
)
def test_bad_proof_files_are_refused(world, upload, message):
    partner = partner_for(world)
    response = world.client_for("partner").post(
        reverse("partners:add_training", args=[partner.public_id]),
        {"kind": "etp_40h", "title": "ETP 40 h", "hours": "40", "proof": upload()},
    )
    assert response.status_code == 422
    assert message in _body(response)
    assert not Training.objects.exists()


def test_pool_filters_and_shows_load(world):
    # Names no generated person carries (the signed-in coordinator's name is on the page too).
    PartnerFactory(structure=world.a, first_name="Alixe-Active", status="active")
    PartnerFactory(structure=world.a, first_name="Brunehaut-Candidate", status="candidate")
    body = _body(world.client_for("coordinator").get(reverse("partners:pool")))
    assert "Alixe-Active" in body and "Brunehaut-Candidate" not in body
    assert "0 / " in body  # the load against the ceiling
    body = _body(
        world.client_for("coordinator").get(reverse("partners:pool") + "?status=candidate")
    )
    assert "Brunehaut-Candidate" in body and "Alixe-Active" not in body


def _png():
    return SimpleUploadedFile("moi.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64, content_type="image/png")


def test_photo_is_optional_and_shown_only_when_shared(world):
    partner = partner_for(world)
    client = world.client_for("partner")
    assert (
        client.post(reverse("partners:my_profile"), {**PROFILE, "photo": _png()}).status_code == 302
    )
    partner.refresh_from_db()
    assert partner.photo
    assert client.get(reverse("partners:photo", args=[partner.public_id])).status_code == 200
    doctor = world.client_for("doctor")
    assert doctor.get(reverse("partners:photo", args=[partner.public_id])).status_code == 404
    client.post(reverse("partners:my_profile"), {**PROFILE, "share_photo": "on"})
    assert doctor.get(reverse("partners:photo", args=[partner.public_id])).status_code == 200
    response = client.post(reverse("partners:my_profile"), {**PROFILE, "photo": _pdf()})
    assert response.status_code == 422
    assert "Photo refusée" in _body(response)


def test_partner_previews_the_team_view(world):
    partner = partner_for(world, lived_experience="Mon histoire", share_lived_experience=False)
    client = world.client_for("partner")
    assert "Mon histoire" in _body(client.get(reverse("partners:detail", args=[partner.public_id])))
    preview = _body(
        client.get(reverse("partners:detail", args=[partner.public_id]) + "?vue=equipe")
    )
    assert "Aperçu : voici ce que l'équipe voit" in preview
    assert "Mon histoire" not in preview


def test_record_created_for_an_existing_partner_account_is_linked(world):
    email = world.users["partner"].email
    response = world.client_for("coordinator").post(
        reverse("partners:create"),
        {"first_name": "Pat", "email": email, "max_active_accompaniments": "3"},
    )
    assert response.status_code == 302
    assert world.a.partners.get().membership == world.memberships["partner"]
    assert world.client_for("partner").get(reverse("partners:my_profile")).status_code == 200
