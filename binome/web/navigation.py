"""Main navigation, assembled from each app's optional ``nav.py``.

An app declares ``ITEMS = [NavItem(...), ...]``; an item shows when the current roles
allow it (or, for network items, when the user has a current network).
"""

from dataclasses import dataclass, field
from functools import cache
from importlib import import_module

from django.conf import settings
from django.urls import NoReverseMatch, reverse


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
    for app in settings.BINOME_APPS:
        try:
            module = import_module(f"{app}.nav")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.nav":
                raise
            continue
        items.extend(module.ITEMS)
    return sorted(items, key=lambda i: (i.order, str(i.label)))


def navigation_for(request):
    if not request.user.is_authenticated:
        return []
    roles = set(request.roles)
    has_network = request.binome.network is not None
    visible = []
    path = request.path_info
    for item in _all_items():
        if not ((roles & {str(r) for r in item.roles}) or (item.network and has_network)):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        active = path == url or (url != "/" and path.startswith(url))
        visible.append({"label": item.label, "url": url, "active": active, "section": item.section})
    return visible
