"""Links from a project to missions, programmes and involvement actions, guarded.

The target apps are built by other teams and may not define these models yet: a kind
whose model is missing is simply not offered.
"""

from django.apps import apps

from binome.steering.models import ProjectLink

TARGETS = {
    ProjectLink.Kind.MISSION: ("missions", "Mission"),
    ProjectLink.Kind.PROGRAMME: ("involvement", "Programme"),
    ProjectLink.Kind.ACTION: ("involvement", "InvolvementAction"),
}


def target_model(kind):
    app_label, model_name = TARGETS[kind]
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return None
    field_names = {f.name for f in model._meta.get_fields()}
    if not {"public_id", "structure"} <= field_names:
        return None
    return model


def available_kinds():
    return [kind for kind in TARGETS if target_model(kind) is not None]


def label_of(obj) -> str:
    for attr in ("title", "name"):
        value = getattr(obj, attr, None)
        if value:
            return str(value)[:200]
    return str(obj)[:200]


def choices_for(structure, limit=200):
    """(value, label) pairs "kind:public_id" of the structure's linkable objects."""
    choices = []
    for kind in available_kinds():
        model = target_model(kind)
        for obj in model.objects.filter(structure=structure).order_by("-pk")[:limit]:
            choices.append(
                (f"{kind}:{obj.public_id}", f"{ProjectLink.Kind(kind).label} — {label_of(obj)}")
            )
    return choices


def resolve(structure, kind, public_id):
    """The linked object when it exists in the structure, else None."""
    model = target_model(kind)
    if model is None:
        return None
    return model.objects.filter(structure=structure, public_id=public_id).first()
