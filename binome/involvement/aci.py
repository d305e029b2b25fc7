"""The ACI indicator "implication des usagers": level rules and the annual figures.

The rules live in ``aci_level_reached`` only (seed 001 §V.A):
- level 2 when at least one action of co-construction, partnership or co-decision ran
  during the year (user referent in a working group or an ETP workshop, users'
  committee, mediator...);
- otherwise level 1 when at least one tool or action to inform, consult or raise
  awareness ran (satisfaction survey, idea box, posters, flyers, website...);
- otherwise the indicator is not reached.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from binome.involvement.models import AciParameters, InvolvementAction


@dataclass
class AciResult:
    level: int  # 0 = not reached, 1 or 2
    level1_actions: list = field(default_factory=list)
    level2_actions: list = field(default_factory=list)

    @property
    def justifying(self):
        return self.level2_actions + self.level1_actions


def aci_level_reached(actions) -> AciResult:
    """The level reached by a set of actions of one year (objects with an ``aci_level``)."""
    level1 = [a for a in actions if a.aci_level == 1]
    level2 = [a for a in actions if a.aci_level == 2]
    if level2:
        level = 2
    elif level1:
        level = 1
    else:
        level = 0
    return AciResult(level=level, level1_actions=level1, level2_actions=level2)


@dataclass
class AciReport:
    structure: object
    year: int
    result: AciResult
    parameters: AciParameters
    patient_count: int | None
    fixed_points: Decimal
    variable_points: Decimal
    actions: list

    @property
    def level(self):
        return self.result.level

    @property
    def total_points(self) -> Decimal:
        return self.fixed_points + self.variable_points

    @property
    def amount_eur(self) -> Decimal:
        return (self.total_points * self.parameters.point_value_eur).quantize(Decimal("0.01"), ROUND_HALF_UP)

    @property
    def level_label(self) -> str:
        return {0: "Non atteint", 1: "Niveau 1", 2: "Niveau 2"}[self.level]

    def as_dict(self) -> dict:
        return {
            "structure": self.structure.slug,
            "year": self.year,
            "level": self.level,
            "level_label": self.level_label,
            "patient_count": self.patient_count,
            "fixed_points": str(self.fixed_points),
            "variable_points": str(self.variable_points),
            "total_points": str(self.total_points),
            "point_value_eur": str(self.parameters.point_value_eur),
            "amount_eur": str(self.amount_eur),
            "parameters_valid_from": self.parameters.valid_from.isoformat(),
        }


def points_for(level: int, params: AciParameters, patient_count: int | None) -> tuple[Decimal, Decimal]:
    """(fixed, variable) points for a level; the variable part follows the patient count."""
    fixed = Decimal(0)
    variable = Decimal(0)
    if level == 1 or (level == 2 and params.level2_includes_level1):
        fixed = Decimal(params.level1_fixed_points)
    if level == 2 and params.reference_patient_count:
        ratio = Decimal(patient_count or 0) / Decimal(params.reference_patient_count)
        variable = (Decimal(params.level2_variable_points) * ratio).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return fixed, variable


def annual_report(structure, year: int) -> AciReport:
    """The indicator for one structure and one calendar year (a constant number of queries)."""
    actions = list(
        InvolvementAction.objects.filter(structure=structure)
        .of_year(year)
        .prefetch_related("evidence")
        .order_by("-aci_level", "start_date", "id")
    )
    result = aci_level_reached(actions)
    params = AciParameters.for_date(date(year, 12, 31))
    fixed, variable = points_for(result.level, params, structure.patient_count)
    return AciReport(
        structure=structure,
        year=year,
        result=result,
        parameters=params,
        patient_count=structure.patient_count,
        fixed_points=fixed,
        variable_points=variable,
        actions=actions,
    )
