"""The seed 002 process through the pages, with consent enforced and every read audited."""

import pytest
from django.core import mail
from django.urls import reverse

from binome.accompaniment import consent_text
from binome.accompaniment.models import (
    Accompaniment,
    Alert,
    Consent,
    ConsentPurpose,
    Contact,
    Notification,
    Patient,
    PatientFeedback,
)
from binome.audit.models import AuditEvent
from binome.partners.models import PartnerTag
from binome.tandems.models import TandemReport
from tests.accompaniment.factories import (
    AccompanimentFactory,
    ContactFactory,
    PartnerFactory,
    TandemFactory,
    partner_for,
)

pytestmark = pytest.mark.django_db


def _referral_data(partner, **extra):
    data = {
        "first_name": "Anne",
        "last_name": "Martin",
        "phone": "06 11 22 33 44",
        "email": "anne@exemple.fr",
        "pathway": "cancer",
        "consent_method": "signed_form",
        "consent_contact_by_partner": "on",
        "consent_share_contact_details": "on",
        "partner": str(partner.public_id),
        "submission_token": "jeton-1",
    }
    data.update(extra)
    return data


def _acc(world, consents=None, **kw):
    kw.setdefault("partner", partner_for(world.memberships["partner"]))
    kw.setdefault("referred_by", world.memberships["doctor"])
    kw.setdefault("patient__user", world.users["patient"])
    if consents is not None:
        kw["consents"] = consents
    return AccompanimentFactory(structure=world.a, **kw)


def test_referral_goes_directly_to_the_partner(world, django_capture_on_commit_callbacks):
    partner = partner_for(world.memberships["partner"])
    client = world.client_for("doctor")
    page = client.get(reverse("accompaniment:refer"))
    assert page.status_code == 200 and partner.full_name in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accompaniment:refer"),
            _referral_data(
                partner,
                consent_share_summaries_with_team="on",
                designated=[world.memberships["nurse"].pk],
            ),
        )
    assert response.status_code == 302
    acc = Accompaniment.objects.get()
    assert acc.partner == partner and acc.referred_by == world.memberships["doctor"]
    assert acc.first_contact_due_at == acc.referred_at + __import__("datetime").timedelta(hours=48)
    assert set(Consent.objects.filter(patient=acc.patient).values_list("purpose", flat=True)) == {
        "contact_by_partner",
        "share_contact_details",
        "share_summaries_with_team",
    }
    assert set(Consent.objects.values_list("method", "text_version", "recorded_by")) == {
        ("signed_form", consent_text.VERSION, world.users["doctor"].pk)
    }
    assert list(acc.designated_professionals.all()) == [world.memberships["nurse"]]
    assert Notification.objects.filter(recipient=world.users["partner"], accompaniment=acc).exists()
    assert (
        mail.outbox[-1].to == [world.users["partner"].email] and "Anne" not in mail.outbox[-1].body
    )
    # A retried submission (same token) creates nothing more.
    client.post(reverse("accompaniment:refer"), _referral_data(partner))
    assert Accompaniment.objects.count() == 1 and Patient.objects.count() == 1


def test_referral_without_consent_or_contact_is_refused_and_writes_nothing(world):
    partner = partner_for(world.memberships["partner"])
    client = world.client_for("doctor")
    response = client.post(
        reverse("accompaniment:refer"), _referral_data(partner, consent_share_contact_details="")
    )
    assert response.status_code == 422
    assert "Imprimez le formulaire de consentement" in response.content.decode()
    response = client.post(
        reverse("accompaniment:refer"), _referral_data(partner, phone="", email="")
    )
    assert response.status_code == 422 and "au moins un téléphone" in response.content.decode()
    assert (
        not Patient.objects.exists()
        and not Consent.objects.exists()
        and not Accompaniment.objects.exists()
    )


