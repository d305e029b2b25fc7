"""Realistic French data at a chosen scale, fast (bulk inserts) and deterministic with a seed.

``generate(preset, structures=N, seed=S)`` creates N structures (slugs ``charge-00001-…``)
with their professionals, patient partners, missions, accompaniments (patients, separate
consents, contacts, key moments), involvement actions, surveys with answers, ideas and
time entries. Everything random comes from one ``random.Random(seed)`` (UUIDs and tokens
included), dates are relative to an anchor day, so two runs with the same seed and anchor
write the same rows. Rows are written with ``bulk_create`` in batches, each batch in one
transaction; a batch always holds whole accompaniments (patient, consents, accompaniment,
contacts) so an interrupted run never leaves an accompaniment without its consents.
"""

from __future__ import annotations

import math
import random
import uuid
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.text import slugify

from bench import frdata

SLUG_PREFIX = "charge-"
EMAIL_DOMAIN = "charge.binome.test"
# Every generated account has this password (hashed once); sessions are usually created directly.
BENCH_PASSWORD = "charge-binome-2026"


@dataclass(frozen=True)
class Preset:
    """Densities per structure, and the default number of structures."""

    structures: int
    professionals: int
    partners: int
    accompaniments: int
    contacts_per_accompaniment: float
    key_moments_per_accompaniment: float
    missions: int
    actions: int
    surveys: int
    responses: int  # per structure (about five answers each)
    ideas: int
    time_entries_per_partner: int
    user_reps: int = 2
    patient_accounts: int = 3


PRESETS = {
    # One large CPTS (issue 9: 500 partners, 20,000 accompaniments).
    "team": Preset(
        structures=1,
        professionals=150,
        partners=500,
        accompaniments=20_000,
        contacts_per_accompaniment=10,
        key_moments_per_accompaniment=2,
        missions=30,
        actions=40,
        surveys=4,
        responses=2_000,
        ideas=300,
        time_entries_per_partner=24,
    ),
    # 2,000 structures, 20,000 partners, 200,000 accompaniments, 2,000,000 contacts,
    # 1,000,000 survey answers (issue 9).
    "national": Preset(
        structures=2_000,
        professionals=15,
        partners=10,
        accompaniments=100,
        contacts_per_accompaniment=10,
        key_moments_per_accompaniment=1.5,
        missions=4,
        actions=12,
        surveys=2,
        responses=100,
        ideas=15,
        time_entries_per_partner=10,
    ),
}

PROFESSION_MIX = [
    ("gp", 30),
    ("nurse", 20),
    ("asalee", 5),
    ("physio", 12),
    ("pharmacist", 8),
    ("psychologist", 5),
    ("midwife", 4),
    ("dietitian", 4),
    ("apa", 3),
    ("mediator", 2),
    ("social", 3),
    ("doctor", 4),
]


@dataclass
class Report:
    """What was written, by model label."""

    counts: Counter = field(default_factory=Counter)
    structures: list = field(default_factory=list)  # slugs

    def add(self, label, n):
        self.counts[label] += n


