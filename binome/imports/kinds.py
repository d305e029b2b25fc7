"""What a team can bring from its spreadsheets, one kind per table (issue 15).

Each kind names its French columns and turns one row into the domain's objects through the
domain's own services and forms, so an imported row meets the same rules as a page: the
team's recruitment gates, the consents a referral needs, the identifiers' checks.
A row raises ``ValidationError`` with French messages, or ``AlreadyImported`` when the same
row was imported before (its key is kept on the object it created).
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from binome.imports.reading import normalise_header, parse_choice, parse_date, parse_int, parse_list
from binome.people.models import Membership, Role


class AlreadyImported(Exception):
    def __init__(self, target):
        self.target = target


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    required: bool = False
    help: str = ""
    example: str = ""
    aliases: tuple = ()

    def names(self):
        return {
            normalise_header(self.label),
            normalise_header(self.key),
            *(normalise_header(a) for a in self.aliases),
        }


@dataclass
class Kind:
    slug: str
    title: str
    description: str
    columns: list
    handler: object  # (context, values) -> created object
    label: object  # values -> a short name for the preview ("Martine C.")
    prepare: object = None  # (context) -> None, caches for the rows
    notes: list = field(default_factory=list)
    # Headers beyond the declared columns are kept, as "q:<header>" (a survey's questions).
    open_columns: bool = False
    extra_examples: list = field(default_factory=list)  # (header, example) for the template

    def column(self, key):
        return next(c for c in self.columns if c.key == key)


class Context:
    """What every row of one import shares: the structure, who imports, caches."""

    def __init__(self, structure, actor):
        self.structure, self.actor = structure, actor
        self.seen = {}


def _required(values, kind, key):
    value = (values.get(key) or "").strip()
    if not value:
        raise ValidationError(
            _("%(col)s : cette colonne est obligatoire.") % {"col": kind.column(key).label}
        )
    return value


def _short_name(first, last):
    first, last = (first or "").strip(), (last or "").strip()
    return f"{first} {last[:1]}.".strip() if last else first


def _errors(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [str(m) for messages in exc.message_dict.values() for m in messages]
    return [str(m) for m in exc.messages]


# Partners -----------------------------------------------------------------------------------

PARTNER_COLUMNS = [
    Column("first_name", "Prénom", required=True, example="Martine"),
    Column("last_name", "Nom", example="Cazals"),
    Column(
        "email",
        "E-mail",
        example="martine.cazals@exemple.fr",
        aliases=("adresse e-mail", "mail", "courriel"),
    ),
    Column("phone", "Téléphone", example="06 12 34 56 78", aliases=("tel", "portable")),
    Column("commune", "Commune", example="Toulouse", aliases=("ville",)),
    Column(
        "status",
        "Étape",
        example="Rencontré·e",
        help=gettext_lazy(
            "Candidature reçue (par défaut), Rencontré·e, Retenu·e, En intégration, Actif·ve, En pause : "
            "les étapes de l'équipe s'appliquent comme sur la page."
        ),
        aliases=("statut", "etape du parcours"),
    ),
    Column(
        "met_on",
        gettext_lazy("Rencontré·e le"),
        example="15/09/2026",
        help=gettext_lazy("date de la rencontre avec l'équipe"),
        aliases=(gettext_lazy("rencontre le"), "date de rencontre"),
    ),
    Column(
        "max_active_accompaniments",
        gettext_lazy("Accompagnements en même temps (max.)"),
        example="3",
        aliases=("nombre maximal d accompagnements", "accompagnements max"),
    ),
    Column(
        "lived_experience",
        gettext_lazy("Expérience vécue"),
        example=gettext_lazy("Cancer du sein en 2019, chimiothérapie."),
    ),
    Column("availability", "Disponibilités", example=gettext_lazy("Le mardi après-midi")),
    Column(
        "languages",
        "Langues",
        example=gettext_lazy("français, occitan"),
        help=gettext_lazy("séparées par des virgules"),
    ),
    Column(
        "conditions",
        "Pathologies ou parcours",
        example="cancer du sein",
        help=gettext_lazy("séparés par des virgules"),
    ),
    Column(
        "limits",
        "Limites",
        example="fin de vie",
        help=gettext_lazy("ce que la personne ne souhaite pas affronter"),
    ),
    Column(
        "training_title",
        "Formation",
        example="Formation de base patient partenaire",
        aliases=("formation suivie",),
    ),
    Column("training_on", "Formation : date", example="01/10/2026", aliases=("date de formation",)),
    Column("training_hours", "Formation : heures", example="14", aliases=("heures de formation",)),
    Column("team_notes", gettext_lazy("Notes de l'équipe"), example="", aliases=("notes",)),
]


def _partner_label(values):
    return _short_name(values.get("first_name"), values.get("last_name"))


def _prepare_partners(ctx):
    from binome.partners.models import Partner

    ctx.emails = {
        e.lower()
        for e in Partner.objects.filter(structure=ctx.structure)
        .exclude(email="")
        .values_list("email", flat=True)
    }


def import_partner(ctx, values, token):
    from binome.partners import services
    from binome.partners.models import Partner, PartnerTag

    existing = (
        Partner.objects.filter(structure=ctx.structure, submission_token=token).order_by().first()
    )
    if existing:
        raise AlreadyImported(existing)
    kind = KINDS["partenaires"]
    _required(values, kind, "first_name")
    status = parse_choice(
        values.get("status"),
        Partner.Status.choices,
        kind.column("status").label,
        default=Partner.Status.CANDIDATE,
    )
    if status == Partner.Status.ENDED:
        raise ValidationError(
            _("Étape : un parcours terminé ne s'importe pas ; gardez-le dans votre tableur.")
        )
    met_on = parse_date(values.get("met_on"), kind.column("met_on").label)
    training_on = parse_date(values.get("training_on"), kind.column("training_on").label)
    hours = parse_int(values.get("training_hours"), kind.column("training_hours").label, high=2000)
    email = (values.get("email") or "").strip()
    if email and email.lower() in ctx.seen:
        raise ValidationError(
            _("Doublon dans le fichier : la ligne %(n)s a la même adresse e-mail.")
            % {"n": ctx.seen[email.lower()]}
        )
    if email and email.lower() in ctx.emails:
        raise ValidationError(
            _("Doublon : un patient partenaire de l'équipe a déjà l'adresse %(e)s.") % {"e": email}
        )
    data = {
        key: values.get(key, "")
        for key in ("first_name", "last_name", "email", "phone", "commune", "team_notes")
    }
    maximum = values.get("max_active_accompaniments", "").strip()
    if maximum:
        data["max_active_accompaniments"] = maximum
    partner = services.create_team_partner(
        ctx.structure,
        data,
        actor=ctx.actor,
        submission_token=token,
        lived_experience=values.get("lived_experience", "").strip(),
        availability=values.get("availability", "").strip(),
    )
    for tag_kind, key in (
        (PartnerTag.Kind.LANGUAGE, "languages"),
        (PartnerTag.Kind.CONDITION, "conditions"),
        (PartnerTag.Kind.LIMIT, "limits"),
    ):
        if values.get(key):
            services.set_tags(partner, tag_kind, parse_list(values[key]))
    if values.get("training_title", "").strip():
        services.add_training(
            partner,
            actor=ctx.actor,
            title=values["training_title"].strip()[:200],
            completed_on=training_on,
            hours=hours,
        )
    if met_on:
        services.add_meeting_note(
            partner,
            actor=ctx.actor,
            met_on=met_on,
            notes=_("Rencontre notée dans le tableur de l'équipe, reprise à l'import."),
        )
    path = ["met", "selected", "onboarded", "active", "paused"]
    target = path.index(status) + 1 if status in path else 0
    for step in path[:target]:
        services.decide(
            partner, to_status=step, reason=_("Reprise du tableur de l'équipe"), actor=ctx.actor
        )
    if email:
        ctx.emails.add(email.lower())
        ctx.seen[email.lower()] = ctx.line
    return partner


# Accompaniments -----------------------------------------------------------------------------

ACCOMPANIMENT_COLUMNS = [
    Column(
        "first_name",
        gettext_lazy("Prénom du patient"),
        required=True,
        example="Jeanne",
        aliases=("prenom",),
    ),
    Column(
        "last_name",
        "Nom du patient",
        example="D",
        help=gettext_lazy("le nom ou son initiale"),
        aliases=("nom",),
    ),
    Column(
        "phone",
        gettext_lazy("Téléphone du patient"),
        example="06 98 76 54 32",
        aliases=("telephone",),
    ),
    Column("email", "E-mail du patient", example="", aliases=("e mail", "courriel")),
    Column("pathway", "Parcours", example="Cancer"),
    Column(
        "partner",
        "Patient partenaire",
        required=True,
        example="martine.cazals@exemple.fr",
        help=gettext_lazy("son adresse e-mail, ou son prénom et son nom comme dans Binôme"),
    ),
    Column(
        "referrer",
        gettext_lazy("Orienté par"),
        required=True,
        example="medecin@exemple.fr",
        help=gettext_lazy("l'adresse e-mail du professionnel de l'équipe qui a orienté le patient"),
        aliases=("oriente par e mail",),
    ),
    Column(
        "referred_on",
        gettext_lazy("Orienté le"),
        required=True,
        example="02/09/2026",
        aliases=("date d orientation",),
    ),
    Column(
        "consent_contact",
        gettext_lazy("Accord pour être contacté (date)"),
        required=True,
        example="02/09/2026",
        help=gettext_lazy("date du formulaire papier signé"),
        aliases=("consentement contact",),
    ),
    Column(
        "consent_details",
        gettext_lazy("Accord pour transmettre ses coordonnées (date)"),
        required=True,
        example="02/09/2026",
        aliases=("consentement coordonnees",),
    ),
    Column(
        "consent_summaries",
        gettext_lazy("Accord pour partager un résumé avec l'équipe (date)"),
        example="",
        aliases=("consentement resume",),
    ),
    Column(
        "consent_joint",
        gettext_lazy("Accord pour une consultation commune (date)"),
        example="",
        aliases=("consentement consultation commune",),
    ),
    Column(
        "consent_by",
        "Accords recueillis par",
        example="medecin@exemple.fr",
        help=gettext_lazy("adresse e-mail du membre de l'équipe ; par défaut, qui a orienté"),
    ),
    Column(
        "contacts",
        "Contacts (dates)",
        example="05/09/2026; 19/09/2026",
        help=gettext_lazy("les dates des échanges déjà eus, séparées par des points-virgules"),
        aliases=("contacts", gettext_lazy("historique des contacts")),
    ),
    Column(
        "ended_on", gettext_lazy("Terminé le"), example="", help="vide si l'accompagnement continue"
    ),
    Column(
        "end_reason",
        "Motif de fin",
        example="",
        help=gettext_lazy(
            "Fin du parcours, objectifs atteints ; Le patient ne souhaite plus être accompagné…"
        ),
    ),
]


def _accompaniment_label(values):
    return _short_name(values.get("first_name"), values.get("last_name"))


def _prepare_accompaniments(ctx):
    from binome.accompaniment.models import Accompaniment
    from binome.partners.models import Partner

    partners = list(
        Partner.objects.filter(structure=ctx.structure).exclude(status=Partner.Status.ENDED)
    )
    ctx.partners = {}
    for p in partners:
        if p.email:
            ctx.partners.setdefault(p.email.lower(), p)
        ctx.partners.setdefault(normalise_header(f"{p.first_name} {p.last_name}"), p)
    members = Membership.objects.active().filter(structure=ctx.structure).select_related("user")
    ctx.members = {m.user.email.lower(): m for m in members}
    # One read for the whole file rather than two per row (5,000 rows in well under a minute).
    accompaniments = Accompaniment.objects.filter(structure=ctx.structure).order_by()
    ctx.tokens = dict(
        accompaniments.exclude(submission_token="").values_list("submission_token", "pk")
    )
    ctx.followed = {
        (normalise_header(first), normalise_header(last), phone, email.lower(), partner)
        for first, last, phone, email, partner in accompaniments.filter(
            ended_at__isnull=True
        ).values_list(
            "patient__first_name",
            "patient__last_name",
            "patient__phone",
            "patient__email",
            "partner_id",
        )
    }


def _member(ctx, email, label, *, professional=False):
    member = ctx.members.get((email or "").strip().lower())
    if member is None or (professional and member.role != Role.PROFESSIONAL):
        what = _("un professionnel de l'équipe") if professional else _("un membre de l'équipe")
        raise ValidationError(
            _("%(col)s : « %(v)s » n'est pas %(what)s dans Binôme.")
            % {"col": label, "v": email[:80], "what": what}
        )
    return member


def import_accompaniment(ctx, values, token):
    from binome.accompaniment import services
    from binome.accompaniment.models import Accompaniment, ConsentPurpose, Pathway
    from binome.core.validators import normalize_french_phone

    if token in ctx.tokens:
        raise AlreadyImported(Accompaniment.objects.get(pk=ctx.tokens[token]))
    kind = KINDS["accompagnements"]
    col = lambda key: kind.column(key).label  # noqa: E731
    errors = []

    def check(fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except ValidationError as exc:
            errors.extend(_errors(exc))

    check(_required, values, kind, "first_name")
    partner = None
    wanted = check(_required, values, kind, "partner")
    if wanted:
        partner = ctx.partners.get(wanted.lower()) or ctx.partners.get(normalise_header(wanted))
        if partner is None:
            errors.append(
                _("%(col)s : « %(v)s » n'est pas un patient partenaire de l'équipe.")
                % {"col": col("partner"), "v": wanted[:80]}
            )
    referrer = check(_member, ctx, values.get("referrer", ""), col("referrer"), professional=True)
    referred_on = check(parse_date, values.get("referred_on"), col("referred_on"))
    if referred_on is None and not any(col("referred_on") in e for e in errors):
        errors.append(_("%(col)s : cette colonne est obligatoire.") % {"col": col("referred_on")})
    consents = {}
    for key, purpose in (
        ("consent_contact", ConsentPurpose.CONTACT_BY_PARTNER),
        ("consent_details", ConsentPurpose.SHARE_CONTACT_DETAILS),
        ("consent_summaries", ConsentPurpose.SHARE_SUMMARIES),
        ("consent_joint", ConsentPurpose.JOINT_CONSULTATION),
    ):
        day = check(parse_date, values.get(key), col(key))
        if day:
            consents[purpose] = day
    if (
        not {ConsentPurpose.CONTACT_BY_PARTNER, ConsentPurpose.SHARE_CONTACT_DETAILS}
        <= consents.keys()
    ):
        errors.append(
            _(
                "Consentement manquant : sans la date de l'accord pour être contacté et pour transmettre ses "
                "coordonnées, l'accompagnement ne peut pas être repris."
            )
        )
    recorded_by = referrer.user if referrer else None
    if values.get("consent_by", "").strip():
        member = check(_member, ctx, values["consent_by"], col("consent_by"))
        recorded_by = member.user if member else recorded_by
    contact_dates = [
        check(parse_date, text, col("contacts"))
        for text in parse_list(values.get("contacts", "").replace(",", ";"))
    ]
    ended_on = check(parse_date, values.get("ended_on"), col("ended_on"))
    end_reason = check(
        parse_choice,
        values.get("end_reason"),
        Accompaniment.EndReason.choices,
        col("end_reason"),
        default="",
    )
    pathway = check(
        parse_choice, values.get("pathway"), Pathway.choices, col("pathway"), default=Pathway.OTHER
    )
    phone = check(normalize_french_phone, values.get("phone", "").strip()) or ""
    email = values.get("email", "").strip()
    if email:
        from django.core.validators import validate_email

        try:
            validate_email(email)
        except ValidationError:
            errors.append(
                _("%(col)s : « %(v)s » n'est pas une adresse e-mail.")
                % {"col": col("email"), "v": email[:80]}
            )
    if not phone and not email:
        errors.append(_("Indiquez au moins un téléphone ou une adresse e-mail du patient."))
    if referred_on and ended_on and ended_on < referred_on:
        errors.append(_("%(a)s : la fin est avant l'orientation.") % {"a": col("ended_on")})
    if referred_on and any(d and d < referred_on for d in contact_dates):
        errors.append(
            _("%(a)s : un contact est daté d'avant l'orientation.") % {"a": col("contacts")}
        )
    if partner and referred_on and not errors:
        key = (
            normalise_header(values["first_name"]),
            normalise_header(values.get("last_name")),
            phone,
            email.lower(),
            partner.pk,
        )
        if key in ctx.seen:
            errors.append(
                _("Doublon dans le fichier : la ligne %(n)s décrit le même accompagnement.")
                % {"n": ctx.seen[key]}
            )
        elif key in ctx.followed:
            errors.append(
                _("Doublon : ce patient est déjà accompagné par %(p)s dans Binôme.")
                % {"p": partner.full_name}
            )
    if errors:
        raise ValidationError(errors)
    patient_data = {
        "first_name": values["first_name"].strip()[:150],
        "last_name": values.get("last_name", "").strip()[:150],
        "phone": phone,
        "email": email,
        "pathway": pathway,
    }
    acc = services.import_accompaniment(
        structure=ctx.structure,
        referrer=referrer,
        partner=partner,
        patient_data=patient_data,
        consents=consents,
        recorded_by=recorded_by,
        referred_on=referred_on,
        contact_dates=[d for d in contact_dates if d],
        ended_on=ended_on,
        end_reason=end_reason,
        submission_token=token,
        actor=ctx.actor,
    )
    ctx.seen[key] = ctx.line
    ctx.tokens[token] = acc.pk
    return acc


# Involvement actions -------------------------------------------------------------------------

ACTION_COLUMNS = [
    Column(
        "kind",
        "Type d'action",
        required=True,
        example=gettext_lazy("Enquête de satisfaction"),
        help=gettext_lazy(
            "Affiches et dépliants, Enquête de satisfaction, Comité des usagers, Groupe de travail avec des usagers…"
        ),
        aliases=("type",),
    ),
    Column(
        "title",
        "Intitulé",
        required=True,
        example=gettext_lazy("Enquête de satisfaction 2025"),
        aliases=("titre", "action"),
    ),
    Column(
        "start_date",
        gettext_lazy("Date de début"),
        required=True,
        example="15/03/2025",
        aliases=("date",),
    ),
    Column("end_date", "Date de fin", example="30/04/2025"),
    Column(
        "aci_level",
        "Niveau ACI",
        example="1",
        help=gettext_lazy("1 ou 2 ; vide : selon le type d'action"),
    ),
    Column(
        "level",
        gettext_lazy("Niveau sur le continuum"),
        example="",
        help="Information, Consultation, Collaboration, Partenariat",
    ),
    Column(
        "users_count",
        gettext_lazy("Nombre d'usagers impliqués"),
        example="120",
        aliases=("usagers", "nombre d'usagers"),
    ),
    Column("description", "Description", example="Questionnaire papier en salle d'attente."),
]


def _action_label(values):
    return (values.get("title") or "").strip()[:60]


def import_action(ctx, values, token):
    """An action of the team's register, validated by the page's form; its evidence is added
    on the action afterwards, and a level that needs some is listed "à compléter" until then."""
    from binome.involvement import services
    from binome.involvement.forms import ActionForm
    from binome.involvement.models import AciLevel, ActionKind, InvolvementAction, Level

    existing = (
        InvolvementAction.objects.filter(structure=ctx.structure, source=token).order_by().first()
    )
    if existing:
        raise AlreadyImported(existing)
    kind = KINDS["actions"]
    col = lambda key: kind.column(key).label  # noqa: E731
    errors = []
    data = {
        "title": values.get("title", "").strip(),
        "description": values.get("description", "").strip(),
    }
    for key, parse in (
        ("kind", lambda v: parse_choice(v, ActionKind.choices, col("kind"))),
        ("level", lambda v: parse_choice(v, Level.choices, col("level"), default="")),
        (
            "aci_level",
            lambda v: parse_choice(
                v, [(str(c), lbl) for c, lbl in AciLevel.choices], col("aci_level"), default=""
            ),
        ),
        ("start_date", lambda v: parse_date(v, col("start_date"))),
        ("end_date", lambda v: parse_date(v, col("end_date"))),
        ("users_count", lambda v: parse_int(v, col("users_count"), high=1_000_000)),
    ):
        try:
            value = parse(values.get(key, ""))
        except ValidationError as exc:
            errors.extend(_errors(exc))
            continue
        data[key] = "" if value is None else value
    if errors:
        raise ValidationError(errors)
    data["users_count"] = data.get("users_count") or 0
    form = ActionForm(data)
    if not form.is_valid():
        raise ValidationError({field: list(messages) for field, messages in form.errors.items()})
    action = form.instance
    action.structure, action.created_by, action.source = ctx.structure, ctx.actor, token
    return services.save_action(action, actor=ctx.actor, created=True)


# Time entries ------------------------------------------------------------------------------

TIME_COLUMNS = [
    Column(
        "partner",
        "Patient partenaire",
        required=True,
        example="martine.cazals@exemple.fr",
        help=gettext_lazy("son adresse e-mail, ou son prénom et son nom comme dans Binôme"),
    ),
    Column(
        "mission",
        "Mission",
        required=True,
        example=gettext_lazy("Atelier diabète"),
        help=gettext_lazy("l'intitulé de la mission dans Binôme"),
    ),
    Column("date", "Date", required=True, example="12/11/2026"),
    Column(
        "duration",
        gettext_lazy("Durée (minutes)"),
        required=True,
        example="90",
        aliases=("duree", "minutes"),
    ),
    Column("activity", "Activité", example=gettext_lazy("Atelier ou séance co-animée")),
    Column("note", "Précision", example="", aliases=("commentaire",)),
]


def _time_label(values):
    return (values.get("partner") or "").strip()[:60]


def _prepare_time(ctx):
    _prepare_accompaniments(ctx)


def import_time(ctx, values, token):
    """Time the team noted for a partner before Binôme: stored as the partner's own entry
    would be (amount from the mission's compensation decision), waiting for validation."""
    from binome.compensation import services
    from binome.compensation.models import TimeEntry

    kind = KINDS["temps"]
    col = lambda key: kind.column(key).label  # noqa: E731
    wanted = _required(values, kind, "partner")
    partner = ctx.partners.get(wanted.lower()) or ctx.partners.get(normalise_header(wanted))
    if partner is None:
        raise ValidationError(
            _("%(col)s : « %(v)s » n'est pas un patient partenaire de l'équipe.")
            % {"col": col("partner"), "v": wanted[:80]}
        )
    existing = TimeEntry.objects.filter(partner=partner, submission_token=token).order_by().first()
    if existing:
        raise AlreadyImported(existing)
    title = normalise_header(_required(values, kind, "mission"))
    missions = {normalise_header(m.title): m for m in services.missions_with_mode(partner)}
    mission = missions.get(title)
    if mission is None:
        raise ValidationError(
            _("%(col)s : « %(v)s » n'est pas une mission de %(p)s.")
            % {"col": col("mission"), "v": values["mission"][:80], "p": partner.full_name}
        )
    day = parse_date(_required(values, kind, "date"), col("date"))
    minutes = parse_int(_required(values, kind, "duration"), col("duration"), low=1, high=24 * 60)
    activity = parse_choice(
        values.get("activity"),
        TimeEntry.Activity.choices,
        col("activity"),
        default=TimeEntry.Activity.OTHER,
    )
    entry = TimeEntry(
        partner=partner,
        mission=mission,
        date=day,
        duration_minutes=minutes,
        activity=activity,
        note=values.get("note", "").strip()[:300],
    )
    return services.save_time(entry, actor=ctx.actor, submission_token=token)


# Paper questionnaires of a survey --------------------------------------------------------

OPEN_PREFIX = "q:"

SURVEY_COLUMNS = [
    Column(
        "survey",
        "Enquête",
        required=True,
        example=gettext_lazy("Satisfaction 2026"),
        help=gettext_lazy("le titre de l'enquête dans Binôme (publiée ou close)"),
        aliases=("enquete de satisfaction", "titre de l enquete"),
    ),
    Column(
        "sheet",
        gettext_lazy("N° du questionnaire"),
        required=True,
        example="12",
        help=gettext_lazy(
            "le numéro écrit sur la feuille : chaque questionnaire n'est importé qu'une fois"
        ),
        aliases=("numero", "n", "questionnaire", "numero du questionnaire", "no"),
    ),
]


def _sheet_label(values):
    return _("Questionnaire n° %(n)s") % {"n": (values.get("sheet") or "?").strip()[:20]}


def _prepare_surveys(ctx):
    from binome.voice.models import Survey

    ctx.surveys = {}
    for survey in Survey.objects.filter(structure=ctx.structure).exclude(state=Survey.State.DRAFT):
        ctx.surveys.setdefault(normalise_header(survey.title), survey)
    ctx.questions = {}


def _question_for(questions, header):
    """A column's question: "Q3", "3" or "Q3 — Comment…" by its number, else its wording."""
    import re

    wanted = normalise_header(header)
    number = re.match(r"^q?\s*(\d+)\b", wanted)
    if number and 1 <= int(number.group(1)) <= len(questions):
        return questions[int(number.group(1)) - 1]
    for question in questions:
        if normalise_header(question.label) == wanted:
            return question
    return None


def _answer_data(question, text):
    """The paper form's value for one cell: a number or the wording of a choice."""
    from binome.voice.models import Question

    if question.kind == Question.Kind.TEXT:
        return text.strip()
    options = question.options
    cells = parse_list(text) if question.kind == Question.Kind.MULTIPLE else [text.strip()]
    values = []
    for cell in cells:
        wanted = normalise_header(cell)
        if question.kind == Question.Kind.SCALE and wanted.isdigit():
            values.append(wanted)
            continue
        found = next((str(v) for v, label in options if normalise_header(label) == wanted), None)
        if found is None and wanted.isdigit() and 1 <= int(wanted) <= len(options):
            found = str(options[int(wanted) - 1][0])  # choices numbered from 1 on paper
        values.append(found if found is not None else cell)
    return values if question.kind == Question.Kind.MULTIPLE else values[0]


def import_paper_response(ctx, values, token):
    """One paper questionnaire, through the survey page's own form and service."""
    import hashlib

    from binome.audit.services import record
    from binome.voice.forms import ResponseForm
    from binome.voice.models import Question, Response
    from binome.voice.services import submit_response

    kind = KINDS["reponses"]
    title = _required(values, kind, "survey")
    sheet = _required(values, kind, "sheet")
    survey = ctx.surveys.get(normalise_header(title))
    if survey is None:
        raise ValidationError(
            _("%(col)s : « %(v)s » n'est pas une enquête publiée de l'équipe.")
            % {"col": kind.column("survey").label, "v": title[:80]}
        )
    # The sheet's number is the key: the same questionnaire twice is imported once.
    digest = hashlib.sha256(f"{survey.pk}:{normalise_header(sheet)}".encode()).hexdigest()
    submission_token = f"paper-{digest[:40]}"
    existing = Response.objects.filter(survey=survey, submission_token=submission_token).first()
    if existing is not None:
        raise AlreadyImported(existing)
    if survey.pk not in ctx.questions:
        ctx.questions[survey.pk] = list(
            Question.objects.filter(survey=survey)
            .select_related("section")
            .order_by("position", "id")
        )
    questions = ctx.questions[survey.pk]
    data = {"submission_token": submission_token}
    errors = []
    for key, text in values.items():
        if not key.startswith(OPEN_PREFIX) or not (text or "").strip():
            continue
        header = key[len(OPEN_PREFIX) :]
        question = _question_for(questions, header)
        if question is None:
            errors.append(
                _("Colonne « %(h)s » : aucune question de l'enquête ne correspond.")
                % {"h": header[:60]}
            )
            continue
        data[f"q{question.pk}"] = _answer_data(question, text)
    if errors:
        raise ValidationError(errors)
    form = ResponseForm(data, questions=questions)
    if not form.is_valid():
        labels = {f"q{q.pk}": q.label for q in questions}
        raise ValidationError(
            [
                f"{labels.get(field, '')[:60]} : {message}" if field in labels else str(message)
                for field, messages in form.errors.items()
                for message in messages
            ]
        )
    response, _created = submit_response(
        survey,
        form.answers(),
        submission_token=submission_token,
        channel=Response.Channel.PAPER,
        entered_by=ctx.actor,
    )
    record("voice.paper_response_entered", actor=ctx.actor, structure=ctx.structure, target=survey)
    return response


KINDS = {
    "partenaires": Kind(
        slug="partenaires",
        title=gettext_lazy("Patients partenaires"),
        description=gettext_lazy(
            "Votre liste de patients partenaires et de candidatures : coordonnées, expérience, "
            "langues, limites, formation et étape du parcours."
        ),
        columns=PARTNER_COLUMNS,
        handler=import_partner,
        label=_partner_label,
        prepare=_prepare_partners,
        notes=[
            gettext_lazy(
                "Une étape au-delà de « Candidature reçue » suit les étapes exigées par l'équipe "
                "(rencontre, grille, charte, formation) : la ligne dit ce qui manque."
            )
        ],
    ),
    "accompagnements": Kind(
        slug="accompagnements",
        title=gettext_lazy("Accompagnements et consentements papier"),
        description=gettext_lazy(
            "Les patients déjà accompagnés, avec la date des consentements signés sur papier, "
            "qui les a recueillis, et les contacts déjà eus."
        ),
        columns=ACCOMPANIMENT_COLUMNS,
        handler=import_accompaniment,
        label=_accompaniment_label,
        prepare=_prepare_accompaniments,
        notes=[
            gettext_lazy(
                "Les patients partenaires et les professionnels doivent déjà être dans Binôme : importez "
                "d'abord les patients partenaires."
            )
        ],
    ),
    "actions": Kind(
        slug="actions",
        title=gettext_lazy("Actions d'implication des usagers"),
        description=gettext_lazy(
            "Le registre des actions déjà menées, avec leur type, leur date et leur niveau."
        ),
        columns=ACTION_COLUMNS,
        handler=import_action,
        label=_action_label,
        notes=[
            gettext_lazy(
                "Les justificatifs s'ajoutent ensuite sur chaque action : sans eux, le rapport ACI liste "
                "l'action « à compléter »."
            )
        ],
    ),
    "temps": Kind(
        slug="temps",
        title=gettext_lazy("Temps des patients partenaires"),
        description=gettext_lazy(
            "Le temps déjà noté par mission ; il attend la validation de la coordination, "
            "comme une saisie du patient partenaire."
        ),
        columns=TIME_COLUMNS,
        handler=import_time,
        label=_time_label,
        prepare=_prepare_time,
    ),
    "reponses": Kind(
        slug="reponses",
        title=gettext_lazy("Questionnaires papier d'une enquête"),
        description=gettext_lazy(
            "Les réponses aux questionnaires remplis sur papier, une ligne par questionnaire et "
            "une colonne par question (son numéro, « Q1 », ou son libellé)."
        ),
        columns=SURVEY_COLUMNS,
        handler=import_paper_response,
        label=_sheet_label,
        prepare=_prepare_surveys,
        open_columns=True,
        extra_examples=[
            ("Q1", "5"),
            ("Q2", gettext_lazy("Oui")),
            ("Q3", gettext_lazy("Très bon accueil")),
        ],
        notes=[
            gettext_lazy(
                "Téléchargez de préférence le modèle de l'enquête elle-même, sur sa page "
                "« Saisir des questionnaires papier » : ses colonnes sont déjà ses questions."
            ),
            gettext_lazy(
                "Échelle : de 1 à 5. Choix : le libellé du choix ou son numéro ; plusieurs choix "
                "séparés par des points-virgules."
            ),
        ],
    ),
}

# The same kinds by their English names, for integrators' scripts.
ALIASES = {
    "partners": "partenaires",
    "accompaniments": "accompagnements",
    "involvement-actions": "actions",
    "time-entries": "temps",
    "paper-survey-responses": "reponses",
}


def kind_slug(name: str) -> str | None:
    name = (name or "").strip().lower()
    name = ALIASES.get(name, name)
    return name if name in KINDS else None