def test_suggestions_respect_ceiling_and_limits(world):
    full = partner_for(world.memberships["partner"])
    full.max_active_accompaniments = 1
    full.save()
    _acc(world)
    limited = PartnerFactory(structure=world.a, first_name="Louise")
    PartnerTag.objects.create(partner=limited, kind="limit", value="cancer", label="Cancer")
    lived = PartnerFactory(structure=world.a, first_name="Rose")
    PartnerTag.objects.create(
        partner=lived, kind="condition", value="cancer-du-sein", label="Cancer du sein"
    )
    free = PartnerFactory(structure=world.a, first_name="Zoé")
    from binome.accompaniment.services import suggest_partners

    suggestions = suggest_partners(world.a, "cancer")
    assert [s.partner for s in suggestions if s.is_available] == [lived, free]
    reasons = {s.partner: s.excluded_reason for s in suggestions}
    assert "plafond" in reasons[full] and "Cancer" in reasons[limited]
    response = world.client_for("doctor").post(reverse("accompaniment:refer"), _referral_data(full))
    assert response.status_code == 422 and Accompaniment.objects.count() == 1


def test_partner_loses_contact_details_as_soon_as_consent_is_withdrawn(world):
    acc = _acc(world)
    partner = world.client_for("partner")
    assert (
        "06 12 34 56 78"
        in partner.get(reverse("accompaniment:detail", args=[acc.public_id])).content.decode()
    )
    assert "06 12 34 56 78" in partner.get(reverse("accompaniment:today")).content.decode()
    consent = Consent.objects.get(patient=acc.patient, purpose=ConsentPurpose.SHARE_CONTACT_DETAILS)
    response = world.client_for("patient").post(
        reverse("accompaniment:withdraw_consent", args=[consent.public_id])
    )
    assert response.status_code == 302
    page = partner.get(reverse("accompaniment:detail", args=[acc.public_id])).content.decode()
    assert "06 12 34 56 78" not in page and "retiré son accord" in page
    assert "06 12 34 56 78" not in partner.get(reverse("accompaniment:today")).content.decode()
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and consent.withdrawn_by == world.users["patient"]
    # the doctor who referred still has them (care team)
    assert (
        "06 12 34 56 78"
        in world.client_for("doctor")
        .get(reverse("accompaniment:detail", args=[acc.public_id]))
        .content.decode()
    )


def test_team_sees_shared_summary_never_private_notes(world):
    acc = _acc(
        world, consents=["contact_by_partner", "share_contact_details", "share_summaries_with_team"]
    )
    ContactFactory(
        accompaniment=acc, private_notes="SECRET-NOTE", summary_to_share="RESUME-PARTAGE"
    )
    url = reverse("accompaniment:detail", args=[acc.public_id])
    partner_page = world.client_for("partner").get(url).content.decode()
    assert "SECRET-NOTE" in partner_page and "RESUME-PARTAGE" in partner_page
    doctor_page = world.client_for("doctor").get(url).content.decode()
    assert "RESUME-PARTAGE" in doctor_page and "SECRET-NOTE" not in doctor_page
    coordinator_page = world.client_for("coordinator").get(url).content.decode()
    assert "RESUME-PARTAGE" not in coordinator_page and "SECRET-NOTE" not in coordinator_page
    assert "1 échange" in coordinator_page
    patient_page = world.client_for("patient").get(url).content.decode()
    assert "SECRET-NOTE" not in patient_page
    # The patient withdraws the sharing consent: the summary disappears for the team at once.
    consent = Consent.objects.get(patient=acc.patient, purpose=ConsentPurpose.SHARE_SUMMARIES)
    world.client_for("doctor").post(
        reverse("accompaniment:withdraw_consent", args=[consent.public_id])
    )
    doctor_page = world.client_for("doctor").get(url).content.decode()
    assert "RESUME-PARTAGE" not in doctor_page and "seuls les dates" in doctor_page


def test_no_sharing_consent_no_summary_field_and_no_summary(world):
    acc = _acc(world)
    client = world.client_for("partner")
    form = client.get(reverse("accompaniment:add_contact", args=[acc.public_id])).content.decode()
    assert "summary_to_share" not in form
    client.post(
        reverse("accompaniment:add_contact", args=[acc.public_id]),
        {
            "occurred_at": "2026-01-05T10:00",
            "channel": "phone",
            "place": "remote",
            "duration_minutes": "25",
            "private_notes": "notes",
            "summary_to_share": "tentative de partage",
        },
    )
    contact = Contact.objects.get()
    assert contact.summary_to_share == ""
    acc.refresh_from_db()
    assert acc.status == "active" and acc.first_contact_at == contact.occurred_at