class Writer:
    """Buffers unsaved objects per model and writes them in dependency order, in one
    transaction per flush (parents first, so children pick up their primary keys).

    The order is the order in which each model is first seen during the whole run (the
    generator always creates a parent before its children); it is never reset."""

    # Leaf tables (nothing points to them) written with executemany, skipping the ORM's
    # per-value preparation: they are most of the rows (contacts, answers, consents...).
    FAST = {
        "accompaniment.Contact",
        "accompaniment.Consent",
        "accompaniment.KeyMoment",
        "voice.Answer",
        "accompaniment.Accompaniment_designated_professionals",
        "partners.PartnerTag",
        "compensation.TimeEntry",
        "voice.Idea",
        "accompaniment.Patient",
        "accompaniment.Accompaniment",
        "voice.Response",
    }
    # Parents written the same way get their primary keys from the generator (next free id);
    # PostgreSQL's sequences are moved past them at the end (reset_sequences).
    ASSIGNED_IDS = {"accompaniment.Patient", "accompaniment.Accompaniment", "voice.Response"}

    def __init__(self, report: Report, batch_size: int = 2_000):
        self.buffers: dict = {}
        self.report = report
        self.batch_size = batch_size
        self.pending = 0
        self.plans: dict = {}
        self.next_ids: dict = {}

    def add(self, obj):
        self.buffers.setdefault(type(obj), []).append(obj)
        self.pending += 1

    def row(self, model, **values):
        """A row of a table of self.FAST, as a dict, without building a model instance."""
        if model._meta.label in self.ASSIGNED_IDS:
            if model not in self.next_ids:
                from django.db.models import Max

                self.next_ids[model] = (model._base_manager.aggregate(m=Max("id"))["m"] or 0) + 1
            values["id"] = self.next_ids[model]
            self.next_ids[model] += 1
        self.buffers.setdefault(model, []).append(values)
        self.pending += 1
        return values

    def reset_sequences(self):
        from django.core.management.color import no_style
        from django.db import connection

        statements = connection.ops.sequence_reset_sql(no_style(), list(self.next_ids))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    def flush(self):
        if not self.pending:
            return
        with transaction.atomic():
            for model, objs in self.buffers.items():
                if objs:
                    if model._meta.label in self.FAST:
                        self._fast_insert(model, objs)
                    else:
                        model._base_manager.bulk_create(objs, batch_size=self.batch_size)
                    self.report.add(model._meta.label, len(objs))
                    objs.clear()
        self.pending = 0

    def _plan(self, model):
        """(SQL, [(name, attname, is relation, default, converter)]) for one model, computed once."""
        import json

        from django.db import connection, models

        if model in self.plans:
            return self.plans[model]
        now = datetime.now(UTC)
        sqlite = connection.vendor == "sqlite"
        columns, getters = [], []
        for f in model._meta.concrete_fields:
            if (
                f.primary_key
                and isinstance(f, models.AutoField)
                and model._meta.label not in self.ASSIGNED_IDS
            ):
                continue
            default = f.get_default
            if isinstance(f, models.DateTimeField):
                if sqlite:
                    conv = lambda v: (  # noqa: E731
                        None if v is None else v.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
                    )
                else:
                    conv = lambda v: v  # noqa: E731
                if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                    default = lambda: now  # noqa: E731
            elif isinstance(f, models.UUIDField):
                conv = (lambda v: None if v is None else v.hex) if sqlite else (lambda v: v)
            elif isinstance(f, (models.DateField, models.TimeField, models.DecimalField)):
                conv = (lambda v: None if v is None else str(v)) if sqlite else (lambda v: v)
            elif isinstance(f, models.JSONField):
                conv = lambda v: json.dumps(v)  # noqa: E731
            else:
                conv = lambda v: v  # noqa: E731
            columns.append(connection.ops.quote_name(f.column))
            getters.append((f.name, f.attname, f.is_relation, default, conv))
        sql = (
            f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({', '.join(columns)}) "
            f"VALUES ({', '.join(['%s'] * len(columns))})"
        )
        self.plans[model] = (sql, getters)
        return self.plans[model]

    def _fast_insert(self, model, rows_in):
        from django.db import connection

        sql, getters = self._plan(model)
        rows = []
        for d in rows_in:
            row = []
            for name, attname, is_relation, default, conv in getters:
                if name in d:
                    value = d[name]
                    if is_relation and value is not None:
                        value = value["id"] if isinstance(value, dict) else value.pk
                elif attname in d:
                    value = d[attname]
                else:
                    value = default()
                row.append(conv(value))
            rows.append(row)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # COPY: the fastest way into PostgreSQL (psycopg 3 adapts each value).
                columns = sql[sql.index("(") + 1 : sql.index(")")]
                with cursor.cursor.copy(
                    f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
                ) as copy:
                    for row in rows:
                        copy.write_row(row)
                return
            for i in range(0, len(rows), self.batch_size * 5):
                cursor.executemany(sql, rows[i : i + self.batch_size * 5])


