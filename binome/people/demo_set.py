"""The demo data set of the conventions (DESIGN.md), loaded by `make run`. Idempotent.

Other apps add their part in ``<app>/demo.py`` with ``def load(demo: Demo) -> None``;
each loader must itself be idempotent (get_or_create on stable keys, or a sentinel).
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.db import transaction

from binome.core.plugins import app_modules
from binome.people import identifiers
from binome.people.models import (
    Membership,
    Network,
    NetworkAffiliation,
    NetworkMembership,
    Profession,
    Region,
    Role,
    Structure,
    User,
)
from binome.people.scoping import scopes_disabled

DEMO_PASSWORD = "binome-demo"


def demo_remember(key, obj):
    from django.contrib.contenttypes.models import ContentType

    from binome.people.models import DemoKey

    DemoKey.objects.update_or_create(
        key=key,
        defaults={
            "content_type": ContentType.objects.get_for_model(type(obj)),
            "object_id": obj.pk,
        },
    )
    return obj


def demo_find(key, model, **lookup):
    """The demo's object of this key, or None (for objects a service creates)."""
    from django.contrib.contenttypes.models import ContentType

    from binome.people.models import DemoKey

    known = DemoKey.objects.filter(key=key).first()
    if known is not None:
        return model._base_manager.filter(pk=known.object_id).first()
    keyed = DemoKey.objects.filter(content_type=ContentType.objects.get_for_model(model)).values(
        "object_id"
    )
    oldest = model._base_manager.filter(**lookup).exclude(pk__in=keyed).order_by("pk").first()
    return demo_remember(key, oldest) if oldest is not None else None


def demo_get_or_create(key, model, *, defaults=None, **lookup):
    """The demo's object of this key: (object, created). Found by the demo's own key, never by
    a title; a demo loaded before keys existed adopts its oldest matching object once."""
    from django.contrib.contenttypes.models import ContentType

    from binome.people.models import DemoKey

    content_type = ContentType.objects.get_for_model(model)
    known = DemoKey.objects.filter(key=key).first()
    if known is not None:
        found = model._base_manager.filter(pk=known.object_id).first()
        if found is not None:
            return found, False
        known.delete()
    else:
        # A demo loaded before the keys: its objects were created first, before any copy.
        keyed = DemoKey.objects.filter(content_type=content_type).values("object_id")
        oldest = model._base_manager.filter(**lookup).exclude(pk__in=keyed).order_by("pk").first()
        if oldest is not None:
            DemoKey.objects.create(key=key, content_type=content_type, object_id=oldest.pk)
            return oldest, False
    obj = model._base_manager.create(**lookup, **(defaults or {}))
    DemoKey.objects.create(key=key, content_type=content_type, object_id=obj.pk)
    return obj, True


# (email, first, last, structure slug, role, profession, api token)
ACCOUNTS = [
    (
        "coordination@tilleuls.demo",
        "Claire",
        "Fabre",
        "tilleuls",
        Role.COORDINATOR,
        "",
        "demo-coordination-tilleuls",
    ),
    (
        "medecin@tilleuls.demo",
        "Antoine",
        "Roux",
        "tilleuls",
        Role.PROFESSIONAL,
        Profession.GP,
        "demo-medecin-tilleuls",
    ),
    (
        "partenaire@tilleuls.demo",
        "Martine",
        "Cazals",
        "tilleuls",
        Role.PARTNER,
        "",
        "demo-partenaire-tilleuls",
    ),
    (
        "patient@tilleuls.demo",
        "Jacques",
        "Delmas",
        "tilleuls",
        Role.PATIENT,
        "",
        "demo-patient-tilleuls",
    ),
    (
        "coordination@vallee.demo",
        "Karim",
        "Benali",
        "vallee",
        Role.COORDINATOR,
        "",
        "demo-coordination-vallee",
    ),
    (
        "medecin@vallee.demo",
        "Sophie",
        "Marty",
        "vallee",
        Role.PROFESSIONAL,
        Profession.GP,
        "demo-medecin-vallee",
    ),
    (
        "partenaire@vallee.demo",
        "Fatima",
        "Haddad",
        "vallee",
        Role.PARTNER,
        "",
        "demo-partenaire-vallee",
    ),
]
FACILITATOR = ("reseau@occitanie.demo", "Hélène", "Garrigues", "occitanie", "demo-reseau-occitanie")

