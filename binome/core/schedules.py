"""Periodic jobs, declared by each app in ``<app>/tasks.py`` as

    SCHEDULES = [Periodic("binome.accompaniment.tasks.process_deadlines", minutes=5, name="…")]

`binome setup_schedules` (run by `make run` and by deployments) writes them into
django-q2's schedule table. Jobs must be idempotent: they work on rows that carry their
own due date and "done at" marker, so that a restart or a double run changes nothing.
"""

from dataclasses import dataclass

from binome.core.plugins import app_modules


@dataclass(frozen=True)
class Periodic:
    func: str
    minutes: int
    name: str


def all_schedules() -> list[Periodic]:
    schedules: list[Periodic] = []
    for _app, module in app_modules("tasks"):
        schedules.extend(getattr(module, "SCHEDULES", []))
    return schedules
