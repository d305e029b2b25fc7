"""Home page cards, contributed by each app's optional ``home.py``.

An app defines ``def cards(request) -> list[Card]``; it must run a constant number of
queries whatever the amount of data (the home page query count is pinned in tests).
"""

from dataclasses import dataclass
from functools import cache
from importlib import import_module

from django.conf import settings


@dataclass
class Card:
    title: str
    value: str | int | None = None
    url: str | None = None
    help: str = ""
    order: int = 100
    tone: str = "neutral"  # neutral | attention | success


@cache
def _providers():
    providers = []
    for app in settings.BINOME_APPS:
        try:
            module = import_module(f"{app}.home")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.home":
                raise
            continue
        if hasattr(module, "cards"):
            providers.append(module.cards)
    return providers


def cards_for(request) -> list[Card]:
    cards: list[Card] = []
    for provider in _providers():
        cards.extend(provider(request))
    return sorted(cards, key=lambda c: c.order)