# More people so that every page has content (no API token, same password).
EXTRA = [
    (
        "ide.asalee@tilleuls.demo",
        "Nadia",
        "Pujol",
        "tilleuls",
        Role.PROFESSIONAL,
        Profession.ASALEE_NURSE,
    ),
    ("kine@tilleuls.demo", "Thomas", "Vidal", "tilleuls", Role.PROFESSIONAL, Profession.PHYSIO),
    (
        "pharmacie@tilleuls.demo",
        "Julie",
        "Mas",
        "tilleuls",
        Role.PROFESSIONAL,
        Profession.PHARMACIST,
    ),
    (
        "dieteticienne@tilleuls.demo",
        "Élodie",
        "Bonnet",
        "tilleuls",
        Role.PROFESSIONAL,
        Profession.DIETITIAN,
    ),
    ("bernard.partenaire@tilleuls.demo", "Bernard", "Estève", "tilleuls", Role.PARTNER, ""),
    ("yasmine.partenaire@tilleuls.demo", "Yasmine", "Saïdi", "tilleuls", Role.PARTNER, ""),
    ("usagers@tilleuls.demo", "Monique", "Carrière", "tilleuls", Role.USER_REP, ""),
    ("ide@vallee.demo", "Lucas", "Fournier", "vallee", Role.PROFESSIONAL, Profession.NURSE),
    ("paul.partenaire@vallee.demo", "Paul", "Lacombe", "vallee", Role.PARTNER, ""),
]


@dataclass
class Demo:
    structures: dict = field(default_factory=dict)
    networks: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)  # by email

    @cached_property
    def tilleuls(self):
        return self.structures["tilleuls"]

    @cached_property
    def vallee(self):
        return self.structures["vallee"]

    def user(self, email):
        return self.users[email]

    def members(self, slug, role):
        return [
            self.users[email]
            for email, *_rest in ACCOUNTS + EXTRA
            if _rest[2] == slug and _rest[3] == role
        ]


def _user(email, first, last):
    user, created = User.objects.get_or_create(
        email=email, defaults={"first_name": first, "last_name": last, "is_demo": True}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def load_core() -> Demo:
    demo = Demo()
    demo.structures["tilleuls"], _ = Structure.objects.get_or_create(
        slug="tilleuls",
        defaults=dict(
            name="MSP des Tilleuls",
            kind=Structure.Kind.MSP,
            region=Region.OCC,
            department="31",
            commune="Saint-Orens-de-Gameville",
            aci_signatory=True,
            health_project_year=2019,
            patient_count=5200,
            # Fictitious numbers with a valid key (FHIR Organization identifiers).
            finess=identifiers.with_key("31001234"),
            siret=identifiers.with_key("9990012340001"),
        ),
    )
    demo.structures["vallee"], _ = Structure.objects.get_or_create(
        slug="vallee",
        defaults=dict(
            name="Centre de santé de la Vallée",
            kind=Structure.Kind.HEALTH_CENTRE,
            region=Region.OCC,
            department="81",
            commune="Gaillac",
            aci_signatory=False,
            health_project_year=2022,
            patient_count=3100,
            finess=identifiers.with_key("81000456"),
        ),
    )
    network, _ = Network.objects.get_or_create(
        slug="occitanie", defaults={"name": "Réseau régional Occitanie", "region": Region.OCC}
    )
    demo.networks["occitanie"] = network
    for structure in demo.structures.values():
        NetworkAffiliation.objects.get_or_create(structure=structure, network=network)

    professionals = 0
    for email, first, last, slug, role, profession, _token in ACCOUNTS:
        user = _user(email, first, last)
        Membership.objects.get_or_create(
            user=user,
            structure=demo.structures[slug],
            role=role,
            defaults={"profession": profession},
        )
        demo.users[email] = user
    for email, first, last, slug, role, profession in EXTRA:
        user = _user(email, first, last)
        Membership.objects.get_or_create(
            user=user,
            structure=demo.structures[slug],
            role=role,
            defaults={"profession": profession},
        )
        demo.users[email] = user
    for user in demo.users.values():
        # Fictitious RPPS (valid key) for the demo's health professionals, as typed in their invitation.
        if user.memberships.filter(role=Role.PROFESSIONAL).exists():
            professionals += 1
            if not user.rpps:
                User.objects.filter(pk=user.pk).update(
                    rpps=identifiers.with_key(f"1999999{professionals:03d}")
                )
                user.refresh_from_db(fields=["rpps"])
    email, first, last, _slug, _token = FACILITATOR
    facilitator = _user(email, first, last)
    NetworkMembership.objects.get_or_create(user=facilitator, network=network)
    demo.users[email] = facilitator
    return demo


def load_demo() -> Demo:
    if settings.PRODUCTION or not settings.DEMO_MODE:
        raise RuntimeError("Demo data is loaded only in demo mode (BINOME_DEMO=true).")
    with scopes_disabled(), transaction.atomic():
        demo = load_core()
        for app, module in app_modules("demo"):
            if app != "binome.people":
                module.load(demo)
    return demo
