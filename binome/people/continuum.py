"""Where a team stands on the continuum of users' involvement, and its next small step.

The one rule, used by the involvement register, the self-assessment questionnaire, the
regional reports and the API (seed 001, Fécop survey, Occitanie 2024):

- the continuum is information → consultation → collaboration → partenariat, the last
  stage being co-construction with the users (seed 001 defines it so, and notes that
  users cannot sit in the governance of a SISA: a place in governance is not required);
- the register says what the team recorded doing (its actions of the last 12 months), the
  self-assessment what it recognises doing. When both exist, the team stands at the lower
  of the two — a stage is reached when it is done and owned — and the position says which
  source it used; when only one exists, that one;
- the next small step ("méthode des petits pas") is never behind the team: an action of the
  next stage it has not done yet (or, when it did them all, one its own stage still lacks); a
  team at partenariat is offered ways to share and evaluate its partnership.

This module reads the other apps' models by label only, so that each app may be absent.
"""

from dataclasses import dataclass

from django.apps import apps
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

INFORMATION, CONSULTATION, COLLABORATION, PARTNERSHIP = (
    "information",
    "consultation",
    "collaboration",
    "partnership",
)
LEVELS = [
    (INFORMATION, gettext_lazy("Information")),
    (CONSULTATION, gettext_lazy("Consultation")),
    (COLLABORATION, gettext_lazy("Collaboration")),
    (PARTNERSHIP, gettext_lazy("Partenariat (co-construction)")),
]
LEVEL_ORDER = [code for code, _label in LEVELS]
LEVEL_LABELS = dict(LEVELS)


def level_rank(level) -> int:
    return LEVEL_ORDER.index(level) + 1 if level in LEVEL_ORDER else 0


@dataclass(frozen=True)
class Position:
    level: str  # "" when the team recorded and assessed nothing
    source: str  # "register", "self_assessment", "both" (they agree) or ""
    register_level: str = ""
    assessment_level: str = ""

    @property
    def label(self) -> str:
        return str(LEVEL_LABELS.get(self.level, _("Pas encore de position")))

    @property
    def rank(self) -> int:
        return level_rank(self.level)

    @property
    def explanation(self) -> str:
        names = {
            "register": _("votre registre d'actions"),
            "self_assessment": _("votre auto-évaluation"),
        }
        if self.source == "both":
            return _("Votre registre d'actions et votre auto-évaluation disent la même chose.")
        if self.source in names and self.register_level and self.assessment_level:
            other = self.assessment_level if self.source == "register" else self.register_level
            return _(
                "D'après %(used)s, la plus prudente des deux : l'autre indique « %(other)s »."
            ) % {"used": names[self.source], "other": LEVEL_LABELS[other]}
        if self.source in names:
            return _("D'après %(used)s.") % {"used": names[self.source]}
        return _("Notez vos actions ou remplissez l'auto-évaluation pour situer l'équipe.")


def decide(register_level: str = "", assessment_level: str = "") -> Position:
    register_level = register_level if register_level in LEVEL_ORDER else ""
    assessment_level = assessment_level if assessment_level in LEVEL_ORDER else ""
    if register_level and assessment_level:
        if register_level == assessment_level:
            return Position(register_level, "both", register_level, assessment_level)
        lower = min(register_level, assessment_level, key=level_rank)
        source = "register" if lower == register_level else "self_assessment"
        return Position(lower, source, register_level, assessment_level)
    if register_level:
        return Position(register_level, "register", register_level, "")
    if assessment_level:
        return Position(assessment_level, "self_assessment", "", assessment_level)
    return Position("", "")


def register_level(structure, today=None) -> str:
    """The highest stage among the team's actions of the last 12 months, or ''."""
    from datetime import timedelta

    from django.db.models import Q
    from django.utils import timezone

    from binome.people.scoping import structure_scope

    try:
        model = apps.get_model("involvement", "InvolvementAction")
    except LookupError:
        return ""
    today = today or timezone.localdate()
    since = today - timedelta(days=365)
    with structure_scope(structure):
        levels = set(
            model.objects.filter(structure=structure, start_date__lte=today)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=since))
            .order_by()
            .values_list("level", flat=True)
            .distinct()
        )
    ranked = [lv for lv in levels if lv in LEVEL_ORDER]
    return max(ranked, key=level_rank) if ranked else ""


def latest_assessment_level(structure) -> str:
    """The stage the team's latest self-assessment places it at (from its answers), or ''."""
    try:
        model = apps.get_model("networks", "MaturityAssessment")
    except LookupError:
        return ""
    from binome.people.scoping import structure_scope

    with structure_scope(structure):
        return (
            model.objects.filter(structure=structure)
            .order_by("-created_at", "-id")
            .values_list("level_from_answers", flat=True)
            .first()
            or ""
        )


