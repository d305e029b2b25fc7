"""User-facing French goes through gettext (docs/architecture.md, "Views and templates").

A French sentence written as a plain string in Python code (outside ``_()``, ``gettext``,
``gettext_lazy``, ``ngettext``, ``pgettext``, docstrings and migrations) is counted per
file. ``tests/french_literals.json`` holds the counts the code had when this check came in:
a file may only go down. A new French literal fails here; wrap it in gettext."""

import ast
import json
import re
from pathlib import Path

import binome

ROOT = Path(binome.__file__).parent
BASELINE = Path(__file__).with_name("french_literals.json")
GETTEXT = {
    "_",
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "gettext_noop",
    "_lazy",
    "_noop",
}
FRENCH = re.compile(
    r"[éèêëàâçùûôîïœÉÈÀÇ«»’]|\b(?:le|la|les|des|une|vous|votre|est|pas|sur|avec|pour|aucun|aucune)\b",
    re.IGNORECASE,
)
# Not user-facing: logs, exceptions meant for developers, comparisons with stored values.
SKIPPED_CALLS = {
    "debug",
    "info",
    "warning",
    "error",
    "exception",
    "critical",
    "ValueError",
    "RuntimeError",
    "TypeError",
    "KeyError",
    "AssertionError",
    "ImproperlyConfigured",
}


# Content, not interface: the demo's fictional data and the resource library's seeded texts.
CONTENT = {"demo", "library", "frdata"}


def _is_sentence(text: str) -> bool:
    return (
        " " in text.strip()
        and len(text.strip()) > 3
        and bool(FRENCH.search(text))
        and not text.startswith(("SELECT", "http"))
    )


def french_literals(source: str) -> list[tuple[int, str]]:
    tree = ast.parse(source)
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                skip.add(id(body[0].value))  # docstring
        if isinstance(node, ast.Call):
            func = node.func
            name = (
                func.id
                if isinstance(func, ast.Name)
                else func.attr
                if isinstance(func, ast.Attribute)
                else ""
            )
            if name in GETTEXT or name in SKIPPED_CALLS:
                for sub in ast.walk(node):
                    skip.add(id(sub))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            if _is_sentence(node.value):
                found.append((node.lineno, node.value))
    return found


def _counts() -> dict[str, int]:
    counts = {}
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts or path.stem in CONTENT:
            continue
        n = len(french_literals(path.read_text()))
        if n:
            counts[str(path.relative_to(ROOT.parent))] = n
    return counts


def test_no_new_french_literal_outside_gettext():
    baseline = json.loads(BASELINE.read_text())
    counts = _counts()
    grown = {f: (n, baseline.get(f, 0)) for f, n in counts.items() if n > baseline.get(f, 0)}
    assert not grown, "French text outside gettext (wrap it in _()): " + ", ".join(
        f"{f} {n} > {was}" for f, (n, was) in grown.items()
    )
    shrunk = {f: (counts.get(f, 0), n) for f, n in baseline.items() if counts.get(f, 0) < n}
    assert not shrunk, (
        "fewer French literals than tests/french_literals.json says: lower it there: "
        + ", ".join(f"{f} {n} < {was}" for f, (n, was) in shrunk.items())
    )


def test_the_check_sees_a_french_sentence_and_not_a_translated_one():
    source = 'x = "Enregistrez la fiche"\ny = _("Enregistrez la fiche")\nlogger.info("Lancé à la main")\nz = "pk"\n'
    assert [line for line, _text in french_literals(source)] == [1]


if __name__ == "__main__":  # python tests/test_french_literals.py: write the counts again
    BASELINE.write_text(json.dumps(_counts(), indent=1, sort_keys=True) + "\n")
