"""Every write in a service (docs/architecture.md): pages and API handlers call one service
per action, which checks the rule, writes and records its audit row in one transaction. A
view or API module that saves, creates, updates or deletes a model itself fails here."""

import ast
from pathlib import Path

import binome

ROOT = Path(binome.__file__).parent
WRITES = {
    "save",
    "create",
    "update",
    "delete",
    "get_or_create",
    "update_or_create",
    "bulk_create",
    "bulk_update",
}
QUERYSET_HINTS = {
    "objects",
    "filter",
    "exclude",
    "all",
    "_base_manager",
    "select_related",
    "annotate",
}


def _chain(node):
    """Names along an attribute/call chain: a.objects.filter(...).update -> [a, objects, filter, update]."""
    names = []
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Name):
            names.append(node.id)
            return names[::-1]
        else:
            return names[::-1]


def writes_in(source: str):
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in WRITES
        ):
            continue
        method, chain = node.func.attr, _chain(node.func.value)
        if chain[:1] in (["services"], ["router"]) or (chain and chain[0].endswith("_services")):
            continue  # a service's own function (services.save), or a route (router.delete)
        if method == "save":
            if any(
                k.arg == "commit" and isinstance(k.value, ast.Constant) and k.value.value is False
                for k in node.keywords
            ):
                continue  # form.save(commit=False) builds the object, writes nothing
        elif method == "update":
            if not set(chain) & QUERYSET_HINTS:
                continue  # dict.update
        elif method == "delete" or method == "create":
            pass
        elif not set(chain) & QUERYSET_HINTS:
            continue
        found.append((node.lineno, ".".join([*chain, method])))
    return found


def _view_modules():
    for path in sorted(ROOT.rglob("*.py")):
        if path.stem in {"views", "public_views", "api"} or path.stem.endswith("_views"):
            yield path


def test_no_view_nor_api_handler_writes_a_model():
    wrong = [
        f"{path.relative_to(ROOT.parent)}:{line} {call}()"
        for path in _view_modules()
        for line, call in writes_in(path.read_text())
    ]
    assert not wrong, "writes outside the services:\n" + "\n".join(wrong)


def test_the_check_sees_each_kind_of_write():
    source = (
        "obj.save()\nform.save()\nform.save(commit=False)\nModel.objects.create(a=1)\n"
        "Model.objects.filter(a=1).update(b=2)\ncontext.update(x=1)\nseat.delete()\n"
        "Model.objects.get_or_create(a=1)\nservices.save(obj)\n"
    )
    assert [call for _line, call in writes_in(source)] == [
        "obj.save",
        "form.save",
        "Model.objects.create",
        "Model.objects.filter.update",
        "seat.delete",
        "Model.objects.get_or_create",
    ]