def test_contact_log_bad_input_is_422_and_writes_nothing(world):
    acc = _acc(world)
    response = world.client_for("partner").post(
        reverse("accompaniment:add_contact", args=[acc.public_id]),
        {
            "occurred_at": "2099-01-01T10:00",
            "channel": "pigeon",
            "place": "remote",
            "duration_minutes": "0",
        },
    )
    assert response.status_code == 422
    assert not Contact.objects.exists()


def test_every_read_of_patient_data_is_audited(world):
    acc = _acc(world)
    for persona in ("partner", "doctor", "coordinator", "patient"):
        world.client_for(persona).get(reverse("accompaniment:detail", args=[acc.public_id]))
    events = AuditEvent.objects.for_target(acc).filter(kind="accompaniment.viewed")
    assert {e.actor for e in events} == {
        world.users[p] for p in ("partner", "doctor", "coordinator", "patient")
    }
    world.client_for("partner").get(reverse("accompaniment:today"))
    world.client_for("doctor").get(reverse("accompaniment:list"))
    world.client_for("patient").get(reverse("accompaniment:mine"))
    kinds = set(AuditEvent.objects.values_list("kind", flat=True))
    assert {
        "accompaniment.today_viewed",
        "accompaniment.list_viewed",
        "accompaniment.patient_page_viewed",
    } <= kinds
    # no names or notes in the audit data
    assert all(acc.patient.first_name not in str(e.data) for e in AuditEvent.objects.all())


def test_alert_raised_and_acknowledged(world, django_capture_on_commit_callbacks):
    # The alert's text reaches the care team while the patient agrees to share with it.
    acc = _acc(
        world, consents=["contact_by_partner", "share_contact_details", "share_summaries_with_team"]
    )
    acc.designated_professionals.add(world.memberships["nurse"])
    with django_capture_on_commit_callbacks(execute=True):
        world.client_for("partner").post(
            reverse("accompaniment:raise_alert", args=[acc.public_id]),
            {"message": "Propos inquiétants"},
        )
    alert = Alert.objects.get()
    # At once to the referring professional; to the other named professionals if nobody took it.
    assert {m.to[0] for m in mail.outbox} == {world.users["doctor"].email}
    from binome.accompaniment.tasks import process_deadlines

    with django_capture_on_commit_callbacks(execute=True):
        process_deadlines(now=alert.raised_at + __import__("datetime").timedelta(minutes=31))
    assert {m.to[0] for m in mail.outbox} == {
        world.users["doctor"].email,
        world.users["nurse"].email,
    }
    assert all("[Urgent]" in m.subject for m in mail.outbox)
    coordinator = world.client_for("coordinator")
    refused = coordinator.post(
        reverse("accompaniment:acknowledge_alert", args=[alert.public_id]), {"response": "Vu"}
    )
    assert refused.status_code == 403 and "professionnel de l" in refused.content.decode()
    assert Alert.objects.get().acknowledged_at is None
    assert AuditEvent.objects.filter(
        kind="accompaniment.refused", data__reason="alert_ack_not_clinician"
    ).exists()
    nurse = world.client_for("nurse")
    assert (
        "Propos inquiétants"
        in nurse.get(reverse("accompaniment:detail", args=[acc.public_id])).content.decode()
    )
    assert (
        world.client_for("partner")
        .post(reverse("accompaniment:acknowledge_alert", args=[alert.public_id]))
        .status_code
        == 403
    )
    nurse.post(
        reverse("accompaniment:acknowledge_alert", args=[alert.public_id]),
        {"response": "Je la rappelle"},
    )
    alert.refresh_from_db()
    assert alert.acknowledged_by == world.users["nurse"] and alert.response == "Je la rappelle"
    assert Notification.objects.filter(
        recipient=world.users["partner"], text__contains="prise en compte"
    ).exists()


