"""Shared fixtures: the two-structure world with one persona per role, signed-in clients."""

from dataclasses import dataclass, field

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from binome.people.models import Profession, Role
from tests.factories import (
    MembershipFactory,
    NetworkAffiliationFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    StructureFactory,
    UserFactory,
)

# Every persona of the permission matrix. "doctor" is a professional (GP).
PERSONAS = [
    "coordinator",
    "doctor",
    "nurse",
    "partner",
    "user_rep",
    "patient",
    "facilitator",
    "outsider",
]
PERSONA_ROLES = {
    "coordinator": (Role.COORDINATOR, ""),
    "doctor": (Role.PROFESSIONAL, Profession.GP),
    "nurse": (Role.PROFESSIONAL, Profession.NURSE),
    "partner": (Role.PARTNER, ""),
    "user_rep": (Role.USER_REP, ""),
    "patient": (Role.PATIENT, ""),
}


def _restore_reference_data():
    """The rows the data migrations write (the resource library, the HAS matrix's dimensions).
    A transactional test (browser, backup) ends with a flush that empties every table; the
    test database is reused from one run to the next (--reuse-db), so the next run would
    start without them: they are written again when missing, as the migrations did."""
    from binome.networks import library
    from binome.networks.models import MatrixDimension, Resource

    with scopes_disabled():
        if not Resource.objects.exists():
            library.sync_resources(Resource)
        if not MatrixDimension.objects.exists():
            library.sync_dimensions(MatrixDimension)


@pytest.fixture(scope="session", autouse=True)
def _reference_data(request, django_db_setup, django_db_blocker):
    # pytest-django's own rule for "does this run set up a test database" (no public API).
    from pytest_django.fixtures import _get_databases_for_setup

    if "default" not in _get_databases_for_setup(request.session.items)[0]:
        yield
        return
    with django_db_blocker.unblock():
        _restore_reference_data()
    yield
    with django_db_blocker.unblock():
        _restore_reference_data()


@pytest.fixture(autouse=True)
def _no_scope_in_test_bodies():
    """Test bodies query freely; requests through the client get the middleware's scope."""
    with scopes_disabled():
        yield


@pytest.fixture(autouse=True)
def _fast_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": True}
    settings.BINOME_CHECK_KEPT_SQL = True  # a counter outside its contract fails


@pytest.fixture(autouse=True)
def _clear_caches():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@dataclass
class World:
    """Structure A with one user per persona, structure B with its own coordinator etc."""

    a: object
    b: object
    network: object
    users: dict = field(default_factory=dict)  # persona -> user (in A)
    users_b: dict = field(default_factory=dict)  # persona -> user (in B)
    memberships: dict = field(default_factory=dict)
    memberships_b: dict = field(default_factory=dict)

    def client_for(self, persona, *, structure="a") -> Client:
        client = Client()
        if persona == "anonymous":
            return client
        user = (self.users if structure == "a" else self.users_b)[persona]
        force_verified_login(client, user)
        return client


def force_verified_login(client, user):
    """Sign in as if the second factor had been passed (the sign-in flow is tested apart)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user, backend="binome.accounts.backends.ModelBackend")
    device = TOTPDevice.objects.filter(
        user=user, confirmed=True
    ).first() or TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def build_world() -> World:
    network = NetworkFactory(slug="reseau-test", name="Réseau test")
    a = StructureFactory(slug="structure-a", name="MSP Alpha")
    b = StructureFactory(slug="structure-b", name="Centre Bêta")
    NetworkAffiliationFactory(structure=a, network=network)
    NetworkAffiliationFactory(structure=b, network=network)
    world = World(a=a, b=b, network=network)
    for persona, (role, profession) in PERSONA_ROLES.items():
        m = MembershipFactory(
            structure=a, role=role, profession=profession, user__email=f"{persona}@a.test"
        )
        world.users[persona] = m.user
        world.memberships[persona] = m
        mb = MembershipFactory(
            structure=b, role=role, profession=profession, user__email=f"{persona}@b.test"
        )
        world.users_b[persona] = mb.user
        world.memberships_b[persona] = mb
    facilitator = NetworkMembershipFactory(
        network=network, user__email="facilitator@reseau.test"
    ).user
    world.users["facilitator"] = facilitator
    world.users_b["facilitator"] = facilitator
    world.users["outsider"] = UserFactory(email="outsider@nulle-part.test")
    world.users_b["outsider"] = world.users["outsider"]
    return world


@pytest.fixture
def kept_only(settings, monkeypatch):
    """Kept SQL as in production (binome.core.kept_sql): a kept query is run as is, never
    built again. Gives the list of the queries compiled, to assert that none was."""
    from binome.core import kept_sql

    settings.BINOME_CHECK_KEPT_SQL = False
    monkeypatch.setattr(kept_sql, "_kept", {})
    built = []
    original = kept_sql.compile_query
    monkeypatch.setattr(kept_sql, "compile_query", lambda qs: built.append(qs) or original(qs))
    return built


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def outbox(settings, tmp_path):
    """SMS through the file backend; ``outbox()`` lists what left, one dict per message."""
    import json

    path = tmp_path / "outbox.jsonl"
    settings.BINOME_SMS_BACKEND = "file"
    settings.BINOME_SMS_FILE = str(path)

    def sent():
        return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []

    return sent


@pytest.fixture
def coordinator_client(world):
    return world.client_for("coordinator")


class UnknownTemplateVariable(str):
    """string_if_invalid in the tests: a template that prints a variable that does not
    exist fails the test instead of printing nothing (``{% if %}`` tests are unaffected)."""

    def __contains__(self, item):
        return item == "%s"

    def __mod__(self, name):
        raise AssertionError(f"Unknown template variable: {name}")


@pytest.fixture(autouse=True, scope="session")
def _strict_templates():
    from django.template import engines

    for engine in engines.all():
        if not hasattr(engine, "engine"):
            continue  # Jinja2 (binome.core.rows): StrictUndefined already
        engine.engine.string_if_invalid = UnknownTemplateVariable("%s")
    yield
