"""Periodic jobs, declared by each app in ``<app>/tasks.py`` as

    SCHEDULES = [Periodic("binome.accompaniment.tasks.process_deadlines", minutes=5, name="…")]

`binome setup_schedules` (run by `make run` and by deployments) writes them into
django-q2's schedule table. Jobs must be idempotent: they work on rows that carry their
own due date and "done at" marker, so that a restart or a double run changes nothing.
"""

from dataclasses import dataclass
from importlib import import_module

from django.conf import settings


@dataclass(frozen=True)
class Periodic:
    func: str
    minutes: int
    name: str


def all_schedules() -> list[Periodic]:
    schedules = []
    for app in settings.BINOME_APPS:
        try:
            module = import_module(f"{app}.tasks")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.tasks":
                raise
            continue
        schedules.extend(getattr(module, "SCHEDULES", []))
    return schedules
