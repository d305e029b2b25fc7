"""Aggregates for networks: the campaign report and the facilitator's dashboard.

Only aggregates leave this module, computed in the database. Small groups are never
shown apart: a report with fewer than ``MIN_GROUP`` answers is withheld, and a breakdown
(by department, by kind of structure) folds its groups of fewer than ``MIN_GROUP`` into
one "other" line, so that no team can be identified.
"""

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from django.apps import apps
from django.core.cache import cache
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from binome.networks import questionnaire as q
from binome.networks.models import CampaignResponse, MaturityAssessment, ResponseChoice
from binome.people.models import NetworkAffiliation, Structure
from binome.people.scoping import scopes_disabled

MIN_GROUP = 5


def pct(n, total):
    return round(100 * n / total, 1) if total else 0.0


@dataclass
class Share:
    code: str
    label: str
    count: int
    percent: float
    help: str = ""


@dataclass
class CampaignReport:
    invited: int
    responded: int
    withheld: bool
    levels: list = field(default_factory=list)
    yes_no: list = field(default_factory=list)  # [(code, label, Share yes, Share no, Share blank)]
    frequencies: dict = field(default_factory=dict)  # question code -> [Share]
    departments: list = field(default_factory=list)
    kinds: list = field(default_factory=list)
    keywords: list = field(default_factory=list)
    themes: list = field(
        default_factory=list
    )  # [(keywords, count, percent)], from binome.voice.themes when present

    @property
    def response_rate(self):
        return pct(self.responded, self.invited)

    def share(self, question_code, value):
        for code, _label, yes, no, _blank in self.yes_no:
            if code == question_code:
                return yes if value == q.YES else no
        raise KeyError(question_code)

    def level(self, code):
        return next(s for s in self.levels if s.code == code)


YES_NO_REPORTED = [
    ("priority", _("L'implication des usagers est une priorité")),
    ("wants_more", _("Souhaite impliquer davantage les usagers")),
    ("knows_guide", _("Connaît le guide pour l'implication des usagers")),
    ("wants_support", _("Souhaite être accompagnée")),
]
FREQUENCY_QUESTIONS = [
    "barriers",
    "levers",
    "expected_impacts",
    "info_supports",
    "collect_tools",
    "co_built_topics",
]
TEXT_QUESTIONS = ["usager_definition", "implication_meaning", "priority_why", "comments"]


def campaign_report(campaign) -> CampaignReport:
    invited = campaign.invitations.count()
    responses = CampaignResponse.objects.filter(campaign=campaign)
    counts = responses.aggregate(
        total=Count("id"),
        **{
            f"{code}_{v}": Count("id", filter=Q(**{code: v}))
            for code, _l in YES_NO_REPORTED
            for v in ("yes", "no")
        },
    )
    total = counts["total"]
    report = CampaignReport(invited=invited, responded=total, withheld=total < MIN_GROUP)
    if report.withheld:
        return report
    by_level = dict(
        responses.values_list("level").annotate(n=Count("id")).values_list("level", "n")
    )
    report.levels = [
        Share(
            c, str(label), by_level.get(c, 0), pct(by_level.get(c, 0), total), str(q.LEVEL_HELP[c])
        )
        for c, label in q.LEVELS
    ]
    for code, label in YES_NO_REPORTED:
        yes, no = counts[f"{code}_yes"], counts[f"{code}_no"]
        report.yes_no.append(
            (
                code,
                label,
                Share("yes", _("Oui"), yes, pct(yes, total)),
                Share("no", _("Non"), no, pct(no, total)),
                Share("", _("Sans réponse"), total - yes - no, pct(total - yes - no, total)),
            )
        )
    rows = (
        ResponseChoice.objects.filter(campaign=campaign, question__in=FREQUENCY_QUESTIONS)
        .values("question", "value")
        .annotate(n=Count("response", distinct=True))
        .order_by("question", "-n", "value")
    )
    for row in rows:
        labels = q.BY_CODE[row["question"]].choice_labels
        report.frequencies.setdefault(row["question"], []).append(
            Share(
                row["value"],
                str(labels.get(row["value"], row["value"])),
                row["n"],
                pct(row["n"], total),
            )
        )
    report.frequencies = {
        code: report.frequencies[code] for code in FREQUENCY_QUESTIONS if code in report.frequencies
    }
    report.departments = _breakdown(responses, "department", total, lambda v: v or _("Non précisé"))
    kinds = dict(Structure.Kind.choices)
    report.kinds = _breakdown(
        responses, "kind", total, lambda v: str(kinds.get(v, v or _("Non précisé")))
    )
    answer_dicts = list(responses.values_list("answers", flat=True))
    report.keywords = keyword_counts(answer_dicts)
    report.themes = free_text_themes(answer_dicts, total)
    return report


