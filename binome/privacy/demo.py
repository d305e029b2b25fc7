"""Demo: the Tilleuls team has completed its processing register entry; its DPIA is still
the proposed text (the page shows what is left to complete)."""

from binome.people.models import Role
from binome.privacy.documents import TO_COMPLETE, proposed
from binome.privacy.models import ProcessingDocument

COMPLETED = {
    "controller": (
        "Contact : Claire Fabre, coordinatrice (coordination@tilleuls.demo).\n"
        "Délégué à la protection des données : Maître Anne Delmas, DPO mutualisé de la fédération régionale."
    ),
    "legal_basis": "Intérêt légitime de la structure à organiser l'implication des usagers, prévu par son projet de santé",
}


def load(demo):
    structure = demo.tilleuls
    if ProcessingDocument.objects.filter(
        structure=structure, kind=ProcessingDocument.Kind.REGISTER
    ).exists():
        return
    coordinator = demo.members("tilleuls", Role.COORDINATOR)[0]
    sections = []
    for section in proposed(structure, ProcessingDocument.Kind.REGISTER):
        body = section["body"]
        if section["key"] in COMPLETED:
            body = _fill(section["key"], body)
        sections.append({**section, "body": body})
    ProcessingDocument.objects.create(
        structure=structure,
        kind=ProcessingDocument.Kind.REGISTER,
        sections=sections,
        updated_by=coordinator,
    )


def _fill(key, body):
    if key == "controller":
        lines = [line for line in body.splitlines() if not line.startswith(("Contact", "Délégué"))]
        return "\n".join([*lines, COMPLETED["controller"]])
    return body.replace(f"— {TO_COMPLETE}", f"— {COMPLETED[key]}")
