"""Form fuzzing (issue 9): hypothesis over every form of every role, in process.

    .venv/bin/python bench/fuzz_forms.py [--examples 100] [--seed 1] [--only /partenaires/]

Works on a throwaway database (a new temporary BINOME_VAR_DIR, migrated, demo loaded).
Every form is found, not listed by hand: for each demo account (and an anonymous visitor)
the script follows the links of the pages it can see, from the home page and the public
pages, a few instances of each URL pattern, and gathers every form that posts (`method=post`
or `hx-post`), keyed by (role, URL pattern of its action). For each form it lets hypothesis
post mixes of valid values, empty fields and junk (long or odd Unicode text, NUL bytes,
huge or negative numbers, impossible dates, junk files). Properties checked on every post:

* never a 5xx (the test client re-raises the server's exception, so hypothesis shrinks it);
* bad input (400/413/422) writes nothing: no table of the domain changes (the audit log,
  sessions and sign-in attempts excepted).

Half the posts are a plausible filling with one or two fields spoiled, so that valid
submissions (and the writes behind them) are exercised too. Each form is fuzzed inside a
transaction rolled back at the end: a form that ends, deletes or signs out does not
change the world of the next one. Writes bench/results-forms.md. Too slow for the test
suite (minutes), hence a script.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import traceback
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


class PageParser(HTMLParser):
    """The links of a page and its forms that post (action, fields with their options)."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.forms: list[dict] = []
        self.current = None
        self.select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for attr in ("href", "hx-get"):
            if tag in ("a", "div", "section", "button", "tr", "li") and a.get(attr):
                self.links.append(a[attr])
        if tag == "form":
            method = (a.get("method") or "").lower()
            if method == "post" or a.get("hx-post"):
                self.current = {"action": a.get("hx-post") or a.get("action") or "", "fields": {}}
                self.forms.append(self.current)
        if self.current is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            field = self.current["fields"].setdefault(
                name, {"type": kind, "options": [], "value": a.get("value") or ""}
            )
            if kind in ("radio", "checkbox"):
                field["options"].append(a.get("value") or "on")
        elif tag == "select" and name:
            self.select = self.current["fields"].setdefault(
                name, {"type": "select", "options": [], "value": "", "multiple": "multiple" in a}
            )
        elif tag == "option" and self.select is not None:
            self.select["options"].append(a.get("value") or "")
        elif tag == "textarea" and name:
            self.current["fields"].setdefault(
                name, {"type": "textarea", "options": [], "value": ""}
            )
        elif tag == "button" and name:
            field = self.current["fields"].setdefault(
                name, {"type": "radio", "options": [], "value": a.get("value") or ""}
            )
            field["options"].append(a.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        if tag == "form":
            self.current = None


def plausible(name: str, f: dict) -> str | list:
    """A value a person would type or pick, so that most posts can pass validation."""
    kind, options = f["type"], [o for o in f["options"] if o != ""]
    if kind == "checkbox":
        return options if len(options) > 1 and name != "designated" else (options[:1] or ["on"])
    if options:
        return options[0]
    if f["value"]:
        return f["value"]
    today = datetime.now()
    return {
        "number": "30",
        "date": today.strftime("%Y-%m-%d"),
        "datetime-local": today.strftime("%Y-%m-%dT08:%M"),
        "time": "10:00",
        "email": "camille.martin@example.org",
        "tel": "0612345678",
    }.get(kind, "0612345678" if "phone" in name else "Texte ordinaire")


def junk_file(content: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name or "sans-nom", content)


def strategy_for(fields: dict):
    """Half the posts: a plausible form with one or two fields spoiled (or left out); the
    other half: every field drawn from valid values, empty or junk."""
    from hypothesis import strategies as st

    text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=300)
    long_text = st.text(
        alphabet=st.characters(exclude_categories=("Cs",)), min_size=1000, max_size=6000
    )
    junk = st.one_of(
        text,
        st.integers(-(10**20), 10**20).map(str),
        st.just("\x00"),
        st.just("2026-02-30"),
        long_text,
    )
    out, valid = {}, {}
    for name, f in fields.items():
        if name in ("csrfmiddlewaretoken",):
            continue
        if f["type"] == "file":
            out[name] = st.one_of(
                st.none(),
                st.builds(
                    junk_file,
                    st.binary(max_size=3000),
                    st.sampled_from(["a.pdf", "photo.jpg", "x.png", "doc.exe", ""]),
                ),
            )
            continue
        kind, options = f["type"], [o for o in f["options"] if o != ""]
        valid[name] = plausible(name, f)
        if name == "submission_token":
            s = st.one_of(st.uuids().map(lambda u: u.hex), st.just(""), text)
        elif name == "website":  # the honeypot: mostly empty, as people leave it
            s = st.one_of(st.just(""), st.just(""), text)
        elif kind == "checkbox" and len(options) > 1:
            s = st.one_of(
                st.lists(st.sampled_from(options), max_size=len(options), unique=True),
                st.lists(junk, max_size=2),
            )
        elif kind == "checkbox":
            s = st.one_of(st.just("on"), st.just(""), junk)
        elif options:
            s = st.one_of(st.sampled_from(options), st.sampled_from(options), junk)
        elif kind == "number":
            s = st.one_of(st.integers(-5, 1000).map(str), junk)
        elif kind == "date":
            s = st.one_of(st.dates().map(lambda d: d.isoformat()), junk)
        elif kind == "datetime-local":
            s = st.one_of(st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M")), junk)
        elif kind == "time":
            s = st.one_of(st.times().map(lambda t: t.strftime("%H:%M")), junk)
        elif kind == "email":
            s = st.one_of(st.emails(), junk)
        elif kind == "hidden":
            s = st.one_of(st.just(f["value"]), junk)
        else:
            s = st.one_of(st.just(f["value"] or "Texte ordinaire"), text, junk)
        out[name] = st.one_of(s, st.none())
    valid["submission_token"] = valid.get("submission_token") or ""
    everything = st.fixed_dictionaries(out)
    spoiled = (
        st.dictionaries(st.sampled_from(sorted(out)), st.one_of(junk, st.none()), max_size=2)
        if out
        else st.just({})
    )

    def merge(changes, token):
        data = {**valid, **changes}
        if "submission_token" in data and "submission_token" not in changes:
            data["submission_token"] = token  # a fresh token: each post is a new submission
        return data

    plausible_posts = st.builds(merge, spoiled, st.uuids().map(lambda u: u.hex))
    return st.one_of(plausible_posts, everything).map(
        lambda d: {k: v for k, v in d.items() if v is not None}
    )


# Tables a rejected post may legitimately write to: the audit log (a refused read of
# patient data is audited too), sessions, sign-in attempts, the task queue, caches.
UNWATCHED_TABLES = (
    "audit_",
    "django_session",
    "axes_",
    "django_q_",
    "binome_cache",
    "django_migrations",
)


def table_state():
    """A fingerprint of every watched table's rows: a rejected post must leave it unchanged."""
    import hashlib

    from django.db import connection

    digest = hashlib.blake2b(digest_size=16)
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table.startswith(UNWATCHED_TABLES):
                continue
            cursor.execute(f'SELECT * FROM "{table}"')
            digest.update(table.encode())
            for row in cursor.fetchall():
                digest.update(repr(row).encode())
    return digest.hexdigest()


def changed_tables(before: dict) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        return [t for t, rows in before.items() if _rows(cursor, t) != rows]


def _rows(cursor, table):
    cursor.execute(f'SELECT * FROM "{table}"')
    return sorted(map(repr, cursor.fetchall()))


def snapshot() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        return {
            t: _rows(cursor, t)
            for t in connection.introspection.table_names(cursor)
            if not t.startswith(UNWATCHED_TABLES)
        }


def make_fuzz(client, url, stats, strategy, args):
    from hypothesis import HealthCheck, given, seed, settings

    state = {"fingerprint": table_state(), "snapshot": snapshot() if args.explain else None}

    @seed(args.seed)
    @settings(
        max_examples=args.examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def fuzz(data):
        response = client.post(url, data)
        stats["examples"] += 1
        stats["statuses"][response.status_code] = stats["statuses"].get(response.status_code, 0) + 1
        assert response.status_code < 500, f"{response.status_code} sur {url}"
        # One fingerprint per post: the state after this post is the state before the next.
        before, state["fingerprint"] = state["fingerprint"], table_state()
        if response.status_code in (400, 413, 422) and state["fingerprint"] != before:
            where = f" ({', '.join(changed_tables(state['snapshot']))})" if args.explain else ""
            raise AssertionError(
                f"réponse {response.status_code} mais des données ont changé{where}"
            )
        if args.explain and state["fingerprint"] != before:
            state["snapshot"] = snapshot()

    return fuzz


def setup_world():
    """Demo data plus what the demo lacks for some forms: an accompaniment, a published survey."""
    from django.core.management import call_command

    from binome.accompaniment import services as acc_services
    from binome.partners.models import Partner
    from binome.people.demo_set import load_demo
    from binome.people.models import Membership, Role
    from binome.people.scoping import scopes_disabled
    from binome.voice.models import Question, Survey

    call_command("migrate", verbosity=0)
    demo = load_demo()
    with scopes_disabled():
        tilleuls = demo.tilleuls
        doctor = Membership.objects.get(
            user=demo.user("medecin@tilleuls.demo"), structure=tilleuls, role=Role.PROFESSIONAL
        )
        partner = Partner.objects.get(
            membership__user=demo.user("partenaire@tilleuls.demo"), structure=tilleuls
        )
        if partner.status != "active":
            Partner.objects.filter(pk=partner.pk).update(status="active")
        acc = acc_services.create_referral(
            structure=tilleuls,
            referrer=doctor,
            patient_data={
                "first_name": "Gérard",
                "last_name": "P",
                "phone": "0600000000",
                "email": "",
                "pathway": "diabetes",
            },
            purposes=["contact_by_partner", "share_contact_details", "share_summaries_with_team"],
            method="oral",
            partner=partner,
        )
        survey = Survey.objects.create(
            structure=tilleuls,
            title="Enquête fuzz",
            state="published",
            published_at=datetime.now(UTC),
        )
        Question.objects.create(
            survey=survey, kind="scale", label="Accueil ?", required=True, position=0
        )
        Question.objects.create(
            survey=survey, kind="multiple", label="Ateliers ?", choices=["A", "B", "C"], position=1
        )
        Question.objects.create(survey=survey, kind="text", label="Remarque ?", position=2)
    return demo, acc, survey


SKIP_PATHS = ("/static/", "/media/", "/api/", "/deconnexion/", "/admin/", "/__bench__/")
SKIP_WORDS = (
    "export",
    ".pdf",
    ".xlsx",
    ".csv",
    ".ics",
    "affiche",
    "telecharger",
    "fichier",
    "photo",
    "preuve",
)
# One account per role of the demo (the other structure's accounts see the same forms).
ACCOUNTS = {
    "coordinator": "coordination@tilleuls.demo",
    "professional": "medecin@tilleuls.demo",
    "nurse": "ide.asalee@tilleuls.demo",
    "partner": "partenaire@tilleuls.demo",
    "user_rep": "usagers@tilleuls.demo",
    "patient": "patient@tilleuls.demo",
    "facilitator": "reseau@occitanie.demo",
}


def crawl(client, starts, per_pattern=2, max_pages=300):
    """GET the pages a person can reach by following links; returns (forms, links seen).

    Forms are keyed by (method, view name of their action): a form that appears on every
    accompaniment is fuzzed once. At most `per_pattern` pages of each URL pattern are read.
    """
    from collections import Counter, deque
    from urllib.parse import urljoin, urlsplit

    from django.urls import Resolver404, resolve

    queue, seen, per_name, forms, links = deque(starts), set(), Counter(), {}, set()
    while queue and len(seen) < max_pages:
        url = queue.popleft()
        parts = urlsplit(url)
        if parts.netloc not in ("", "testserver") or parts.scheme not in ("", "http"):
            continue
        path = parts.path
        if path in seen or path.startswith(SKIP_PATHS) or any(w in path for w in SKIP_WORDS):
            continue
        seen.add(path)
        try:
            name = resolve(path).view_name
        except Resolver404:
            continue
        if per_name[name] >= per_pattern:
            continue
        per_name[name] += 1
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        page = PageParser()
        page.feed(html)
        searches = GetForms()
        searches.feed(html)
        for link in page.links:
            target = urljoin(path, link)
            links.add(urlsplit(target).path)
            queue.append(target)
        for method, found in (("get", searches.forms), ("post", page.forms)):
            for form in found:
                action = urlsplit(urljoin(path, form["action"] or path)).path
                try:
                    key = (method, resolve(action).view_name)
                except Resolver404:
                    continue
                if form["fields"] and key not in forms:
                    forms[key] = {
                        "page": path,
                        "action": action,
                        "fields": form["fields"],
                        "method": method,
                    }
    return forms, links


class GetForms(PageParser):
    """Forms that GET (filters, searches), parsed like PageParser's."""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "get").lower() == "get" and not a.get("hx-post"):
            self.current = {"action": a.get("action") or "", "fields": {}}
            self.forms.append(self.current)
            return
        if tag == "form":
            return
        super().handle_starttag(tag, attrs)


def fuzz_get(client, url, stats, strategy, args):
    from hypothesis import HealthCheck, given, seed, settings

    @seed(args.seed)
    @settings(
        max_examples=args.examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def fuzz(data):
        data = {k: v for k, v in data.items() if not hasattr(v, "read")}
        response = client.get(url, data)
        stats["examples"] += 1
        stats["statuses"][response.status_code] = stats["statuses"].get(response.status_code, 0) + 1
        assert response.status_code < 500, f"{response.status_code} sur {url}"

    return fuzz


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=100, help="hypothesis examples per form")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", help="fuzz only forms whose action contains this text")
    parser.add_argument(
        "--explain", action="store_true", help="name the tables a rejected post changed (slower)"
    )
    parser.add_argument("--out")
    args = parser.parse_args()

    os.environ["BINOME_VAR_DIR"] = tempfile.mkdtemp(prefix="binome-fuzz-forms-")
    os.environ["BINOME_DEMO"] = "true"
    os.environ["BENCH_RATELIMIT"] = "false"
    from common import ROOT, setup_django

    setup_django()
    import logging

    from django.db import transaction
    from django.test import Client

    logging.getLogger("django.request").setLevel(
        logging.CRITICAL
    )  # 4xx are expected, by the thousand

    from django.conf import settings

    from bench.sessions import verified_client

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    demo, _acc, survey = setup_world()
    users = {role: demo.user(email) for role, email in ACCOUNTS.items()}

    # 1. Find the forms, as each person and as an anonymous visitor.
    started = time.monotonic()
    targets, public = (
        [],
        {"/", "/connexion/", "/connexion/patient/", f"/p/enquete/{survey.public_token}/"},
    )
    for role, user in users.items():
        client = verified_client(user)
        forms, links = crawl(client, ["/"])
        public |= {link for link in links if link.startswith("/p/")}
        targets += [(role, key, form) for key, form in forms.items()]
        print(f"  {role:12} {len(forms):3} formulaires", flush=True)
    anonymous = Client()
    forms, _ = crawl(anonymous, sorted(public))
    targets += [("anonymous", key, form) for key, form in forms.items()]
    if args.only:
        targets = [t for t in targets if args.only in t[2]["action"]]
    crawl_seconds = time.monotonic() - started
    print(f"  {len(targets)} formulaires trouvés en {crawl_seconds:.0f} s", flush=True)

    # 2. Fuzz each one in a transaction rolled back afterwards.
    results = []
    for role, (method, view_name), form in targets:
        stats = {"examples": 0, "statuses": {}}
        error = ""
        with transaction.atomic():
            if role == "anonymous":
                client = Client()
            else:
                client = verified_client(users[role])
            client.raise_request_exception = True
            make = fuzz_get if method == "get" else make_fuzz
            fuzz = make(client, form["action"], stats, strategy_for(form["fields"]), args)
            try:
                fuzz()
            except Exception as exc:  # hypothesis re-raises the shrunk failing example
                error = "".join(traceback.format_exception_only(type(exc), exc)).strip()[:2000]
                notes = getattr(exc, "__notes__", [])
                if notes:
                    error += "\n" + "\n".join(notes)[:2000]
            transaction.set_rollback(True)
        results.append(
            {
                "role": role,
                "method": method.upper(),
                "view": view_name,
                "url": form["action"],
                **stats,
                "error": error,
            }
        )
        print(
            f"  {role:12} {method.upper():4} {form['action']:55} {stats['examples']:4} essais "
            f"{stats['statuses']} {'ÉCHEC' if error else 'ok'}",
            flush=True,
        )
    elapsed = time.monotonic() - started

    out = Path(args.out or ROOT / "bench" / "results-forms.md")
    total = sum(r["examples"] for r in results)
    failed = [r for r in results if r["error"]]
    posts = [r for r in results if r["method"] == "POST"]
    lines = [
        "# Fuzzing des formulaires (hypothesis)",
        "",
        f"Mesuré le {datetime.now(UTC):%Y-%m-%d %H:%M} UTC par `bench/fuzz_forms.py --examples {args.examples} "
        f"--seed {args.seed}{' --only ' + args.only if args.only else ''}` ({elapsed:.0f} s dont {crawl_seconds:.0f} s "
        f"d'exploration, {total} envois).",
        "",
        f"Formulaires trouvés en suivant les liens des pages de chaque rôle de la démonstration et des pages "
        f"publiques : {len(posts)} formulaires POST et {len(results) - len(posts)} formulaires GET (filtres, "
        f"recherches), un par couple (rôle, vue). Propriétés : jamais de 5xx ; une réponse 400/413/422 ne change "
        f"aucune table (journal d'audit, sessions et tentatives de connexion exceptés). "
        f"{len(failed)} formulaire(s) en échec.",
        "",
        "| rôle | méthode | formulaire (vue) | envois | statuts reçus | résultat |",
        "| --- | --- | --- | ---: | --- | --- |",
        *(
            f"| {r['role']} | {r['method']} | `{r['url']}` ({r['view']}) | {r['examples']} | "
            f"{', '.join(f'{k}×{v}' for k, v in sorted(r['statuses'].items()))} | "
            f"{'✘ voir plus bas' if r['error'] else '✔'} |"
            for r in results
        ),
        "",
    ]
    for r in failed:
        lines += [f"## {r['role']} {r['method']} {r['url']}", "", "```", r["error"], "```", ""]
    out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines[:8]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
