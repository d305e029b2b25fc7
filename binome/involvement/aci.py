"""The users' involvement indicator of the structure's agreement: level rules and figures.

The rules live here only, and their figures in ``AciParameters`` (data, per agreement and
date). Following seed 001 §V.A and the agreements' own wording:
- a structure counts points only under an agreement it signed that has the indicator
  (ACI MSP, Accord national des centres de santé); the ACI CPTS has none, a hospital or
  cancer-centre service and a non-signatory have no agreement: they get the involvement
  report without points or euros, and the report says why;
- an action counts toward its level only with the evidence that level requires
  (``AciParameters.evidence_required``); what is missing is listed "à compléter";
- level 2 when at least one counted action of co-construction, partnership or co-decision
  ran during the year (user referent, users' committee, mediator...); otherwise level 1
  when at least one counted tool or action to inform, consult or raise awareness ran.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from binome.involvement.models import AciParameters, EvidenceKind, InvolvementAction
from binome.people.models import Agreement


def missing_evidence(action, parameters) -> list[str]:
    """The evidence kinds (labels) this action still needs for its ACI level to count."""
    if not action.aci_level:
        return []
    required = parameters.evidence_required.get(str(action.aci_level), [])
    present = {e.kind for e in action.evidence.all()}
    return [str(EvidenceKind(kind).label) for kind in required if kind not in present]


def evidence_checklist(action, parameters) -> list[tuple[str, bool]]:
    """(label, present) for each kind of evidence the action's level requires."""
    if not action.aci_level:
        return []
    present = {e.kind for e in action.evidence.all()}
    return [
        (str(EvidenceKind(k).label), k in present)
        for k in parameters.evidence_required.get(str(action.aci_level), [])
    ]


@dataclass
class AciResult:
    level: int  # 0 = not reached, 1 or 2
    level1_actions: list = field(default_factory=list)
    level2_actions: list = field(default_factory=list)
    to_complete: list = field(default_factory=list)  # (action, [missing evidence labels])

    @property
    def justifying(self):
        return self.level2_actions + self.level1_actions


def aci_level_reached(actions, parameters=None) -> AciResult:
    """The level reached by the actions of one year, counting only those with their evidence."""
    parameters = parameters or AciParameters.for_date(date.today())
    counted, to_complete = [], []
    for action in actions:
        if not action.aci_level:
            continue
        missing = missing_evidence(action, parameters)
        if missing:
            to_complete.append((action, missing))
        else:
            counted.append(action)
    level1 = [a for a in counted if a.aci_level == 1]
    level2 = [a for a in counted if a.aci_level == 2]
    level = 2 if level2 else 1 if level1 else 0
    return AciResult(
        level=level, level1_actions=level1, level2_actions=level2, to_complete=to_complete
    )


def why_no_points(structure, parameters) -> str:
    """ "" when the structure's agreement pays the indicator, else the French reason."""
    agreement = structure.agreement
    if not agreement:
        if structure.kind in (structure.Kind.HOSPITAL_SERVICE, structure.Kind.ESP):
            return _(
                "Votre structure ne relève d'aucun accord conventionnel qui rémunère l'implication des usagers : "
                "ce bilan recense vos actions, sans points ni euros."
            )
        return _(
            "Aucun accord conventionnel signé n'est enregistré pour votre structure (fiche de la structure) : "
            "ce bilan recense vos actions, sans points ni euros."
        )
    if parameters is None or not parameters.has_user_involvement:
        return _(
            "L'accord signé par votre structure (%(agreement)s) ne comporte pas d'indicateur « implication des "
            "usagers » : ce bilan recense vos actions, sans points ni euros."
        ) % {"agreement": Agreement(agreement).label}
    return ""


@dataclass
class AciReport:
    structure: object
    year: int
    result: AciResult
    parameters: AciParameters | None  # None: no agreement, so no rules and no points
    patient_count: int | None
    fixed_points: Decimal
    variable_points: Decimal
    actions: list
    why_no_points: str = ""

    @property
    def applies(self) -> bool:
        return not self.why_no_points

    @property
    def agreement_label(self) -> str:
        return (
            str(Agreement(self.structure.agreement).label)
            if self.structure.agreement
            else str(Agreement.NONE.label)
        )

    @property
    def level(self):
        return self.result.level

    @property
    def total_points(self) -> Decimal:
        return self.fixed_points + self.variable_points

    @property
    def amount_eur(self) -> Decimal:
        if not self.applies:
            return Decimal("0.00")
        return (self.total_points * self.parameters.point_value_eur).quantize(
            Decimal("0.01"), ROUND_HALF_UP
        )

    @property
    def level_label(self) -> str:
        return {0: "Non atteint", 1: "Niveau 1", 2: "Niveau 2"}[self.level]

    def as_dict(self) -> dict:
        """The API's answer: the same figures, reason and list "à compléter" as the page."""
        params = self.parameters
        return {
            "structure": self.structure.slug,
            "year": self.year,
            "agreement": self.structure.agreement or None,
            "agreement_label": self.agreement_label,
            "applies": self.applies,
            "why_no_points": self.why_no_points or None,
            "level": self.level,
            "level_label": self.level_label,
            "patient_count": self.patient_count,
            "fixed_points": str(self.fixed_points),
            "variable_points": str(self.variable_points),
            "total_points": str(self.total_points),
            "point_value_eur": str(params.point_value_eur) if self.applies else None,
            "amount_eur": str(self.amount_eur) if self.applies else None,
            "parameters_valid_from": params.valid_from.isoformat() if params else None,
            "rules_source": params.source if params else None,
            "to_complete": [
                {"action": str(a.public_id), "title": a.title, "missing": missing}
                for a, missing in self.result.to_complete
            ],
        }


def points_for(
    level: int, params: AciParameters, patient_count: int | None
) -> tuple[Decimal, Decimal]:
    """(fixed, variable) points for a level; the variable part follows the patient count."""
    fixed = Decimal(0)
    variable = Decimal(0)
    if level == 1 or (level == 2 and params.level2_includes_level1):
        fixed = Decimal(params.level1_fixed_points)
    if level == 2 and params.reference_patient_count:
        ratio = Decimal(patient_count or 0) / Decimal(params.reference_patient_count)
        variable = (Decimal(params.level2_variable_points) * ratio).quantize(
            Decimal("0.01"), ROUND_HALF_UP
        )
    return fixed, variable


def annual_report(structure, year: int) -> AciReport:
    """The indicator for one structure and one calendar year (a constant number of queries)."""
    actions = list(
        InvolvementAction.objects.filter(structure=structure)
        .of_year(year)
        .prefetch_related("evidence")
        .order_by("-aci_level", "start_date", "id")
    )
    agreement = structure.agreement
    params = AciParameters.for_date(date(year, 12, 31), agreement) if agreement else None
    why = why_no_points(structure, params)
    # Without an agreement, the evidence lists still follow the MSP rules: the team sees
    # what a report would need, but earns nothing.
    rules = params if params is not None else AciParameters.for_date(date(year, 12, 31))
    result = aci_level_reached(actions, rules)
    for action in actions:
        action.evidence_checklist = evidence_checklist(action, rules)
    fixed, variable = (
        points_for(result.level, params, structure.patient_count)
        if not why
        else (Decimal(0), Decimal(0))
    )
    return AciReport(
        structure=structure,
        year=year,
        result=result,
        parameters=params,
        patient_count=structure.patient_count,
        fixed_points=fixed,
        variable_points=variable,
        actions=actions,
        why_no_points=why,
    )
