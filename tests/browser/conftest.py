"""Browser tests: Playwright (sync API) driving Debian's chromium against pytest-django's live server.

Reusable fixtures (see docs/architecture.md, "Tests"):

- ``browser``: one headless chromium per test session (never downloaded: /usr/bin/chromium).
- ``page``: a fresh page on the live server, run twice: ``desktop`` (1280 px) and
  ``phone`` (360 px). ``page.goto("/connexion/")`` works (base URL set). It fails the test
  on any Content-Security-Policy violation or JavaScript error.
- ``login_as(page, user, verified=True)``: signs ``user`` in through a session cookie, as
  if the second factor had been passed (``verified=False``: only the password step).
- ``sign_in(page, email, password)``: signs in through the real form.
- ``check_page(page)``: axe-core (no serious or critical violation) and no horizontal
  scrolling at the current width. Call it on every page a test visits.

Every test here is marked ``browser`` automatically, runs with a transactional database,
and empties the append-only audit table before Django's flush (its trigger refuses DELETE).
"""

import os
from pathlib import Path

import pytest
from django.conf import settings

# Playwright's sync API runs an event loop in this thread; Django's ORM is still sync here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 360, "height": 740}}
# axe-core rule sets checked: WCAG 2.1 A and AA, plus axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def pytest_collection_modifyitems(config, items):
    here = str(Path(__file__).parent)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def _wipe_audit_before_flush(transactional_db):
    """Set up after the transactional database, so torn down before its flush."""
    yield
    from tests.support.audit import wipe_audit_log_for_tests

    wipe_audit_log_for_tests()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(
            "Debian's chromium is missing: `apt-get install chromium` (make test does it as root)."
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


def _settled_content(page):
    """page.content() right after a click can read the next document while it is still empty
    (seen once on CI); wait until it has loaded a body before returning it."""
    from playwright.sync_api import Error as PlaywrightError

    read = page.content

    def content():
        html = ""
        for _ in range(50):
            try:
                page.wait_for_load_state("load")
                html = read()
            except PlaywrightError:  # "page is navigating": read again once it has committed
                html = ""
            if "<body" in html:
                return html
            page.wait_for_timeout(100)
        return html

    return content


@pytest.fixture(params=list(SIZES), ids=list(SIZES))
def page(request, browser, live_server):
    context = browser.new_context(
        viewport=SIZES[request.param], locale="fr-FR", base_url=live_server.url
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.size_name = request.param
    page.content = _settled_content(page)
    problems = []
    page.on("pageerror", lambda exc: problems.append(f"JavaScript error: {exc}"))
    page.on(
        "console",
        lambda msg: (
            problems.append(f"console: {msg.text}")
            if msg.type == "error"
            and ("Content Security Policy" in msg.text or "Refused to" in msg.text)
            else None
        ),
    )
    yield page
    context.close()
    assert not problems, problems


@pytest.fixture
def login_as(live_server):
    from django.test import Client

    from tests.conftest import force_verified_login

    def login(page, user, verified=True):
        client = Client()
        if verified:
            force_verified_login(client, user)
        else:
            client.force_login(user, backend="binome.accounts.backends.ModelBackend")
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
        )
        return page

    return login


@pytest.fixture
def sign_in():
    def sign(page, email, password):
        page.goto("/connexion/")
        page.get_by_label("Adresse e-mail").fill(email)
        page.get_by_label("Mot de passe").fill(password)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_load_state()
        return page

    return sign


@pytest.fixture
def check_page():
    if not AXE_JS.exists():
        pytest.fail("axe-core is missing: run `npm ci` (make test does it).")
    axe_source = AXE_JS.read_text()

    def run_axe(page, exclude):
        # Evaluated through the DevTools protocol: not subject to the page's CSP.
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(axe_source + "\n;undefined")
        return page.evaluate(
            """async ([tags, exclude]) => {
                const context = exclude.length ? {exclude: exclude.map(s => [s])} : document;
                const r = await axe.run(context, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
                return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
            }""",
            [AXE_TAGS, list(exclude)],
        )

    def check(page, *, exclude=()):
        from playwright.sync_api import Error as PlaywrightError

        # A click on a link returns once the navigation has started: on a loaded machine the
        # next document may still be empty (CI saw axe fail on a null documentElement).
        for attempt in range(20):
            try:
                page.wait_for_load_state("load")
                result = run_axe(page, exclude)
                break
            except PlaywrightError:
                if attempt == 19:
                    raise
                page.wait_for_timeout(100)
        serious = [v for v in result if v["impact"] in ("serious", "critical")]
        assert not serious, f"axe-core on {page.url} ({page.size_name}): {serious}"
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, (
            f"{page.url} scrolls sideways by {overflow}px at {page.size_name} width"
        )
        return result

    return check
