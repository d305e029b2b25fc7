"""A partner's declared limits — pathologies and moments of the pathway they do not want to
face (vicarious trauma, seed 003; DESIGN capability 2) — matched against what a referral or
a mission touches, by meaning rather than by the exact words a person typed.

Each group gathers the slugs that name the same moment: a limit "fin de vie" excludes the
partner from a palliative referral, from one that touches the end of life, and from a
mission whose sensitive topic is "soins palliatifs".
"""

from django.utils.text import slugify

GROUPS = [
    {
        "fin-de-vie",
        "soins-palliatifs",
        "palliatif",
        "palliative",
        "palliatifs",
        "deces",
        "mort",
        "accompagnement-de-fin-de-vie",
    },
    {"annonce", "annonce-du-diagnostic", "consultation-d-annonce", "diagnostic"},
    {"deuil", "perte-d-un-proche"},
    {"rechute", "recidive"},
    {"chirurgie", "operation", "intervention-chirurgicale"},
    {"chimiotherapie", "chimio"},
    {"radiotherapie", "radio"},
    {"cancer", "oncologie", "tumeur"},
    {"sante-mentale", "psychiatrie", "depression", "suicide"},
    {"perinatalite", "grossesse", "maternite", "perte-perinatale"},
]


def expand(values) -> set[str]:
    """The slugs and every slug of the same group."""
    out = {slugify(str(v)) for v in values if v}
    for group in GROUPS:
        if out & group:
            out |= group
    return out


def limit_hits(limit_value: str, context: set[str]) -> bool:
    """Whether a limit (its slug) names something in the expanded context."""
    limit = slugify(limit_value)
    if not limit:
        return False
    names = expand([limit])
    return any(
        n == c or (len(n) > 3 and n in c) or (len(c) > 3 and c in n) for n in names for c in context
    )
