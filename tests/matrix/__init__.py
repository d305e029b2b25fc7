"""The permission matrix: every role × every page and endpoint × an object of the other structure.

Each app adds ``tests/matrix/<app>.py`` with ``ENTRIES = [Entry(...), ...]``. One line per URL:

    Entry("missions:detail", allowed={"coordinator", "doctor", "partner"},
          own=lambda w: {"public_id": MissionFactory(structure=w.a).public_id},
          other=lambda w: {"public_id": MissionFactory(structure=w.b).public_id})

- ``allowed``: personas (see tests/conftest.py PERSONAS) that get 200 on ``own``; every
  other signed-in persona gets 403 (or 404 when ``hidden`` says the object itself is
  invisible to them, e.g. a partner on another partner's accompaniment).
- ``other``: kwargs of an object of structure B; every persona of A gets 404 there.
- ``public``: no sign-in needed (anonymous gets 200).
- ``api``: an /api/v1/ path (kwargs formatted in); uses Bearer tokens, 401 when anonymous.
- ``method``: "get" by default; a "post" entry sends ``data``: refused personas get
  403/404 and nothing recorded; an allowed persona's post either succeeds with an audited
  change or is refused as invalid (400/422) with none (``unaudited`` for a write that
  records no audit row, with the reason).
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Entry:
    name: str  # URL name, or for the API a path such as "/api/v1/missions/{public_id}"
    allowed: set = field(default_factory=set)
    own: Callable | None = None
    other: Callable | None = None
    hidden: set = field(default_factory=set)  # personas that get 404 on own (object invisible)
    public: bool = False
    api: bool = False
    method: str = "get"
    data: dict | Callable | None = None
    ok_status: int = 200
    # An allowed write that records no audit row of its own (say why in the entry).
    unaudited: bool = False
    # Data the page needs besides its object (a charter to sign), made once before the personas.
    setup: Callable | None = None

    def __str__(self):
        return f"{self.method.upper()} {self.name}"