def _breakdown(queryset, column, total, label):
    """Level distribution per group; groups under MIN_GROUP answers are folded together."""
    rows = (
        queryset.values(column)
        .annotate(
            n=Count("id"), **{f"n_{c}": Count("id", filter=Q(level=c)) for c in q.LEVEL_ORDER}
        )
        .order_by(column)
    )
    shown, other = [], Counter()
    for row in rows:
        if row["n"] >= MIN_GROUP:
            shown.append(
                {
                    "label": label(row[column]),
                    "count": row["n"],
                    "levels": [row[f"n_{c}"] for c in q.LEVEL_ORDER],
                }
            )
        else:
            other["n"] += row["n"]
            for c in q.LEVEL_ORDER:
                other[c] += row[f"n_{c}"]
    if other["n"]:
        shown.append(
            {
                "label": _("Autres (groupes de moins de %(n)s réponses)") % {"n": MIN_GROUP},
                "count": other["n"],
                "levels": [other[c] for c in q.LEVEL_ORDER] if other["n"] >= MIN_GROUP else None,
            }
        )
    return shown


STOP_WORDS = set(
    """a au aux avec ce ces cette dans de des du elle en et est être il ils je la le les leur leurs mais me même mes
    ne nos notre nous on ou par pas plus pour qu que qui sa se ses son sont sur ta te tes ton tu un une vos votre vous
    y à ça c d l n s t j m qu'il été fait faire avoir très bien aussi comme tout tous toute toutes sans sous entre
    peu pas non oui car donc alors ainsi encore déjà faut peut cela celui celle quand dont où chez si""".split()
)


def _normalise(word):
    return unicodedata.normalize("NFC", word.lower().strip("'’-"))


def keyword_counts(answer_dicts, top=15):
    """Free-text themes as keyword counts: a word counts once per answer, and only words
    found in at least MIN_GROUP answers are shown."""
    counter = Counter()
    for answers in answer_dicts:
        words = set()
        for code in TEXT_QUESTIONS:
            for word in re.findall(r"[\w’'-]{4,}", str(answers.get(code, "")), flags=re.UNICODE):
                w = _normalise(word)
                if w and w not in STOP_WORDS and not w.isdigit():
                    words.add(w)
        counter.update(words)
    return [(w, n) for w, n in counter.most_common(top) if n >= MIN_GROUP]


def _themes_helper():
    """binome.voice.themes.extract_themes when the users' voice app provides it (guarded)."""
    if not apps.is_installed("binome.voice"):
        return None
    try:
        from binome.voice.themes import extract_themes
    except ImportError:
        return None
    return extract_themes


def free_text_themes(answer_dicts, total):
    """Themes of the free-text answers: key words and how many answers, never the answers
    themselves; themes carried by fewer than MIN_GROUP answers are left out."""
    extract = _themes_helper()
    if extract is None:
        return []
    texts = [
        " ".join(str(a.get(code, "")) for code in TEXT_QUESTIONS).strip() for a in answer_dicts
    ]
    texts = [t for t in texts if t]
    try:
        themes = extract(texts)
    except Exception:  # noqa: BLE001 - an optional helper must never break the report
        return []
    return [
        (list(t.keywords), t.count, pct(t.count, total)) for t in themes if t.count >= MIN_GROUP
    ]


# --- the network dashboard ---


def _model(app_label, name):
    if not apps.is_installed(f"binome.{app_label}"):
        return None
    try:
        return apps.get_model(app_label, name)
    except LookupError:
        return None


# The dashboard aggregates the ~100 structures of a region (accompaniments, involvement
# actions, self-assessments): too costly to compute on every request. It is cached per
# network (and language, for the labels) for DASHBOARD_CACHE_SECONDS, with no invalidation
# on write: the writes come from several apps, and with the default per-process locmem
# cache a delete would only reach one worker. A timeout holds with locmem and with the
# shared database cache alike, so every figure is at most this old; the page says when
# it was computed.
DASHBOARD_CACHE_SECONDS = 5 * 60


def cached_network_dashboard(network):
    """``network_dashboard`` computed at most DASHBOARD_CACHE_SECONDS ago, with ``computed_at``."""
    key = f"networks:dashboard:{network.pk}:{get_language()}"
    data = cache.get(key)
    if data is None:
        data = {**network_dashboard(network), "computed_at": timezone.now()}
        cache.set(key, data, DASHBOARD_CACHE_SECONDS)
    return data


