"""Processing register entry (art. 30) and DPIA: pre-filled, editable, exported as PDF."""

from django.urls import reverse

from binome.audit.models import AuditEvent
from binome.privacy.documents import proposed
from binome.privacy.models import ProcessingDocument


def test_register_is_prefilled_from_the_structure(world):
    world.a.finess = "310012349"
    world.a.save()
    sections = {s["key"]: s["body"] for s in proposed(world.a, "register")}
    assert "MSP Alpha" in sections["controller"] and "310012349" in sections["controller"]
    assert str(world.users["coordinator"]) in sections["controller"]
    assert "Utilisateurs" in sections["data"] and "adresse e-mail" in sections["data"]
    assert "Réseau test" in sections["recipients"]
    assert "730 jours" in sections["retention"]


def test_a_coordinator_edits_and_exports_the_register(world):
    client = world.client_for("coordinator")
    url = reverse("privacy:register")
    page = client.get(url)
    assert page.status_code == 200
    assert "Texte proposé" in page.content.decode()
    assert not ProcessingDocument.objects.exists()

    form = page.context["form"]
    data = {name: field.initial for name, field in form.fields.items()}
    data["controller"] = "MSP Alpha, 1 place de la Mairie. DPO : Mme Délégué."
    response = client.post(url, data)

    assert response.status_code == 302
    doc = ProcessingDocument.objects.get(structure=world.a, kind="register")
    assert doc.sections[0]["body"] == "MSP Alpha, 1 place de la Mairie. DPO : Mme Délégué."
    assert doc.updated_by == world.users["coordinator"]
    assert (
        AuditEvent.objects.filter(kind="privacy.document_updated", structure=world.a).count() == 1
    )

    pdf = client.get(reverse("privacy:register_pdf"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(kind="privacy.document_exported").count() == 1
    # Structure B still sees its own proposed text.
    other = world.client_for("coordinator", structure="b").get(url).content.decode()
    assert "Mme Délégué" not in other


def test_too_long_text_is_refused_and_nothing_is_saved(world):
    client = world.client_for("coordinator")
    url = reverse("privacy:dpia")
    form = client.get(url).context["form"]
    data = {name: field.initial for name, field in form.fields.items()}
    data["context"] = "x" * 20001
    response = client.post(url, data)
    assert response.status_code == 422
    assert not ProcessingDocument.objects.exists()


def test_reset_brings_back_the_proposed_text(world):
    ProcessingDocument.objects.create(
        structure=world.a,
        kind="dpia",
        sections=[{**s, "body": "vide"} for s in proposed(world.a, "dpia")],
    )
    client = world.client_for("coordinator")
    response = client.post(reverse("privacy:dpia"), {"action": "reset"})
    assert response.status_code == 200
    assert "[à compléter]" in response.content.decode()
    assert ProcessingDocument.objects.get().sections[0]["body"] == "vide"
