"""The maturity questionnaire, defined as data, and the rule that places a team on the continuum.

Modelled on the Fécop survey of 2024 (seed 001 §III and §IV.A): knowledge and vision,
actions at each level, priority, wish to do more, barriers, levers, knowledge of the
guide, wish for support. The barriers and levers are the survey's, set against the HAS
ones (seed 001 §V.D–E); the matching between them comes from that table.

Answers are a dict ``{question_code: value}``: a string for "single"/"text" questions,
a list of choice codes for "multi" questions. ``clean_answers`` validates them.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

# The continuum and its rule live in binome.people.continuum (one rule for every app).
from binome.people import continuum  # noqa: E402

INFORMATION, CONSULTATION, COLLABORATION, PARTNERSHIP = (
    continuum.INFORMATION,
    continuum.CONSULTATION,
    continuum.COLLABORATION,
    continuum.PARTNERSHIP,
)
LEVELS, LEVEL_ORDER, LEVEL_LABELS, level_rank = (
    continuum.LEVELS,
    continuum.LEVEL_ORDER,
    continuum.LEVEL_LABELS,
    continuum.level_rank,
)

LEVEL_HELP = {
    INFORMATION: _(
        "L'équipe informe les usagers (affiches, site, flyers) : le socle, une obligation légale."
    ),
    CONSULTATION: _(
        "L'équipe recueille les attentes et l'avis des usagers (enquêtes, boîte à idées, espaces d'échange)."
    ),
    COLLABORATION: _(
        "L'équipe travaille avec des usagers sur des supports, des outils ou des actions."
    ),
    PARTNERSHIP: _(
        "L'équipe co-construit ses actions ou ses projets avec les usagers, de l'idée au bilan."
    ),
}


YES, NO = "yes", "no"
YES_NO = [(YES, _("Oui")), (NO, _("Non"))]


@dataclass(frozen=True)
class Question:
    code: str
    section: str
    label: str
    kind: str  # "single" | "multi" | "text"
    choices: list = field(default_factory=list)
    help: str = ""
    required: bool = True

    @property
    def choice_labels(self):
        return dict(self.choices)


SECTIONS = [
    ("vision", _("Connaissance et vision")),
    ("actions", _("Ce que fait l'équipe avec les usagers")),
    ("priority", _("Priorité et envie d'aller plus loin")),
    ("barriers", _("Freins et leviers")),
    ("support", _("Guide et accompagnement")),
]

# Barriers: the survey's (seed 001 §IV.A.2 "pas une priorité" reasons and §V.D).
BARRIERS = [
    ("time", _("Manque de temps")),
    ("money", _("Manque de moyens financiers ou humains")),
    ("team_first", _("L'équipe se concentre d'abord sur sa dynamique et son projet de santé")),
    ("young_team", _("Équipe ou structure encore jeune, manque de maturité")),
    ("how_to", _("Manque d'information sur comment impliquer les usagers")),
    ("convince", _("Difficile de convaincre les professionnels, manque d'intérêt")),
    ("divergence", _("Peur de divergences d'opinion entre professionnels et usagers")),
    ("users_posture", _("Représentation ou posture des usagers (peur du « bureau des plaintes »)")),
    (
        "pros_posture",
        _("Représentation ou posture des professionnels (approche descendante du soin)"),
    ),
    ("knowledge", _("Manque de connaissance ou de sensibilisation au partenariat en santé")),
    ("communication", _("Difficultés de communication (jargon, langue, littératie)")),
    ("few_users", _("Peu d'usagers prêts à s'impliquer")),
    ("governance", _("Pas de place possible pour les usagers dans la gouvernance (SISA)")),
]

# Levers: the survey's, with the HAS ones they match (seed 001 §V.E).
LEVERS = [
    ("training", _("Formation au partenariat en santé, acculturation (avec les usagers)")),
    ("sharing", _("Partage d'expérience avec d'autres équipes")),
    ("support", _("Structures qui accompagnent les équipes (réseau régional, COPS, Fécop)")),
    ("tools", _("Outils (matrice de maturité HAS, documents faciles à lire, Santé BD)")),
    ("funding", _("Incitations financières (indicateur ACI, financements)")),
    ("mediator", _("Professionnels non soignants : médiateur en santé, coordination")),
    ("association", _("S'appuyer sur une association d'usagers ou de patients")),
    ("charter", _("Charte d'engagement réciproque, choisir ensemble l'usager")),
]
BARRIER_LABELS = dict(BARRIERS)
LEVER_LABELS = dict(LEVERS)

# Which levers answer which barrier (seed 001 §V.D–E, HAS 2023 "Engagement des usagers
# dans les maisons, centres et territoires de santé").
MATCHING_LEVERS = {
    "time": ["funding", "mediator", "sharing"],
    "money": ["funding", "support"],
    "team_first": ["sharing", "support"],
    "young_team": ["sharing", "support"],
    "how_to": ["tools", "support", "sharing"],
    "convince": ["sharing", "training"],
    "divergence": ["charter", "training"],
    "users_posture": ["training", "charter"],
    "pros_posture": ["training", "sharing"],
    "knowledge": ["training", "support", "tools"],
    "communication": ["tools", "mediator"],
    "few_users": ["association", "support"],
    "governance": ["support", "association"],
}

QUESTIONS = [
    Question(
        "usager_definition",
        "vision",
        _("Pour votre équipe, qu'est-ce qu'un « usager » ?"),
        "text",
        required=False,
        help=_("En quelques mots : patient, personne, proche aidant, habitant, citoyen…"),
    ),
    Question(
        "implication_meaning",
        "vision",
        _("Que signifie pour vous « l'implication des usagers » ?"),
        "text",
        required=False,
    ),
    Question(
        "expected_impacts",
        "vision",
        _("Quels effets en attendez-vous ?"),
        "multi",
        [
            ("quality", _("Améliorer la qualité et la pertinence des soins et des actions")),
            ("practice", _("Améliorer nos pratiques professionnelles")),
            ("needs", _("Mieux comprendre les besoins et les attentes des patients")),
            ("visibility", _("Rendre l'équipe et ses actions plus visibles")),
            ("project", _("Dynamiser le projet de santé")),
            ("citizenship", _("Promouvoir l'engagement citoyen")),
        ],
        required=False,
    ),
    Question(
        "info_supports",
        "actions",
        _("Quels supports utilisez-vous pour informer les usagers ?"),
        "multi",
        [
            ("posters", _("Affiches")),
            ("flyers", _("Flyers, dépliants")),
            ("website", _("Site internet")),
            ("gazette", _("Gazette, lettre d'information")),
            ("social", _("Réseaux sociaux")),
            ("screen", _("Écran en salle d'attente")),
            ("press", _("Article dans la presse locale")),
        ],
        required=False,
    ),
    Question(
        "info_with_users",
        "actions",
        _("Ces supports d'information sont-ils travaillés avec des usagers ?"),
        "single",
        YES_NO,
    ),
    Question(
        "collect_tools",
        "actions",
        _("Quels outils utilisez-vous pour recueillir les attentes ou les questions des usagers ?"),
        "multi",
        [
            ("satisfaction", _("Questionnaire ou enquête de satisfaction")),
            ("idea_box", _("Boîte à idées")),
            ("poll", _("Sondage ponctuel")),
            ("talk_group", _("Groupe de parole")),
        ],
        required=False,
    ),
    Question(
        "collect_with_users",
        "actions",
        _("Ces outils de recueil sont-ils travaillés avec des usagers ?"),
        "single",
        YES_NO,
    ),
    Question(
        "exchange_spaces",
        "actions",
        _("Avez-vous des espaces d'échange et d'écoute de l'expérience des usagers ?"),
        "single",
        YES_NO,
    ),
    Question(
        "exchange_with_users",
        "actions",
        _("Ces espaces sont-ils animés avec des usagers (comité des usagers, groupe de travail) ?"),
        "single",
        YES_NO,
    ),
    Question(
        "co_built_actions",
        "actions",
        _("Co-construisez-vous des actions ou des projets avec des usagers ?"),
        "single",
        YES_NO,
    ),
    Question(
        "co_built_topics",
        "actions",
        _("Sur quels sujets co-construisez-vous avec les usagers ?"),
        "multi",
        [
            ("prevention", _("Prévention, promotion de la santé")),
            ("communication", _("Communication")),
            ("etp", _("Éducation thérapeutique (ETP)")),
            ("access", _("Accès aux soins")),
            ("health_project", _("Projet de santé")),
        ],
        required=False,
    ),
    Question(
        "governance_place",
        "actions",
        _("Les usagers ont-ils une place définie dans la gouvernance de la structure ?"),
        "single",
        YES_NO,
        help=_("Dans l'association, par un comité des usagers…"),
    ),
    Question(
        "priority",
        "priority",
        _("L'implication des usagers est-elle une priorité pour votre équipe ?"),
        "single",
        YES_NO,
    ),
    Question("priority_why", "priority", _("Pourquoi ?"), "text", required=False),
    Question(
        "wants_more",
        "priority",
        _("Souhaitez-vous impliquer davantage les usagers ?"),
        "single",
        YES_NO,
    ),
    Question(
        "barriers",
        "barriers",
        _("Quels freins rencontrez-vous ?"),
        "multi",
        BARRIERS,
        required=False,
    ),
    Question(
        "levers",
        "barriers",
        _("Quels leviers vous aident ou vous aideraient ?"),
        "multi",
        LEVERS,
        required=False,
    ),
    Question(
        "knows_guide",
        "support",
        _(
            "Connaissez-vous le guide pour l'implication des usagers en soins primaires (COPS, France Assos Santé, Fécop) ?"
        ),
        "single",
        YES_NO,
    ),
    Question(
        "wants_guide",
        "support",
        _("Souhaitez-vous le recevoir ?"),
        "single",
        YES_NO,
        required=False,
    ),
    Question(
        "wants_support",
        "support",
        _("Souhaitez-vous être accompagnés pour développer l'implication des usagers ?"),
        "single",
        YES_NO,
    ),
    Question("comments", "support", _("Autre chose à nous dire ?"), "text", required=False),
]
BY_CODE = {q.code: q for q in QUESTIONS}
TEXT_MAX = 2000


def questions_by_section():
    return [(code, label, [q for q in QUESTIONS if q.section == code]) for code, label in SECTIONS]


class AnswerError(ValueError):
    def __init__(self, errors: dict):
        super().__init__("invalid answers")
        self.errors = errors


def clean_answers(raw: dict) -> dict:
    """Validate answers against the questionnaire; raise AnswerError({code: message})."""
    errors, clean = {}, {}
    for q in QUESTIONS:
        value = raw.get(q.code)
        if q.kind == "multi":
            values = value if isinstance(value, (list, tuple)) else ([value] if value else [])
            values = [str(v) for v in values if v not in ("", None)]
            unknown = [v for v in values if v not in q.choice_labels]
            if unknown:
                errors[q.code] = _("Choix inconnu.")
            clean[q.code] = (
                sorted(set(values), key=[c for c, _l in q.choices].index) if not unknown else []
            )
        elif q.kind == "single":
            value = "" if value is None else str(value)
            if value and value not in q.choice_labels:
                errors[q.code] = _("Choix inconnu.")
            elif not value and q.required:
                errors[q.code] = _("Merci de répondre à cette question.")
            clean[q.code] = value
        else:
            value = "" if value is None else str(value).strip()
            if len(value) > TEXT_MAX:
                errors[q.code] = _("Texte trop long (2 000 caractères au plus).")
            clean[q.code] = value
    extra = set(raw) - set(BY_CODE)
    if extra:
        errors["__all__"] = _("Questions inconnues : %(codes)s") % {
            "codes": ", ".join(sorted(extra))
        }
    if errors:
        raise AnswerError(errors)
    return clean


def place_from_answers(answers: dict) -> str:
    """The one rule that places a team on the continuum (seed 001 §V.A).

    - partenariat: the team co-builds actions or projects with users ("disent coconstruire
      activement des projets/actions avec les usagers"); a place in governance is not asked
      for (seed 001: users cannot sit in a SISA's governance);
    - collaboration: it works with users on its supports, tools, spaces or actions;
    - consultation: it uses tools or spaces to collect users' expectations;
    - information: the base every team reaches (legal duty to inform).
    """
    yes = lambda code: answers.get(code) == YES  # noqa: E731
    if yes("co_built_actions"):
        return PARTNERSHIP
    if yes("exchange_with_users") or yes("info_with_users") or yes("collect_with_users"):
        return COLLABORATION
    if answers.get("collect_tools") or yes("exchange_spaces"):
        return CONSULTATION
    return INFORMATION


def barriers_with_levers(answers: dict):
    """[(barrier label, [lever labels])]: the team's barriers with the levers that answer them.

    Levers the team already named come first, marked as theirs.
    """
    own = set(answers.get("levers") or [])
    result = []
    for code in answers.get("barriers") or []:
        levers = MATCHING_LEVERS.get(code, [])
        ordered = sorted(levers, key=lambda lv: (lv not in own, levers.index(lv)))
        result.append(
            {
                "code": code,
                "label": BARRIER_LABELS.get(code, code),
                "levers": [
                    {"code": lv, "label": LEVER_LABELS[lv], "named": lv in own} for lv in ordered
                ],
            }
        )
    return result


# "Méthode des petits pas": one reachable step one notch further along the continuum.
def next_steps(level: str, answers: dict, done=()):
    """The continuum's next small steps (always forward, binome.people.continuum), and the
    questionnaire's own advice."""
    from binome.people.continuum import next_steps as forward

    steps = [{"title": st.title, "why": st.why} for st in forward(level, done)]
    if answers.get("knows_guide") == NO:
        steps.append(
            {
                "title": _("Lire le guide pour l'implication des usagers en soins primaires"),
                "why": _(
                    "Conseils pratiques et retours d'équipes d'Occitanie (COPS, France Assos Santé, Fécop, 2023)."
                ),
            }
        )
    if answers.get("priority") == NO:
        steps.insert(
            0,
            {
                "title": _("Choisir un seul petit objectif pour l'année"),
                "why": _(
                    "« Avoir un objectif à atteindre, mais ne pas se dire que tout doit être fait en quinze jours. » (enquête Fécop 2024, participant n°8)"
                ),
            },
        )
    return steps
