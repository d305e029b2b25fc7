"""Main navigation, assembled from each app's optional ``nav.py``.

An app declares ``ITEMS = [NavItem(...), ...]``; an item shows when the current roles
allow it (or, for network items, when the user has a current network).
"""

from dataclasses import dataclass, field
from functools import cache, lru_cache

from django.template import engines
from django.urls import NoReverseMatch, get_script_prefix
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from binome.core.plugins import app_modules
from binome.core.reversing import reverse
from binome.core.rows import render_template


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


def _current(menu: tuple, path: str) -> str | None:
    """The URL of the current page in the menu: only the most specific match
    (/structure/ vs /structure/membres/)."""
    return max(
        (url for _l, url, _s, _g in menu if path == url or (url != "/" and path.startswith(url))),
        key=len,
        default=None,
    )


def _menu_of(request) -> tuple:
    return _menu(
        frozenset(request.roles),
        request.binome.network is not None,
        get_language(),
        get_script_prefix(),
    )


def _items(menu: tuple, current: str | None) -> list[dict]:
    return [
        {"label": label, "url": url, "active": url == current, "section": section, "group": group}
        for label, url, section, group in menu
    ]


def navigation_for(request):
    if not request.user.is_authenticated:
        return []
    menu = _menu_of(request)
    return _items(menu, _current(menu, request.path_info))


@lru_cache(maxsize=2048)
def _groups_html(menu: tuple, current: str | None) -> SafeString:
    template = engines["rows"].env.get_template("navigation/menu_groups.html")  # type: ignore[attr-defined]
    return render_template(template, {"groups": grouped_navigation(_items(menu, current))})


class MenuGroups:
    """The groups of the main menu as HTML, written when base.html prints them.

    The HTML depends only on the menu (roles, network, language, prefix: ``_menu``) and on
    its current entry, so it is kept for those: its twenty links cost Django's template
    engine ≈ 0.6 ms on every page (issue 17)."""

    def __init__(self, request):
        self.request = request

    def __html__(self) -> SafeString:
        if not self.request.user.is_authenticated:
            return SafeString("")
        menu = _menu_of(self.request)
        return _groups_html(menu, _current(menu, self.request.path_info))

    __str__ = __html__
