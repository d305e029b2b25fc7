"""Where the team stands on the continuum, year by year, and the next small step.

Seed 001 recommends "la méthode des petits pas": from what already exists, suggest one
reachable action one notch further along information → consultation → collaboration →
partenariat.
"""

from dataclasses import dataclass

from django.db.models import Count, Max, Min
from django.utils.translation import gettext_lazy as _

from binome.involvement.models import LEVEL_ORDER, ActionKind, InvolvementAction, Level, level_rank


@dataclass
class YearPosition:
    year: int
    level: str | None
    rank: int
    actions: int
    by_level: dict

    @property
    def label(self):
        return dict(Level.choices).get(self.level, _("Aucune action")) if self.level else _("Aucune action")


@dataclass
class Step:
    kind: str
    title: str
    why: str

    @property
    def kind_label(self):
        return dict(ActionKind.choices)[self.kind]


# Small steps, in the order a team usually takes them (seed 001 §IV.A.2 and §IV.B.5).
LADDER = [
    (ActionKind.POSTERS, _("Afficher dans la salle d'attente ce que fait l'équipe"),
     _("Informer est la première marche : horaires, services, actions de prévention.")),
    (ActionKind.SURVEY, _("Lancer une courte enquête de satisfaction"),
     _("Une enquête avec un lien et une affiche QR code recueille l'avis des usagers et compte pour le niveau 1 de l'ACI.")),
    (ActionKind.IDEA_BOX, _("Ouvrir une boîte à idées permanente"),
     _("Les usagers proposent à tout moment ; l'équipe répond publiquement « vous avez dit, nous avons fait ».")),
    (ActionKind.GAZETTE, _("Publier une gazette trimestrielle"),
     _("Une équipe de l'enquête Fécop l'a trouvée très appréciée des patients.")),
    (ActionKind.WORKING_GROUP, _("Inviter deux ou trois usagers dans un groupe de travail"),
     _("Travailler ensemble sur un sujet concret (accueil, prévention) : c'est la collaboration, niveau 2 de l'ACI.")),
    (ActionKind.USER_REFERENT, _("Co-animer un atelier ETP avec un patient partenaire"),
     _("Un usager référent dans un programme ETP compte pour le niveau 2 de l'ACI.")),
    (ActionKind.COMMITTEE, _("Créer un comité des usagers"),
     _("Un lieu régulier où les usagers proposent et où l'équipe répond.")),
    (ActionKind.HEALTH_PROJECT, _("Faire relire le projet de santé par des usagers"),
     _("Co-écrire ou relire le projet de santé : un pas vers le partenariat.")),
    (ActionKind.GOVERNANCE, _("Donner une place aux usagers dans la gouvernance"),
     _("Le stade du partenariat : les usagers participent aux décisions de la structure.")),
]


def positions(structure, years: int = 5) -> list[YearPosition]:
    """The highest level reached per year, over the last ``years`` years with actions (2 queries)."""
    span = InvolvementAction.objects.filter(structure=structure).aggregate(first=Min("start_date"), last=Max("start_date"))
    if span["first"] is None:
        return []
    first_year = max(span["first"].year, span["last"].year - years + 1)
    rows = (
        InvolvementAction.objects.filter(structure=structure, start_date__year__gte=first_year)
        .values("start_date__year", "level")
        .annotate(n=Count("id"))
    )
    by_year: dict[int, dict] = {}
    for row in rows:
        by_year.setdefault(row["start_date__year"], {})[row["level"]] = row["n"]
    result = []
    best = None
    for year in range(first_year, span["last"].year + 1):
        counts = by_year.get(year, {})
        year_best = max(counts, key=level_rank) if counts else None
        # Ongoing work keeps a team where it got to: the position never goes back to nothing.
        if year_best and (best is None or level_rank(year_best) >= level_rank(best)):
            best = year_best
        shown = year_best or best
        result.append(
            YearPosition(
                year=year,
                level=shown,
                rank=level_rank(shown) if shown else 0,
                actions=sum(counts.values()),
                by_level={lvl: counts.get(lvl, 0) for lvl in LEVEL_ORDER},
            )
        )
    return result


def next_step(existing_kinds) -> Step | None:
    """The first step of the ladder the team has not taken yet."""
    existing = set(existing_kinds)
    for kind, title, why in LADDER:
        if kind not in existing:
            return Step(kind=kind, title=str(title), why=str(why))
    return None


def next_step_for(structure) -> Step | None:
    kinds = InvolvementAction.objects.filter(structure=structure).values_list("kind", flat=True).distinct()
    return next_step(list(kinds))