def done_kinds(structure) -> list[str]:
    """The kinds of involvement action the team ever recorded."""
    try:
        model = apps.get_model("involvement", "InvolvementAction")
    except LookupError:
        return []
    from binome.people.scoping import structure_scope

    with structure_scope(structure):
        return list(
            model.objects.filter(structure=structure)
            .order_by()
            .values_list("kind", flat=True)
            .distinct()
        )


def position_of(structure) -> Position:
    return decide(register_level(structure), latest_assessment_level(structure))


@dataclass(frozen=True)
class Step:
    target: str  # the stage it leads to
    kind: str  # an involvement action kind, or "" for a step that is not an action
    title: str
    why: str


# Small steps, in the order a team usually takes them (seed 001 §IV.A.2 and §IV.B.5), each
# with the stage it belongs to. The kinds are those of binome.involvement.models.ActionKind.
LADDER = [
    (
        INFORMATION,
        "posters",
        gettext_lazy("Afficher dans la salle d'attente ce que fait l'équipe"),
        gettext_lazy(
            "Informer est la première marche : horaires, services, actions de prévention."
        ),
    ),
    (
        INFORMATION,
        "gazette",
        gettext_lazy("Publier une gazette trimestrielle"),
        gettext_lazy("Une équipe de l'enquête Fécop l'a trouvée très appréciée des patients."),
    ),
    (
        CONSULTATION,
        "survey",
        gettext_lazy("Lancer une courte enquête de satisfaction"),
        gettext_lazy(
            "Une enquête avec un lien et une affiche QR code recueille l'avis des usagers et compte pour le niveau 1 de l'ACI."
        ),
    ),
    (
        CONSULTATION,
        "idea_box",
        gettext_lazy("Ouvrir une boîte à idées permanente"),
        gettext_lazy(
            "Les usagers proposent à tout moment ; l'équipe répond publiquement « vous avez dit, nous avons fait »."
        ),
    ),
    (
        COLLABORATION,
        "working_group",
        gettext_lazy("Inviter deux ou trois usagers dans un groupe de travail"),
        gettext_lazy(
            "Travailler ensemble sur un sujet concret (accueil, prévention) : c'est la collaboration, niveau 2 de l'ACI."
        ),
    ),
    (
        COLLABORATION,
        "committee",
        gettext_lazy("Créer un comité des usagers"),
        gettext_lazy("Un lieu régulier où les usagers proposent et où l'équipe répond."),
    ),
    (
        PARTNERSHIP,
        "user_referent",
        gettext_lazy("Co-construire et co-animer un atelier ETP avec un patient partenaire"),
        gettext_lazy(
            "De l'idée au bilan, avec les usagers : c'est la co-construction, niveau 2 de l'ACI."
        ),
    ),
    (
        PARTNERSHIP,
        "health_project",
        gettext_lazy("Co-écrire ou faire relire le projet de santé par des usagers"),
        gettext_lazy("Les usagers participent aux choix de l'équipe."),
    ),
]
# Beyond the last stage: keep the partnership alive and share it.
SUSTAIN = [
    (
        PARTNERSHIP,
        "",
        gettext_lazy("Partager votre expérience avec une équipe qui débute"),
        gettext_lazy(
            "Publiez une fiche projet au catalogue : les équipes plus jeunes peuvent vous demander un échange."
        ),
    ),
    (
        PARTNERSHIP,
        "",
        gettext_lazy("Évaluer le partenariat avec les usagers eux-mêmes"),
        gettext_lazy(
            "La matrice de maturité de la HAS, remplie en équipe avec les usagers, aide à voir ce qui manque."
        ),
    ),
]


def next_steps(level: str, done_kinds=(), limit: int = 2) -> list[Step]:
    """The next small steps, never behind the team: actions of a later stage not done yet,
    nearest stage first; when the team already did them all (its register is ahead of its
    self-assessment), what its own stage still lacks; at partenariat, ways to sustain and share."""
    done, rank = set(done_kinds), level_rank(level)
    ahead = [row for row in LADDER if level_rank(row[0]) > rank and row[1] not in done]
    same = (
        [row for row in LADDER if level_rank(row[0]) == rank and row[1] not in done]
        if level != PARTNERSHIP
        else []
    )
    rows = ahead or same or SUSTAIN
    return [Step(target, kind, str(title), str(why)) for target, kind, title, why in rows[:limit]]


def next_step(level: str, done_kinds=()) -> Step:
    return next_steps(level, done_kinds, limit=1)[0]