class Generator:
    def __init__(
        self, preset: Preset, *, seed: int, anchor: date, batch_size: int = 2_000, log=None
    ):
        self.p = preset
        self.rng = random.Random(seed)
        self.seed = seed
        self.anchor = anchor
        # Midnight UTC of the anchor day: every generated date is in the past.
        self.now = datetime.combine(anchor, time(0, 0), tzinfo=UTC)
        self.report = Report()
        self.w = Writer(self.report, batch_size)
        self.flush_every = max(batch_size * 5, 5_000)
        self.log = log or (lambda msg: None)
        self.password = make_password(BENCH_PASSWORD, salt=f"charge{seed}")
        self.email_n = 0

    # Random helpers ---------------------------------------------------------------------

    def uuid(self):
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def token(self, n=24):
        return f"{self.rng.getrandbits(4 * n):0{n}x}"

    def days_ago(self, lo, hi):
        return self.now - timedelta(days=self.rng.uniform(lo, hi))

    def person(self):
        female = self.rng.random() < 0.6
        first = self.rng.choice(frdata.FIRST_NAMES_F if female else frdata.FIRST_NAMES_M)
        return first, self.rng.choice(frdata.LAST_NAMES)

    def phone(self):
        return "0" + self.rng.choice("67") + "".join(str(self.rng.randrange(10)) for _ in range(8))

    def count(self, mean):
        """An integer with the given mean (floor or ceil), deterministic."""
        base = math.floor(mean)
        return base + (1 if self.rng.random() < mean - base else 0)

    # Entry point -------------------------------------------------------------------------

    def run(self, n_structures: int) -> Report:
        from binome.people.models import Network, Region

        regions = {code: str(label) for code, label in Region.choices}
        self.networks = {}
        for code in sorted({c[2] for c in frdata.COMMUNES}):
            slug = f"{SLUG_PREFIX}reseau-{code.lower()}"
            network = Network.objects.filter(slug=slug).first()
            if network is None:
                network = Network(
                    public_id=self.uuid(),
                    slug=slug,
                    name=f"Réseau régional {regions[code]}",
                    region=code,
                )
                self.w.add(network)
            self.networks[code] = network
        self._facilitators()
        self.w.flush()
        for i in range(1, n_structures + 1):
            self.structure(i)
            if self.w.pending >= self.flush_every:
                self.w.flush()
            if i % 50 == 0:
                self.log(f"{i}/{n_structures} structures")
        self.w.flush()
        self.w.reset_sequences()
        return self.report

    def _facilitators(self):
        from binome.people.models import NetworkMembership, User

        for code, network in self.networks.items():
            if network.pk and NetworkMembership.objects.filter(network=network).exists():
                continue
            first, last = self.person()
            user = User(
                public_id=self.uuid(),
                email=f"accompagnement.{code.lower()}@reseaux.{EMAIL_DOMAIN}",
                first_name=first,
                last_name=last,
                password=self.password,
                date_joined=self.now,
            )
            self.w.add(user)
            self.w.add(NetworkMembership(user=user, network=network))

    def user(self, slug, first, last):
        from binome.people.models import User

        self.email_n += 1
        local = f"{slugify(first)}.{slugify(last)}.{self.email_n}"
        return User(
            public_id=self.uuid(),
            email=f"{local}@{slug}.{EMAIL_DOMAIN}",
            first_name=first,
            last_name=last,
            phone=self.phone(),
            password=self.password,
            date_joined=self.days_ago(30, 1500),
        )

    def member(self, structure, role, profession=""):
        from binome.people.models import Membership

        first, last = self.person()
        user = self.user(structure.slug, first, last)
        self.w.add(user)
        m = Membership(
            public_id=self.uuid(), user=user, structure=structure, role=role, profession=profession
        )
        self.w.add(m)
        return m

    # One structure -------------------------------------------------------------------------

    def structure(self, i):
        from binome.people.models import NetworkAffiliation, Role, Structure

        p, rng = self.p, self.rng
        commune, dept, region = rng.choice(frdata.COMMUNES)
        if p.partners >= 200:
            kind = "cpts"
        else:
            kind = rng.choices(["msp", "cpts", "centre", "esp", "service"], [60, 15, 15, 7, 3])[0]
        name = rng.choice(frdata.STRUCTURE_NAMES[kind]).format(c=commune)
        slug = f"{SLUG_PREFIX}{i:05d}-{slugify(commune)}"[:60]
        structure = Structure(
            public_id=self.uuid(),
            slug=slug,
            name=name,
            kind=kind,
            region=region,
            department=dept,
            commune=commune,
            aci_signatory=rng.random() < 0.7,
            health_project_year=rng.randint(2012, 2025),
            patient_count=rng.randint(2_000, 60_000)
            if kind == "cpts"
            else rng.randint(1_500, 12_000),
        )
        self.w.add(structure)
        self.report.structures.append(slug)
        self.w.add(
            NetworkAffiliation(
                structure=structure,
                network=self.networks[region],
                opted_in_at=self.days_ago(30, 900),
            )
        )

        coordinator = self.member(structure, Role.COORDINATOR)
        professions = [code for code, weight in PROFESSION_MIX for _ in range(weight)]
        pros = [
            self.member(structure, Role.PROFESSIONAL, "gp" if k == 0 else rng.choice(professions))
            for k in range(p.professionals)
        ]
        for _ in range(p.user_reps):
            self.member(structure, Role.USER_REP)
        partners = self.partners(structure, pros, coordinator)
        missions = self.missions(structure, pros, partners, coordinator)
        self.w.flush()  # users, partners and missions before the large tables
        self.accompaniments(structure, pros, partners, coordinator)
        self.involvement(structure, coordinator)
        self.voice(structure, coordinator)
        self.time_entries(structure, partners, missions, coordinator)

    def partners(self, structure, pros, coordinator):
        from binome.partners.models import Partner, PartnerTag, PreferredStatus, Training
        from binome.people.models import Role

        rng = self.rng
        partners = []
        for k in range(self.p.partners):
            # Most of the pool is active; a few candidacies and paused or ended partners.
            status = (
                rng.choices(
                    ["active", "paused", "candidate", "met", "selected", "onboarded", "ended"],
                    [80, 5, 4, 3, 2, 3, 3],
                )[0]
                if k
                else "active"
            )
            has_account = status in ("active", "paused", "onboarded", "ended")
            membership = self.member(structure, Role.PARTNER) if has_account else None
            if membership is not None:
                first, last = membership.user.first_name, membership.user.last_name
                email = membership.user.email
            else:
                first, last = self.person()
                email = f"{slugify(first)}.{slugify(last)}@exemple.fr"
            submitted = self.days_ago(60, 1800)
            partner = Partner(
                public_id=self.uuid(),
                structure=structure,
                membership=membership,
                status=status,
                source=rng.choice(list(Partner.Source.values)),
                first_name=first,
                last_name=last,
                email=email,
                phone=self.phone(),
                commune=structure.commune,
                motivation=rng.choice(frdata.MOTIVATIONS),
                submitted_at=submitted,
                lived_experience=rng.choice(frdata.LIVED),
                association=rng.choice(frdata.ASSOCIATIONS),
                available_evening=rng.random() < 0.4,
                available_weekend=rng.random() < 0.2,
                hours_per_month=rng.choice([4, 6, 8, 10, 15, 20]),
                preferred_status=rng.choice(list(PreferredStatus.values)),
                share_lived_experience=rng.random() < 0.6,
                share_conditions=rng.random() < 0.7,
                max_active_accompaniments=rng.choice([2, 3, 3, 4, 5]),
                supervisor=rng.choice(pros) if pros else None,
                status_changed_at=submitted + timedelta(days=30),
            )
            self.w.add(partner)
            partners.append(partner)
            label, pathway = rng.choice(frdata.CONDITIONS)
            self.w.row(
                PartnerTag, partner=partner, kind="condition", value=slugify(label), label=label
            )
            self.w.row(
                PartnerTag,
                partner=partner,
                kind="skill",
                value=slugify(s := rng.choice(frdata.SKILLS)),
                label=s,
            )
            if rng.random() < 0.15:
                lang = rng.choice(frdata.LANGUAGES)
                self.w.row(
                    PartnerTag, partner=partner, kind="language", value=slugify(lang), label=lang
                )
            if has_account and rng.random() < 0.7:
                self.w.add(
                    Training(
                        public_id=self.uuid(),
                        partner=partner,
                        kind=Training.Kind.ETP_40H,
                        title="Formation à l'éducation thérapeutique (40 h)",
                        organisation="IREPS",
                        completed_on=(submitted + timedelta(days=90)).date(),
                        hours=40,
                    )
                )
        return partners

    def missions(self, structure, pros, partners, coordinator):
        from binome.missions.models import (
            CompensationPolicy,
            Mission,
            MissionAssignment,
            MissionProfessional,
            MissionVersion,
        )

        rng = self.rng
        self.w.add(
            CompensationPolicy(
                public_id=self.uuid(),
                structure=structure,
                mode="hourly",
                hourly_rate=Decimal("15.00"),
                mileage_rate=Decimal("0.320"),
                decided_on=(self.now - timedelta(days=400)).date(),
                decision_meeting="Assemblée générale",
                votes_for=rng.randint(10, 30),
                votes_against=0,
                votes_abstain=1,
            )
        )
        kinds = [k for k in Mission.Kind.values if k != "other"]
        missions = []
        # Peer accompaniment missions of at most 50 places (missions enforce their places):
        # a large pool gets several groups; every partner with an account is in one.
        members = [x for x in partners if x.membership is not None]
        groups = [members[i : i + 50] for i in range(0, len(members), 50)] or [[]]
        for k in range(max(self.p.missions, len(groups))):
            peer_group = k < len(groups)
            kind = "peer_accompaniment" if peer_group else rng.choice(kinds)
            if peer_group:
                title = f"{Mission.Kind(kind).label} — {structure.commune}" + (
                    f" (groupe {k + 1})" if len(groups) > 1 else ""
                )
            else:
                title = f"{Mission.Kind(kind).label} n° {k + 1}"
            text = f"Mission « {title} » : objectif, activités et limites négociés avec le patient partenaire."
            mission = Mission(
                public_id=self.uuid(),
                structure=structure,
                title=title,
                kind=kind,
                status="active",
                objective="Rompre l'isolement des patients au moment des étapes difficiles du parcours.",
                activities="Appels, rencontres, accompagnement aux moments clés.",
                excluded_activities="Aucun conseil médical ; aucune information sur les traitements.",
                estimated_hours_per_month=rng.choice([4, 8, 12]),
                starts_on=(self.now - timedelta(days=500)).date(),
                places=max(1, len(groups[k])) if peer_group else rng.randint(1, 5),
                version_number=1,
                created_by=coordinator.user,
                activated_at=self.now - timedelta(days=480),
            )
            self.w.add(mission)
            missions.append(mission)
            self.w.add(
                MissionVersion(
                    public_id=self.uuid(),
                    mission=mission,
                    number=1,
                    snapshot={"text": text},
                    text=text,
                    author=coordinator.user,
                    created_at=self.now - timedelta(days=490),
                )
            )
            for pro in rng.sample(pros, min(2, len(pros))):
                self.w.add(MissionProfessional(mission=mission, membership=pro))
        self.mission_of = {}
        for mission, group in zip(missions, groups, strict=False):
            for partner in group:
                self.mission_of[id(partner)] = mission
                self.w.add(
                    MissionAssignment(
                        public_id=self.uuid(),
                        mission=mission,
                        partner=partner,
                        assigned_by=coordinator.user,
                        assigned_at=partner.submitted_at + timedelta(days=60),
                    )
                )
        return missions

    # Accompaniments: the large tables --------------------------------------------------------

    def accompaniments(self, structure, pros, partners, coordinator):
        from binome.accompaniment import consent_text
        from binome.accompaniment.models import (
            Accompaniment,
            Consent,
            ConsentPurpose,
            Contact,
            KeyMoment,
            Pathway,
            Patient,
        )
        from binome.people.models import Membership, Role

        rng, p = self.rng, self.p
        active_partners = [x for x in partners if x.status == "active" and x.membership is not None]
        if not active_partners or not pros:
            return
        load = Counter()
        referrers = [
            m for m in pros if m.profession in ("gp", "nurse", "asalee", "doctor", "pharmacist")
        ] or pros
        pathways = list(Pathway.values)
        patient_accounts = p.patient_accounts
        Designated = Accompaniment.designated_professionals.through
        for n in range(p.accompaniments):
            partner = active_partners[n % len(active_partners)]
            # A partner has at most max-1 open accompaniments so that referrals stay possible.
            open_ = (
                load[id(partner)] < partner.max_active_accompaniments - 1 and rng.random() < 0.15
            )
            referred_at = self.days_ago(0.2, 40) if open_ else self.days_ago(45, 1500)
            first, last = self.person()
            patient = self.w.row(
                Patient,
                public_id=self.uuid(),
                structure=structure,
                first_name=first,
                last_name=last[:1] if rng.random() < 0.3 else last,
                phone=self.phone(),
                pathway=rng.choice(pathways),
                created_by=None,
            )
            if n < patient_accounts:
                user = self.user(structure.slug, first, last)
                self.w.add(user)
                self.w.add(
                    Membership(
                        public_id=self.uuid(), user=user, structure=structure, role=Role.PATIENT
                    )
                )
                patient["user"] = user
            referrer = rng.choice(referrers)
            patient["created_by"] = referrer.user
            method = rng.choice(["signed_form", "signed_form", "oral"])
            purposes = list(consent_text.REQUIRED)
            if rng.random() < 0.7:
                purposes.append(ConsentPurpose.SHARE_SUMMARIES)
            if rng.random() < 0.1:
                purposes.append(ConsentPurpose.JOINT_CONSULTATION)
            for purpose in purposes:
                self.w.row(
                    Consent,
                    public_id=self.uuid(),
                    patient=patient,
                    purpose=purpose,
                    text_version=consent_text.VERSION,
                    method=method,
                    recorded_by=referrer.user,
                    given_at=referred_at,
                )
            due = referred_at + timedelta(hours=structure.first_contact_deadline_hours)
            if open_:
                load[id(partner)] += 1
                contacted = rng.random() < 0.8
                status = "active" if contacted else "referred"
                first_contact = (
                    referred_at + timedelta(hours=rng.uniform(2, 60)) if contacted else None
                )
                if first_contact and first_contact > self.now:
                    first_contact = self.now - timedelta(minutes=5)
                ended = None
            else:
                status = "ended"
                first_contact = referred_at + timedelta(hours=rng.uniform(2, 96))
                ended = first_contact + timedelta(days=rng.uniform(20, 300))
                ended = min(ended, self.now - timedelta(days=1))
            acc = self.w.row(
                Accompaniment,
                public_id=self.uuid(),
                structure=structure,
                patient=patient,
                partner=partner,
                referred_by=referrer,
                notes_for_partner="Préfère être appelé·e en fin de matinée."
                if rng.random() < 0.4
                else "",
                status=status,
                referred_at=referred_at,
                first_contact_due_at=due,
                first_contact_at=first_contact,
                ended_at=ended,
                ended_by_role="team" if ended else "",
                end_reason=rng.choice(["goal_reached", "goal_reached", "patient_wish", "no_answer"])
                if ended
                else "",
                submission_token=self.token(),
            )
            if rng.random() < 0.5:
                others = [m for m in pros if m is not referrer]
                if others:
                    self.w.row(Designated, accompaniment=acc, membership=rng.choice(others))
            if first_contact is not None:
                until = ended or self.now
                n_contacts = max(1, self.count(p.contacts_per_accompaniment))
                span = (until - first_contact).total_seconds()
                for c in range(n_contacts):
                    at = (
                        first_contact
                        if c == 0
                        else first_contact + timedelta(seconds=rng.uniform(0, span))
                    )
                    self.w.row(
                        Contact,
                        public_id=self.uuid(),
                        accompaniment=acc,
                        occurred_at=at,
                        channel=rng.choice(["phone", "phone", "phone", "sms", "visit", "video"]),
                        place=rng.choice(["remote", "remote", "structure", "outside"]),
                        duration_minutes=rng.choice([10, 15, 20, 30, 45, 60, 90]),
                        private_notes=rng.choice(frdata.CONTACT_NOTES),
                        summary_to_share=rng.choice(frdata.SUMMARIES)
                        if ConsentPurpose.SHARE_SUMMARIES in purposes
                        else "",
                        created_by=partner.membership.user,
                        submission_token=self.token(),
                    )
            for _ in range(self.count(p.key_moments_per_accompaniment)):
                when = referred_at + timedelta(days=rng.uniform(1, 200))
                self.w.row(
                    KeyMoment,
                    public_id=self.uuid(),
                    accompaniment=acc,
                    kind=rng.choice(list(KeyMoment.Kind.values)),
                    date=when.date(),
                    time=time(rng.randint(8, 17), rng.choice([0, 15, 30, 45])),
                    wants_support=rng.random() < 0.7,
                    created_by=partner.membership.user,
                )
            if self.w.pending >= self.flush_every:
                self.w.flush()

    # Users' voice and involvement ----------------------------------------------------------

    def involvement(self, structure, coordinator):
        from binome.involvement.models import KIND_DEFAULTS, InvolvementAction

        rng = self.rng
        kinds = list(frdata.ACTION_TITLES)
        for k in range(self.p.actions):
            kind = kinds[k % len(kinds)]
            level, aci = KIND_DEFAULTS[kind]
            start = (self.now - timedelta(days=rng.uniform(0, 1100))).date()
            end = start + timedelta(days=rng.randint(1, 300)) if rng.random() < 0.5 else None
            self.w.add(
                InvolvementAction(
                    public_id=self.uuid(),
                    structure=structure,
                    kind=kind,
                    title=frdata.ACTION_TITLES[kind],
                    level=level,
                    aci_level=aci,
                    start_date=start,
                    end_date=end,
                    professions=rng.sample(["gp", "nurse", "physio", "pharmacist"], 2),
                    users_count=rng.randint(0, 60),
                    description="Action menée avec les usagers de la structure.",
                    created_by=coordinator.user,
                )
            )

    def voice(self, structure, coordinator):
        from binome.voice.models import Answer, Idea, IdeaBox, Question, Response, Section, Survey

        rng, p = self.rng, self.p
        surveys = []
        for k in range(p.surveys):
            year = self.anchor.year - k
            survey = Survey(
                public_id=self.uuid(),
                structure=structure,
                title=f"Enquête de satisfaction {year}",
                intro="Votre avis nous aide à améliorer l'accueil et les soins.",
                state="published" if k == 0 else "closed",
                public_token=self.token(12),
                published_at=self.now - timedelta(days=365 * k + 30),
                closed_at=None if k == 0 else self.now - timedelta(days=365 * k),
                created_by=coordinator.user,
            )
            self.w.add(survey)
            section = Section(survey=survey, title="Votre accueil", position=0)
            self.w.add(section)
            questions = [
                Question(
                    public_id=self.uuid(),
                    survey=survey,
                    section=section,
                    kind="scale",
                    position=0,
                    required=True,
                    label="Êtes-vous satisfait·e de l'accueil au secrétariat ?",
                ),
                Question(
                    public_id=self.uuid(),
                    survey=survey,
                    section=section,
                    kind="scale",
                    position=1,
                    label="Obtenez-vous un rendez-vous dans un délai raisonnable ?",
                ),
                Question(
                    public_id=self.uuid(),
                    survey=survey,
                    section=section,
                    kind="single",
                    position=2,
                    label="Comment êtes-vous venu·e aujourd'hui ?",
                    choices=["À pied", "En voiture", "En bus", "Autre"],
                ),
                Question(
                    public_id=self.uuid(),
                    survey=survey,
                    section=section,
                    kind="multiple",
                    position=3,
                    label="Quels ateliers vous intéressent ?",
                    choices=["Nutrition", "Activité physique", "Sommeil", "Stress"],
                ),
                Question(
                    public_id=self.uuid(),
                    survey=survey,
                    section=section,
                    kind="text",
                    position=4,
                    label="Une remarque, une suggestion ?",
                ),
            ]
            for q in questions:
                self.w.add(q)
            surveys.append((survey, questions))
        for r in range(p.responses if surveys else 0):
            survey, (q1, q2, q3, q4, q5) = surveys[r % len(surveys)]
            paper = rng.random() < 0.2
            response = self.w.row(
                Response,
                public_id=self.uuid(),
                survey=survey,
                structure=structure,
                channel="paper" if paper else "online",
                submission_token=self.token(),
                entered_by=coordinator.user if paper else None,
            )
            self.w.row(
                Answer,
                response=response,
                question=q1,
                value=rng.choices([1, 2, 3, 4, 5], [3, 5, 15, 40, 37])[0],
            )
            self.w.row(
                Answer,
                response=response,
                question=q2,
                value=rng.choices([1, 2, 3, 4, 5], [10, 20, 30, 25, 15])[0],
            )
            self.w.row(Answer, response=response, question=q3, value=rng.randrange(4))
            # A multiple choice stores one row per ticked choice; a comment one time in two.
            ticked = rng.sample(range(4), 1 if rng.random() < 0.5 else 2)
            for value in ticked:
                self.w.row(Answer, response=response, question=q4, value=value)
            if len(ticked) == 1:
                self.w.row(
                    Answer, response=response, question=q5, text=rng.choice(frdata.SURVEY_COMMENTS)
                )
        self.w.add(
            IdeaBox(
                structure=structure, intro="Déposez vos idées pour améliorer la maison de santé."
            )
        )
        for _ in range(p.ideas):
            status = rng.choices(
                ["received", "under_study", "accepted", "declined", "done"], [40, 20, 15, 10, 15]
            )[0]
            self.w.row(
                Idea,
                public_id=self.uuid(),
                structure=structure,
                text=rng.choice(frdata.IDEAS),
                moderation="pending" if status == "received" else "published",
                submission_token=self.token(),
                status=status,
                decline_reason="Pas réalisable dans nos locaux actuels."
                if status == "declined"
                else "",
                public_answer="Merci, l'équipe en discute à la prochaine réunion."
                if status != "received"
                else "",
            )

    def time_entries(self, structure, partners, missions, coordinator):
        from binome.compensation.models import TimeEntry

        rng = self.rng
        if not missions:
            return
        for partner in partners:
            if partner.membership is None or partner.status not in ("active", "paused"):
                continue
            peer = self.mission_of[id(partner)]
            for _ in range(self.p.time_entries_per_partner):
                minutes = rng.choice([30, 45, 60, 90, 120, 180])
                status = rng.choices(["approved", "submitted", "returned"], [75, 20, 5])[0]
                self.w.row(
                    TimeEntry,
                    public_id=self.uuid(),
                    structure=structure,
                    partner=partner,
                    mission=peer,
                    date=(self.now - timedelta(days=rng.uniform(0, 365))).date(),
                    status=status,
                    amount=(Decimal(minutes) / 60 * Decimal("15.00")).quantize(Decimal("0.01")),
                    policy_mode="hourly",
                    reviewed_by=coordinator.user if status != "submitted" else None,
                    reviewed_at=self.now - timedelta(days=1) if status != "submitted" else None,
                    duration_minutes=minutes,
                    activity=rng.choice(
                        ["accompaniment", "accompaniment", "meeting", "preparation", "travel"]
                    ),
                    note="Échanges de la semaine" if rng.random() < 0.3 else "",
                )


def generate(
    preset: str | Preset = "team",
    *,
    structures: int | None = None,
    seed: int = 1,
    anchor: date | None = None,
    contacts_per_accompaniment: float | None = None,
    batch_size: int = 2_000,
    log=None,
    **overrides,
) -> Report:
    """Write the data set; returns what was written. Refuses when generated data already exists."""
    from django.utils import timezone

    from binome.people.models import Structure
    from binome.people.scoping import scopes_disabled

    base = PRESETS[preset] if isinstance(preset, str) else preset
    if contacts_per_accompaniment is not None:
        overrides["contacts_per_accompaniment"] = contacts_per_accompaniment
    chosen = replace(base, **overrides)
    n = structures if structures is not None else chosen.structures
    if Structure.objects.filter(slug__startswith=SLUG_PREFIX).exists():
        raise ValueError(
            "Des données de charge existent déjà dans cette base : utilisez une base neuve."
        )
    anchor = anchor or timezone.now().date()
    with scopes_disabled():
        return Generator(chosen, seed=seed, anchor=anchor, batch_size=batch_size, log=log).run(n)