def test_patient_ends_from_their_page_and_leaves_feedback(world):
    acc = _acc(world)
    patient = world.client_for("patient")
    page = patient.get(reverse("accompaniment:mine")).content.decode()
    assert "Arrêter l'accompagnement" in page and acc.partner.first_name in page
    response = patient.post(
        reverse("accompaniment:end", args=[acc.public_id]), {"reason": "patient_wish"}
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "accompaniment:feedback", args=[acc.public_id]
    )
    acc.refresh_from_db()
    assert (
        acc.status == "ended"
        and acc.ended_by_role == "patient"
        and acc.ended_by == world.users["patient"]
    )
    assert (
        world.client_for("partner")
        .get(reverse("accompaniment:add_contact", args=[acc.public_id]))
        .status_code
        == 403
    )
    patient.post(
        reverse("accompaniment:feedback", args=[acc.public_id]),
        {"usefulness": "4", "felt_listened_to": "on", "would_recommend": "on", "comment": "Merci"},
    )
    assert PatientFeedback.objects.get(accompaniment=acc).usefulness == 4
    assert "Merci pour votre avis" in patient.get(reverse("accompaniment:mine")).content.decode()


def test_withdrawing_contact_consent_ends_the_accompaniment(world):
    acc = _acc(world)
    consent = Consent.objects.get(patient=acc.patient, purpose=ConsentPurpose.CONTACT_BY_PARTNER)
    world.client_for("patient").post(
        reverse("accompaniment:withdraw_consent", args=[consent.public_id])
    )
    acc.refresh_from_db()
    assert (
        acc.status == "ended"
        and acc.end_reason == "consent_withdrawn"
        and acc.ended_by_role == "patient"
    )


def test_online_consent_page(world):
    acc = _acc(world, consents=["contact_by_partner", "share_contact_details"])
    world.client_for("doctor").post(reverse("accompaniment:consent_link", args=[acc.public_id]))
    url = mail.outbox[-1].body.split("\n")[-2].strip()
    path = url.split("127.0.0.1:8000")[-1]
    from django.test import Client

    anonymous = Client()
    page = anonymous.get(path)
    assert page.status_code == 200 and "disabled" in page.content.decode()
    assert anonymous.post(path, {}).status_code == 422
    anonymous.post(path, {"share_summaries_with_team": "on"})
    consent = Consent.objects.get(patient=acc.patient, purpose="share_summaries_with_team")
    assert consent.method == "online" and consent.recorded_by is None
    assert anonymous.get("/p/consentement/faux-jeton/").status_code == 404


