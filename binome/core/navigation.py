"""Main navigation, assembled from each app's optional ``nav.py``.

An app declares ``ITEMS = [NavItem(...), ...]``; an item shows when the current roles
allow it (or, for network items, when the user has a current network).
"""

from dataclasses import dataclass, field
from functools import cache, lru_cache

from django.urls import NoReverseMatch, get_script_prefix
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from binome.core.plugins import app_modules
from binome.core.reversing import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: tuple = ()  # structure roles that see it; empty = nobody in a structure
    network: bool = False  # shown to facilitators with a current network
    order: int = 100
    section: str = field(default="main")


@cache
def _all_items() -> list[NavItem]:
    items: list[NavItem] = []
    for _app, module in app_modules("nav"):
        items.extend(module.ITEMS)
    return sorted(items, key=lambda i: (i.order, str(i.label)))


# Menu groups by order range, so that a new item lands in a group without any other change.
GROUPS = [
    (0, 100, _("Réseau régional")),
    (100, 200, _("Au quotidien")),
    (200, 300, _("Patients partenaires et missions")),
    (300, 400, _("Pair-accompagnement")),
    (400, 600, _("Implication et voix des usagers")),
    (600, 650, _("Temps et indemnisation")),
    (650, 700, _("Maturité et ressources")),
    (700, 800, _("Projets")),
    (800, 10_000, _("Structure et données")),
]


def group_label(order: int):
    for low, high, label in GROUPS:
        if low <= order < high:
            return label
    return GROUPS[-1][2]


def grouped_navigation(items):
    """[{"label": group, "items": [...]}, ...] in menu order, empty groups left out."""
    groups = []
    for item in items:
        if not groups or groups[-1]["label"] != item["group"]:
            groups.append({"label": item["group"], "items": []})
        groups[-1]["items"].append(item)
    return groups


@lru_cache(maxsize=512)
def _menu(roles: frozenset, has_network: bool, language: str, script_prefix: str) -> tuple:
    """What a set of roles sees in the menu, labels translated: the same on every page
    (translating some twenty lazy labels on each page cost more than building it)."""
    menu = []
    for item in _all_items():
        if not ((roles & {str(r) for r in item.roles}) or (item.network and has_network)):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        menu.append((str(item.label), url, item.section, str(group_label(item.order))))
    return tuple(menu)


def navigation_for(request):
    if not request.user.is_authenticated:
        return []
    menu = _menu(
        frozenset(request.roles),
        request.binome.network is not None,
        get_language(),
        get_script_prefix(),
    )
    path = request.path_info
    visible = [
        {
            "label": label,
            "url": url,
            "active": path == url or (url != "/" and path.startswith(url)),
            "section": section,
            "group": group,
        }
        for label, url, section, group in menu
    ]
    # Only the most specific match is the current page (/structure/ vs /structure/membres/).
    best = max((v["url"] for v in visible if v["active"]), key=len, default=None)
    for v in visible:
        v["active"] = v["url"] == best
    return visible
