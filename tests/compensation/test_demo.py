import io

import pytest
from django.urls import reverse

from binome.compensation import demo as compensation_demo
from binome.compensation.models import Expense, Statement, Status, TimeEntry
from binome.missions import demo as missions_demo
from binome.partners import demo as partners_demo
from binome.people.demo_set import load_core
from tests.conftest import force_verified_login

pytestmark = pytest.mark.django_db


def _load():
    demo = load_core()
    partners_demo.load(demo)
    missions_demo.load(demo)
    compensation_demo.load(demo)
    return demo


def test_demo_entries_at_several_statuses_idempotent_and_pages_render(client):
    from pypdf import PdfReader

    demo = _load()
    counts = (TimeEntry.objects.count(), Expense.objects.count(), Statement.objects.count())
    _load()
    assert (TimeEntry.objects.count(), Expense.objects.count(), Statement.objects.count()) == counts
    martine = TimeEntry.objects.filter(
        partner__membership__user=demo.user("partenaire@tilleuls.demo")
    )
    assert {e.status for e in martine} == {Status.SUBMITTED, Status.APPROVED, Status.RETURNED}
    force_verified_login(client, demo.user("partenaire@tilleuls.demo"))
    page = client.get(reverse("compensation:entries")).content.decode()
    assert "Pair-accompagnement : diabète de type 2" in page and "Renvoyé pour correction" in page
    statement = Statement.objects.get(
        partner__membership__user=demo.user("partenaire@tilleuls.demo")
    )
    pdf = client.get(
        reverse("compensation:statement_pdf", kwargs={"public_id": statement.public_id})
    )
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Total : 12,60 €" in text.replace("\u00a0", " ").replace(
        "\u202f", " "
    )  # 2 × 18 km × 0,35 €; volunteer time is not paid
    ticket = Expense.objects.get(kind="transport")
    assert (
        client.get(
            reverse("compensation:receipt", kwargs={"public_id": ticket.public_id})
        ).status_code
        == 200
    )
    client.logout()
    force_verified_login(client, demo.user("coordination@tilleuls.demo"))
    assert "Bouger avec son cœur" in client.get(reverse("compensation:queue")).content.decode()
    budget = client.get(reverse("compensation:budget")).content.decode()
    assert (
        "Budget dépassé pour « Co-animation de l&#x27;atelier « Bouger avec son cœur » »" in budget
    )
    assert "Temps et frais à valider" in client.get(reverse("web:home")).content.decode()