def test_consent_pdf(world):
    acc = _acc(world)
    response = world.client_for("doctor").get(
        reverse("accompaniment:consent_pdf", args=[acc.public_id])
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(kind="accompaniment.consent_form_exported").exists()


def test_calendar_feed_and_revocation(world):
    acc = _acc(world)
    from binome.accompaniment import services

    services.add_key_moment(
        acc,
        user=world.users["partner"],
        data={
            "kind": "surgery",
            "date": __import__("datetime").date.today() + __import__("datetime").timedelta(days=3),
            "time": None,
        },
    )
    client = world.client_for("partner")
    assert "Créer mon adresse d" in client.get(reverse("accompaniment:calendar")).content.decode()
    page = client.post(reverse("accompaniment:calendar"), {"action": "open"}).content.decode()
    from binome.accompaniment.models import CalendarFeed
    from binome.accounts.models import hash_token

    feed = CalendarFeed.objects.get()
    token = page.split("/agenda/")[1].split(".ics")[0]
    # Only the hash is kept, like API tokens; the address is shown once.
    assert (
        feed.token_hash == hash_token(token)
        and token not in client.get(reverse("accompaniment:calendar")).content.decode()
    )
    from django.test import Client

    ics = Client().get(reverse("accompaniment_public:calendar", args=[token]))
    # A neutral title and a link that needs sign-in: no moment of the pathway, no name.
    assert (
        ics.status_code == 200
        and b"BEGIN:VEVENT" in ics.content
        and b"Intervention chirurgicale" not in ics.content
    )
    assert b"Rendez-vous d'accompagnement" in ics.content
    assert (
        acc.patient.phone.encode() not in ics.content
        and acc.patient.first_name.encode() not in ics.content
    )
    # Renewed: the old address stops; closed: the new one stops too.
    renewed = client.post(reverse("accompaniment:calendar"), {"action": "open"}).content.decode()
    new_token = renewed.split("/agenda/")[1].split(".ics")[0]
    assert Client().get(reverse("accompaniment_public:calendar", args=[token])).status_code == 404
    assert (
        Client().get(reverse("accompaniment_public:calendar", args=[new_token])).status_code == 200
    )
    client.post(reverse("accompaniment:calendar"), {"action": "close"})
    assert (
        Client().get(reverse("accompaniment_public:calendar", args=[new_token])).status_code == 404
    )
    assert AuditEvent.objects.filter(kind="accompaniment.calendar_closed").count() == 1


def test_tandem_report_acknowledged_by_the_doctor(world):
    tandem = TandemFactory(
        structure=world.a,
        doctor=world.memberships["doctor"],
        partner=partner_for(world.memberships["partner"]),
    )
    partner = world.client_for("partner")
    partner.post(
        reverse("tandems:report", args=[tandem.public_id]),
        {
            "patient_expressed": "Peur de la chimio",
            "needs": "Parler à quelqu'un",
            "agreed_to_share": "Sa peur",
            "next_steps": "Atelier",
        },
    )
    report = TandemReport.objects.get()
    doctor = world.client_for("doctor")
    assert (
        "Peur de la chimio"
        in doctor.get(reverse("tandems:detail", args=[tandem.public_id])).content.decode()
    )
    assert (
        "Peur de la chimio"
        not in world.client_for("coordinator")
        .get(reverse("tandems:detail", args=[tandem.public_id]))
        .content.decode()
    )
    doctor.post(
        reverse("tandems:acknowledge_report", args=[report.public_id]),
        {"reply": "Merci, je la revois lundi"},
    )
    report.refresh_from_db()
    assert report.acknowledged_by == world.users["doctor"] and report.reply.startswith("Merci")
    # scope versions are kept
    doctor.post(reverse("tandems:scope", args=[tandem.public_id]), {"text": "V1"})
    doctor.post(reverse("tandems:scope", args=[tandem.public_id]), {"text": "V2"})
    assert list(tandem.scopes.values_list("version", "text")) == [(2, "V2"), (1, "V1")]


def test_joint_consultation_needs_a_synchronous_tandem_and_the_patient_consent(world):
    partner = partner_for(world.memberships["partner"])
    tandem = TandemFactory(
        structure=world.a, doctor=world.memberships["doctor"], partner=partner, mode="synchronous"
    )
    without = _acc(world, partner=partner)
    with_consent = _acc(
        world,
        partner=partner,
        consents=[
            "contact_by_partner",
            "share_contact_details",
            "joint_consultation",
            "share_summaries_with_team",
        ],
    )
    client = world.client_for("partner")
    url = reverse("tandems:report", args=[tandem.public_id])
    data = {
        "patient_expressed": "a",
        "needs": "b",
        "agreed_to_share": "c",
        "joint_consultation": "on",
    }
    response = client.post(url, {**data, "accompaniment": without.pk})
    assert response.status_code == 422 and "consultation commune" in response.content.decode()
    assert client.post(url, data).status_code == 422
    assert not TandemReport.objects.exists()
    assert client.post(url, {**data, "accompaniment": with_consent.pk}).status_code == 302
    assert TandemReport.objects.get().joint_consultation
    # an asynchronous tandem offers no joint consultation at all
    tandem.mode = "asynchronous"
    tandem.save()
    assert "joint_consultation" not in client.get(url).content.decode()


def test_supervision_practice_group_and_load(world):
    partner = partner_for(world.memberships["partner"])
    client = world.client_for("partner")
    response = client.post(
        reverse("accompaniment:supervision"),
        {
            "date": "2026-01-10",
            "supervisor_name": "Mme Laurens",
            "duration_minutes": "60",
            "private_notes": "NOTES-SUPERVISION",
        },
    )
    assert response.status_code == 302
    assert "NOTES-SUPERVISION" in client.get(reverse("accompaniment:supervision")).content.decode()
    assert (
        client.post(
            reverse("accompaniment:supervision"), {"date": "", "duration_minutes": "0"}
        ).status_code
        == 422
    )
    _acc(world, partner=partner)
    load = world.client_for("coordinator").get(reverse("accompaniment:load")).content.decode()
    assert "NOTES-SUPERVISION" not in load
    assert "1 / 3" in load and "2026" in load, load[load.find("<tbody>") : load.find("</tbody>")]
    world.client_for("nurse").post(
        reverse("tandems:practice_create"),
        {
            "kind": "practice_analysis",
            "date": "2026-01-12",
            "anonymised_cases": "Situation A",
            "participants": [world.memberships["partner"].pk, world.memberships["nurse"].pk],
        },
    )
    page = world.client_for("partner").get(reverse("tandems:practice")).content.decode()
    assert "Situation A" in page and "2 participants" in page


def test_dashboard_figures(world):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    partner = partner_for(world.memberships["partner"])
    for hours in (10, 20, 30, 60):  # the last one past the 48-hour deadline
        _acc(
            world,
            partner=partner,
            referred_at=now - timedelta(days=5),
            first_contact_at=now - timedelta(days=5) + timedelta(hours=hours),
            status="active",
        )
    _acc(world, partner=partner, referred_at=now - timedelta(days=3))  # waiting, late
    page = world.client_for("coordinator").get(reverse("accompaniment:dashboard")).content.decode()
    assert "25.0 h" in page or "25,0 h" in page  # median of 10, 20, 30, 60
    assert (
        "60 %" in page
    )  # 3 of 5 within 48 h: the one still waiting past its deadline counts as missed
    assert "dont 1 en retard" in page


def test_partner_never_sees_patients_not_referred_to_them(world):
    mine = _acc(world)
    other = _acc(
        world,
        partner=PartnerFactory(structure=world.a),
        patient__first_name="Bérénice",
        patient__user=None,
    )
    elsewhere = AccompanimentFactory(
        structure=world.b,
        partner=partner_for(world.memberships_b["partner"]),
        patient__first_name="Ludivine",
    )
    client = world.client_for("partner")
    for url in (reverse("accompaniment:today"), reverse("accompaniment:list")):
        page = client.get(url).content.decode()
        assert mine.patient.first_name in page
        assert "Bérénice" not in page and "Ludivine" not in page
    assert client.get(reverse("accompaniment:detail", args=[other.public_id])).status_code == 404
    assert (
        client.get(reverse("accompaniment:detail", args=[elsewhere.public_id])).status_code == 404
    )
    from binome.accompaniment.models import CalendarFeed, KeyMoment

    KeyMoment.objects.create(
        accompaniment=other, kind="surgery", date=__import__("datetime").date.today()
    )
    page = client.post(reverse("accompaniment:calendar"), {"action": "open"}).content.decode()
    from django.test import Client

    token = page.split("/agenda/")[1].split(".ics")[0]
    assert CalendarFeed.objects.count() == 1
    ics = Client().get(reverse("accompaniment_public:calendar", args=[token])).content.decode()
    assert "Bérénice" not in ics


def test_notifications_page_and_home_card(world):
    acc = _acc(world)
    from binome.accompaniment import services

    services.raise_alert(acc, user=world.users["partner"], message="x")
    doctor = world.client_for("doctor")
    home = doctor.get(reverse("web:home")).content.decode()
    assert "Messages de suivi non lus" in home and "dont 1 urgent" in home
    page = doctor.get(reverse("accompaniment:notifications")).content.decode()
    assert "Alerte urgente d&#x27;un patient partenaire" in page and "nouveau" in page
    assert not Notification.objects.filter(
        recipient=world.users["doctor"], read_at__isnull=True
    ).exists()
    assert "Messages de suivi non lus" not in doctor.get(reverse("web:home")).content.decode()


def test_suggestions_follow_the_pathway(world):
    from binome.partners.models import PartnerTag

    rose = PartnerFactory(structure=world.a, first_name="Rose")
    PartnerTag.objects.create(partner=rose, kind="limit", value="diabete", label="Diabète")
    client = world.client_for("doctor")
    page = client.get(reverse("accompaniment:refer"), {"pathway": "diabetes"}).content.decode()
    assert 'hx-get="/accompagnements/orienter/"' in page and 'id="suggestions"' in page
    assert "ne pas souhaiter accompagner ce parcours (Diabète)" in page
    assert f'value="{rose.public_id}"' not in page
    page = client.get(reverse("accompaniment:refer"), {"pathway": "cardio"}).content.decode()
    assert f'value="{rose.public_id}"' in page


def test_patient_account_created_after_the_referral_is_linked_on_first_visit(world):
    acc = _acc(world, patient__user=None, patient__email=world.users["patient"].email.upper())
    page = world.client_for("patient").get(reverse("accompaniment:mine")).content.decode()
    acc.patient.refresh_from_db()
    assert acc.patient.user == world.users["patient"] and acc.partner.first_name in page


def test_the_patient_account_lookup_reads_the_email_index(world):
    """Each visit of a patient's page looks for records to link by e-mail: along the index
    on the lowered address, not through every patient of the structure."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from binome.accompaniment.services import link_patient_account

    with CaptureQueriesContext(connection) as captured:
        link_patient_account(world.a, world.users["patient"])
    sql = captured.captured_queries[0]["sql"]
    assert 'LOWER("accompaniment_patient"."email") =' in sql
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            assert "patient_email_lower" in str(cursor.fetchall())
        else:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'patient_email_lower'"
            )
            assert "lower((email)::text)" in cursor.fetchone()[0]


def test_consent_ledger_shows_every_consent_with_who_recorded_and_withdrew_it(world):
    from binome.accompaniment.models import Accompaniment, Consent
    from binome.audit.models import AuditEvent
    from tests.matrix.accompaniment import _acc

    acc = _acc(world, world.a)
    assert isinstance(acc, Accompaniment)
    consent = Consent.objects.filter(patient=acc.patient).first()
    consent.withdrawn_at = consent.given_at
    consent.withdrawn_by = world.users["coordinator"]
    consent.save()
    response = world.client_for("doctor").get(
        reverse("accompaniment:consent_ledger", args=[acc.public_id])
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert consent.get_purpose_display() in page
    assert consent.text_version in page
    assert world.users["coordinator"].get_full_name() in page
    assert AuditEvent.objects.filter(
        kind="accompaniment.consent_ledger_viewed", target_id=str(acc.public_id)
    ).exists()
    # The partner follows the patient but does not read the proof file.
    assert (
        world.client_for("partner")
        .get(reverse("accompaniment:consent_ledger", args=[acc.public_id]))
        .status_code
        == 403
    )


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_key_moment_far_in_time_is_refused_in_french(world, day):
    # Found by bench/fuzz_forms.py: year 1 overflowed the reminder's date arithmetic (500).
    acc = _acc(world)
    response = world.client_for("partner").post(
        reverse("accompaniment:add_key_moment", args=[acc.public_id]),
        {"kind": "announcement", "label": "", "date": day, "time": "", "wants_support": "on"},
    )
    assert response.status_code == 422
    assert "Choisissez une date entre 1900 et 2100." in response.content.decode()
    assert not acc.key_moments.exists()


def test_dashboard_median_is_computed_by_the_database_to_the_second(world):
    """SecondsBetween (julianday on SQLite, EXTRACT(EPOCH) on PostgreSQL) gives the same
    median as Python's statistics.median on the delays."""
    import statistics
    from datetime import timedelta

    from django.db.models import F
    from django.utils import timezone

    from binome.accompaniment.models import Accompaniment
    from binome.accompaniment.stats import SecondsBetween, figures

    now = timezone.now()
    partner = partner_for(world.memberships["partner"])
    delays = [timedelta(hours=1, minutes=30, seconds=7), timedelta(hours=2), timedelta(hours=10)]
    for delay in delays:
        _acc(
            world,
            partner=partner,
            referred_at=now - timedelta(days=2),
            first_contact_at=now - timedelta(days=2) + delay,
            status="active",
        )
    seconds = sorted(
        Accompaniment.objects.filter(first_contact_at__isnull=False)
        .annotate(s=SecondsBetween(F("first_contact_at"), F("referred_at")))
        .values_list("s", flat=True)
    )
    assert seconds == pytest.approx([d.total_seconds() for d in delays], abs=0.01)
    expected = round(statistics.median(d.total_seconds() for d in delays) / 3600, 1)
    assert figures(world.a)["median_hours"] == expected == 2.0
