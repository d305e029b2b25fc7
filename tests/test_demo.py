"""The demo data set: idempotent, refused outside demo mode, every documented account works."""

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.test import Client

from binome.people.demo_set import ACCOUNTS, DEMO_PASSWORD, FACILITATOR, load_demo

pytestmark = pytest.mark.django_db


def _row_counts():
    return {model._meta.label: model._base_manager.count() for model in apps.get_models()}


@pytest.fixture
def demo(settings):
    settings.DEMO_MODE = True
    return load_demo()


def test_demo_loader_is_idempotent(demo):
    first = _row_counts()
    assert first["people.User"] >= len(ACCOUNTS) + 1
    load_demo()
    second = _row_counts()
    changed = {
        label: (first[label], second[label]) for label in first if first[label] != second[label]
    }
    assert not changed, f"the second load changed these tables: {changed}"


def test_demo_loader_command_refuses_outside_demo_mode(db, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError):
        call_command("load_demo")
    assert not apps.get_model("people", "User").objects.exists()


def test_demo_loader_command_prints_a_summary(settings, capsys, db):
    settings.DEMO_MODE = True
    call_command("load_demo")
    assert "Démo prête" in capsys.readouterr().out


def test_every_demo_account_signs_in_through_the_ui_and_the_api(demo):
    """One load of the demo for all accounts (the demo grows with every app)."""
    accounts = [(a[0], a[6]) for a in ACCOUNTS] + [(FACILITATOR[0], FACILITATOR[4])]
    for account, token in accounts:
        client = Client()
        response = client.post("/connexion/", {"username": account, "password": DEMO_PASSWORD})
        assert response.status_code == 302, account
        home = client.get("/")
        assert home.status_code == 200, account  # demo accounts may skip the second factor
        assert "Bonjour" in home.content.decode()
        assert "Démonstration" in home.content.decode()
        api = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
        assert api.status_code == 200, account
        assert api.json()["email"] == account


def test_demo_tokens_and_accounts_are_documented_in_the_readme():
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    for email, *_rest, token in ACCOUNTS:
        assert f"`{email}`" in readme and f"`{token}`" in readme
    assert f"`{FACILITATOR[0]}`" in readme and f"`{FACILITATOR[4]}`" in readme


def test_demo_accounts_need_the_second_factor_when_demo_mode_is_off(demo, settings):
    settings.DEMO_MODE = False
    client = Client()
    client.post("/connexion/", {"username": "medecin@tilleuls.demo", "password": DEMO_PASSWORD})
    assert client.get("/")["Location"].startswith("/compte/second-facteur/")


def test_demo_loads_again_after_users_created_objects_with_the_demo_titles(demo):
    """A coordinator may create "Diabète de type 2" or an action titled like the demo's: the
    loader finds its own objects by a key of its own, so `make run` starts again."""
    from binome.involvement.models import InvolvementAction, Programme
    from binome.missions.models import Mission
    from binome.networks.models import Campaign, MatrixSession
    from binome.partners.models import EvaluationCriterion
    from binome.steering.models import Project
    from binome.voice.models import Survey

    copied = {}
    for model in (
        InvolvementAction,
        Programme,
        MatrixSession,
        Campaign,
        EvaluationCriterion,
        Project,
        Survey,
        Mission,
    ):
        original = model._base_manager.order_by("pk").first()
        copy = model._base_manager.get(pk=original.pk)
        copy.pk = copy.id = None
        for unique in ("public_id", "public_token", "feedback_token", "token", "submission_token"):
            if hasattr(copy, unique):
                import uuid

                setattr(
                    copy, unique, uuid.uuid4() if unique == "public_id" else uuid.uuid4().hex[:16]
                )
        copy.save()
        copied[model._meta.label] = model._base_manager.count()
    load_demo()  # no MultipleObjectsReturned, and nothing created twice
    for label, count in copied.items():
        assert apps.get_model(label)._base_manager.count() == count, label


def test_a_demo_loaded_before_the_keys_adopts_its_own_objects(demo):
    from binome.people.models import DemoKey

    before = _row_counts()
    DemoKey.objects.all().delete()  # as a demo database of an earlier version
    load_demo()
    after = _row_counts()
    changed = {
        label: (before[label], after[label]) for label in before if before[label] != after[label]
    }
    assert not changed, changed
