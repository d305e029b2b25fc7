"""The team's register on the continuum, year by year. Its position and its next small step
are decided by the one rule of binome.people.continuum (register and self-assessment).
"""

from dataclasses import dataclass

from django.db.models import Count, Max, Min
from django.utils.translation import gettext_lazy as _

from binome.involvement.models import LEVEL_ORDER, InvolvementAction, Level, level_rank
from binome.people import continuum


@dataclass
class YearPosition:
    year: int
    level: str | None
    rank: int
    actions: int
    by_level: dict

    @property
    def label(self):
        return (
            dict(Level.choices).get(self.level, _("Aucune action"))
            if self.level
            else _("Aucune action")
        )


def positions(structure, years: int = 5) -> list[YearPosition]:
    """The highest level reached per year, over the last ``years`` years with actions (2 queries)."""
    span = InvolvementAction.objects.filter(structure=structure).aggregate(
        first=Min("start_date"), last=Max("start_date")
    )
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


def next_step(existing_kinds, level: str = "") -> continuum.Step:
    """The next small step, always forward from the team's stage (binome.people.continuum)."""
    return continuum.next_step(level, existing_kinds)
