"""Apps in layers (docs/architecture.md, "Layers"): a module imports only its own app and
the apps below it, so that no two apps import each other in a circle; and no module
imports another app's pages, API or menus (leaves that only the shell mounts)."""

import ast
from pathlib import Path

import binome

# Lowest first: a module may import the apps on earlier lines, never those after.
LAYERS = [
    "core",  # what every app uses: roles, permissions, forms, documents, plug-in discovery
    "audit",  # the append-only journal: record()
    "people",  # users, structures, networks, memberships
    "accounts",  # sign-in, second factor, tokens, Pro Santé Connect
    "api",  # the API's base: errors, pagination, schemas
    "privacy",  # personal-data registry, retention, rights (and the audit journal's page)
    "messaging",  # reminders by e-mail and SMS
    "partners",
    "missions",
    "accompaniment",
    "tandems",  # doctor–partner tandems and practice-analysis groups (seed 003)
    "compensation",
    "involvement",
    "voice",
    "networks",
    "steering",
    "fhir",
    "imports",
    "web",  # the shell: home page, middleware, error pages, onboarding
]
RANK = {app: rank for rank, app in enumerate(LAYERS)}
# Leaves: mounted or discovered by the shell; no other app imports them.
LEAVES = {
    "views",
    "public_views",
    "urls",
    "public_urls",
    "api",
    "nav",
    "home",
    "demo",
    "tasks",
    "audit_kinds",
    "personal_data",
    "management",
    "templatetags",
    "admin",
}
# The project's own shell assembles every app.
SHELL = {"urls.py", "cli.py", "settings.py", "wsgi.py", "env.py", "__init__.py"}
ROOT = Path(binome.__file__).parent


def _imports(path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # "from binome.x import views" names the module views of app x.
            short = node.module.count(".") < 2
            names = [f"{node.module}.{a.name}" for a in node.names] if short else [node.module]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "binome" and len(parts) > 1 and (ROOT / parts[1]).is_dir():
                yield node.lineno, parts[1], parts[2] if len(parts) > 2 else ""


def _app_modules():
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if len(rel.parts) == 1 or "migrations" in rel.parts:
            continue
        yield path.relative_to(ROOT.parent), rel.parts[0], path


def _is_leaf(module):
    return module in LEAVES or module.endswith(("_views", "_urls"))


def test_every_app_has_a_layer():
    apps = {p.name for p in ROOT.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert apps == set(LAYERS), (
        f"missing from LAYERS: {sorted(apps - set(LAYERS))}; gone: {sorted(set(LAYERS) - apps)}"
    )


def test_no_app_imports_an_app_above_it():
    wrong = []
    for rel, app, path in _app_modules():
        for line, target, module in _imports(path):
            if target == app:
                continue
            if RANK[target] > RANK[app]:
                wrong.append(f"{rel}:{line} imports binome.{target} (above {app})")
            elif _is_leaf(module):
                wrong.append(f"{rel}:{line} imports binome.{target}.{module} (a leaf)")
    assert not wrong, "imports against the layers (docs/architecture.md):\n" + "\n".join(wrong)


def test_the_layer_rule_catches_a_circle(tmp_path):
    """The check itself: a module of a lower app importing a higher one is reported."""
    module = tmp_path / "rule.py"
    module.write_text(
        "from binome.missions.models import Mission\nfrom binome.people import views\n"
    )
    found = [(target, name) for _line, target, name in _imports(module)]
    assert found == [("missions", "models"), ("people", "views")]
    assert RANK["missions"] > RANK["partners"] and _is_leaf("views")


def test_the_package_ships_no_benchmark_nor_test_helper():
    assert not (ROOT / "bench").exists()
    assert not (ROOT / "audit" / "testing.py").exists()
    assert not (ROOT / "web" / "management" / "commands" / "seed_scale.py").exists()