def network_dashboard(network, today=None):
    """Anonymised indicators of the structures that opted in to the network: aggregates only."""
    today = today or timezone.localdate()
    with scopes_disabled():
        structures = Structure.objects.filter(
            Exists(
                NetworkAffiliation.objects.opted_in().filter(
                    network=network, structure=OuterRef("pk")
                )
            )
        )
        last_level = Subquery(
            MaturityAssessment.objects.filter(structure=OuterRef("pk"))
            .order_by("-created_at", "-id")
            .values("level")[:1]
        )
        rows = (
            structures.annotate(last_level=last_level)
            .values("last_level")
            .annotate(n=Count("id"))
            .order_by()
        )
        by_level = {r["last_level"]: r["n"] for r in rows}
        total = sum(by_level.values())
        assessed = total - by_level.get(None, 0)
        data = {
            "structures": total,
            "assessed": assessed,
            "min_group": MIN_GROUP,
            "withheld": total < MIN_GROUP,
            "levels": [],
            "aci": None,
            "accompaniments": None,
            "kinds": [],
        }
        if data["withheld"]:
            return data
        if assessed >= MIN_GROUP:
            data["levels"] = [
                Share(c, str(label), by_level.get(c, 0), pct(by_level.get(c, 0), assessed))
                for c, label in q.LEVELS
            ]
        kinds = dict(Structure.Kind.choices)
        kind_rows = structures.values("kind").annotate(n=Count("id")).order_by("kind")
        other = sum(r["n"] for r in kind_rows if r["n"] < MIN_GROUP)
        data["kinds"] = [
            (str(kinds.get(r["kind"], r["kind"])), r["n"]) for r in kind_rows if r["n"] >= MIN_GROUP
        ]
        if other:
            data["kinds"].append(
                (_("Autres types (moins de %(n)s chacun)") % {"n": MIN_GROUP}, other)
            )
        data["aci"] = _aci_levels(structures, today)
        data["accompaniments"] = _accompaniments(structures, today)
    return data


def _aci_levels(structures, today):
    """ACI "implication des usagers" level reached this year, when the register exists."""
    model = _model("involvement", "InvolvementAction")
    if model is None or not {"aci_level", "start_date", "end_date"} <= {
        f.name for f in model._meta.get_fields()
    }:
        return None
    start, end = today.replace(month=1, day=1), today.replace(month=12, day=31)
    active = model.objects.filter(structure=OuterRef("pk"), start_date__lte=end).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start)
    )
    counts = structures.annotate(
        l2=Exists(active.filter(aci_level=2)), l1=Exists(active.filter(aci_level=1))
    ).aggregate(
        level2=Count("id", filter=Q(l2=True)),
        level1=Count("id", filter=Q(l1=True, l2=False)),
        total=Count("id"),
    )
    total = counts["total"]
    return [
        Share(
            "2",
            _("Niveau 2 : co-construire, partenariat, codécision"),
            counts["level2"],
            pct(counts["level2"], total),
        ),
        Share(
            "1",
            _("Niveau 1 : informer, consulter, sensibiliser"),
            counts["level1"],
            pct(counts["level1"], total),
        ),
        Share(
            "0",
            _("Pas encore d'action au registre"),
            total - counts["level1"] - counts["level2"],
            pct(total - counts["level1"] - counts["level2"], total),
        ),
    ]


def _accompaniments(structures, today):
    """Peer-accompaniment counts and first-contact delays over 12 months, when the app has models."""
    model = _model("accompaniment", "Accompaniment")
    needed = {"structure", "referred_at", "first_contact_at", "first_contact_due_at"}
    if model is None or not needed <= {f.name for f in model._meta.get_fields()}:
        return None
    since = timezone.now() - timedelta(days=365)
    qs = model.objects.filter(structure__in=structures, referred_at__gte=since)
    counts = qs.aggregate(
        total=Count("id"),
        contacted=Count("id", filter=Q(first_contact_at__isnull=False)),
        on_time=Count(
            "id",
            filter=Q(
                first_contact_at__isnull=False, first_contact_at__lte=F("first_contact_due_at")
            ),
        ),
        within_48h=Count(
            "id",
            filter=Q(
                first_contact_at__isnull=False,
                first_contact_at__lte=F("referred_at") + timedelta(hours=48),
            ),
        ),
        teams=Count("structure", distinct=True),
    )
    if counts["teams"] < MIN_GROUP:
        return {"withheld": True, "teams": counts["teams"]}
    return {
        "withheld": False,
        "teams": counts["teams"],
        "total": counts["total"],
        "contacted": counts["contacted"],
        "on_time_percent": pct(counts["on_time"], counts["contacted"]),
        "within_48h_percent": pct(counts["within_48h"], counts["contacted"]),
    }
