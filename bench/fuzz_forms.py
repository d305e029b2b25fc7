"""Form fuzzing (issue 9): hypothesis over the main forms of every role, in process.

    PYTHONPATH=<dir with hypothesis> .venv/bin/python bench/fuzz_forms.py [--examples 100]

Works on a throwaway database (a new temporary BINOME_VAR_DIR, migrated, demo loaded).
For each form it reads the page as the user who fills it in, finds the fields (inputs,
selects with their options, radios, checkboxes, textareas) and lets hypothesis post
mixes of valid values, empty fields and junk (long or odd Unicode text, NUL bytes, huge
or negative numbers, impossible dates). Properties checked on every post:

* never a 5xx (the test client re-raises the server's exception, so hypothesis shrinks it);
* bad input (400/413/422) writes nothing: the form's table has the same number of rows.

Half the posts are a plausible filling with one or two fields spoiled, so that valid
submissions (and the writes behind them) are exercised too. Writes bench/results-forms.md. Too slow for the test suite (minutes), hence a script.
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


class FormFields(HTMLParser):
    """The fields of the first form that posts (not the sign-out or context forms)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self.current = None
        self.select = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.current = {"action": a.get("action") or "", "fields": {}}
            self.forms.append(self.current)
        if self.current is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            field = self.current["fields"].setdefault(name, {"type": kind, "options": [], "value": a.get("value") or ""})
            if kind in ("radio", "checkbox"):
                field["options"].append(a.get("value") or "on")
        elif tag == "select" and name:
            self.select = self.current["fields"].setdefault(name, {"type": "select", "options": [], "value": "",
                                                                    "multiple": "multiple" in a})
        elif tag == "option" and self.select is not None:
            self.select["options"].append(a.get("value") or "")
        elif tag == "textarea" and name:
            self.current["fields"].setdefault(name, {"type": "textarea", "options": [], "value": ""})

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
        "number": "30", "date": today.strftime("%Y-%m-%d"), "datetime-local": today.strftime("%Y-%m-%dT08:%M"),
        "time": "10:00", "email": "camille.martin@example.org", "tel": "0612345678",
    }.get(kind, "0612345678" if "phone" in name else "Texte ordinaire")


def strategy_for(fields: dict):
    """Half the posts: a plausible form with one or two fields spoiled (or left out); the
    other half: every field drawn from valid values, empty or junk."""
    from hypothesis import strategies as st

    text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=300)
    long_text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), min_size=1000, max_size=6000)
    junk = st.one_of(text, st.integers(-(10**20), 10**20).map(str), st.just("\x00"), st.just("2026-02-30"), long_text)
    out, valid = {}, {}
    for name, f in fields.items():
        if name in ("csrfmiddlewaretoken",) or f["type"] == "file":
            continue
        kind, options = f["type"], [o for o in f["options"] if o != ""]
        valid[name] = plausible(name, f)
        if name == "submission_token":
            s = st.one_of(st.uuids().map(lambda u: u.hex), st.just(""), text)
        elif name == "website":  # the honeypot: mostly empty, as people leave it
            s = st.one_of(st.just(""), st.just(""), text)
        elif kind == "checkbox" and len(options) > 1:
            s = st.one_of(st.lists(st.sampled_from(options), max_size=len(options), unique=True), st.lists(junk, max_size=2))
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
    spoiled = st.dictionaries(st.sampled_from(sorted(out)), st.one_of(junk, st.none()), max_size=2) if out else st.just({})

    def merge(changes, token):
        data = {**valid, **changes}
        if "submission_token" in data and "submission_token" not in changes:
            data["submission_token"] = token  # a fresh token: each post is a new submission
        return data

    plausible_posts = st.builds(merge, spoiled, st.uuids().map(lambda u: u.hex))
    return st.one_of(plausible_posts, everything).map(lambda d: {k: v for k, v in d.items() if v is not None})


def make_fuzz(client, url, model, stats, strategy, args):
    from hypothesis import HealthCheck, given, seed, settings

    from binome.people.scoping import scopes_disabled

    def count():
        if model is None:
            return 0
        with scopes_disabled():
            return model._base_manager.count()

    @seed(args.seed)
    @settings(max_examples=args.examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(strategy)
    def fuzz(data):
        before = count()
        response = client.post(url, data)
        stats["examples"] += 1
        stats["statuses"][response.status_code] = stats["statuses"].get(response.status_code, 0) + 1
        assert response.status_code < 500, f"{response.status_code} sur {url}"
        if response.status_code in (400, 413, 422):
            assert count() == before, f"réponse {response.status_code} mais une ligne {model.__name__} écrite"

    return fuzz


def setup_world():
    """Demo data plus what the demo lacks for some forms: an accompaniment, a published survey."""
    from django.core.management import call_command

    from binome.accompaniment import services as acc_services
    from binome.partners.models import Partner
    from binome.people.demo import load_demo
    from binome.people.models import Membership, Role
    from binome.people.scoping import scopes_disabled
    from binome.voice.models import Question, Survey

    call_command("migrate", verbosity=0)
    demo = load_demo()
    with scopes_disabled():
        tilleuls = demo.tilleuls
        doctor = Membership.objects.get(user=demo.user("medecin@tilleuls.demo"), structure=tilleuls, role=Role.PROFESSIONAL)
        partner = Partner.objects.get(membership__user=demo.user("partenaire@tilleuls.demo"), structure=tilleuls)
        if partner.status != "active":
            Partner.objects.filter(pk=partner.pk).update(status="active")
        acc = acc_services.create_referral(
            structure=tilleuls, referrer=doctor, patient_data={"first_name": "Gérard", "last_name": "P", "phone": "0600000000",
                                                               "email": "", "pathway": "diabetes"},
            purposes=["contact_by_partner", "share_contact_details", "share_summaries_with_team"], method="oral",
            partner=partner,
        )
        survey = Survey.objects.create(structure=tilleuls, title="Enquête fuzz", state="published", published_at=datetime.now(UTC))
        Question.objects.create(survey=survey, kind="scale", label="Accueil ?", required=True, position=0)
        Question.objects.create(survey=survey, kind="multiple", label="Ateliers ?", choices=["A", "B", "C"], position=1)
        Question.objects.create(survey=survey, kind="text", label="Remarque ?", position=2)
    return demo, acc, survey


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=100, help="hypothesis examples per form")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out")
    args = parser.parse_args()

    os.environ["BINOME_VAR_DIR"] = tempfile.mkdtemp(prefix="binome-fuzz-forms-")
    os.environ["BINOME_DEMO"] = "true"
    os.environ["BENCH_RATELIMIT"] = "false"
    from common import ROOT, setup_django

    setup_django()
    import logging

    from django.test import Client

    logging.getLogger("django.request").setLevel(logging.ERROR)  # 422s are expected, by the hundred

    from binome.accompaniment.models import Accompaniment, Alert, Contact, KeyMoment
    from binome.bench.sessions import verified_client
    from binome.compensation.models import TimeEntry
    from binome.involvement.models import InvolvementAction
    from binome.missions.models import Mission
    from binome.partners.models import Partner
    from binome.people.models import Invitation
    from binome.steering.models import Project
    from binome.voice.models import Idea, Response, Survey

    demo, acc, survey = setup_world()
    users = {
        "coordinator": demo.user("coordination@tilleuls.demo"), "professional": demo.user("medecin@tilleuls.demo"),
        "partner": demo.user("partenaire@tilleuls.demo"),
    }
    forms = [
        ("professional", "/accompagnements/orienter/", Accompaniment),
        ("partner", f"/accompagnements/{acc.public_id}/echange/", Contact),
        ("partner", f"/accompagnements/{acc.public_id}/moment-cle/", KeyMoment),
        ("partner", f"/accompagnements/{acc.public_id}/alerte/", Alert),
        ("partner", "/indemnisation/temps/nouveau/", TimeEntry),
        ("partner", "/partenaires/mon-profil/", None),
        ("coordinator", "/partenaires/nouveau/", Partner),
        ("coordinator", "/missions/nouvelle/", Mission),
        ("coordinator", "/implication/actions/nouvelle/", InvolvementAction),
        ("coordinator", "/voix/enquetes/nouvelle/", Survey),
        ("coordinator", "/projets/nouveau/", Project),
        ("coordinator", "/structure/membres/", Invitation, "/structure/membres/inviter/"),
        ("anonymous", "/p/tilleuls/idees/", Idea),
        ("anonymous", f"/p/enquete/{survey.public_token}/", Response),
    ]
    results = []
    started = time.monotonic()
    for role, url, model, *post in forms:
        post_url = post[0] if post else url
        client = Client(raise_request_exception=True) if role == "anonymous" else verified_client(users[role])
        client.raise_request_exception = True
        page = client.get(url)
        parser_ = FormFields()
        parser_.feed(page.content.decode())
        candidates = [f for f in parser_.forms if f["fields"] and "csrfmiddlewaretoken" in f["fields"]
                      and f["action"] in ("", url, post_url)]
        if page.status_code != 200 or not candidates:
            results.append({"url": url, "role": role, "examples": 0, "statuses": {}, "error": f"page {page.status_code}, pas de formulaire"})
            continue
        fields = max(candidates, key=lambda f: len(f["fields"]))["fields"]
        stats = {"examples": 0, "statuses": {}}

        fuzz = make_fuzz(client, post_url, model, stats, strategy_for(fields), args)

        error = ""
        try:
            fuzz()
        except Exception as exc:  # hypothesis re-raises the shrunk failing example
            error = "".join(traceback.format_exception_only(type(exc), exc)).strip()[:2000]
            notes = getattr(exc, "__notes__", [])
            if notes:
                error += "\n" + "\n".join(notes)[:2000]
        results.append({"url": url, "role": role, **stats, "error": error})
        print(f"  {role:12} {url:60} {stats['examples']:4} essais {stats['statuses']} {'ÉCHEC' if error else 'ok'}", flush=True)
    elapsed = time.monotonic() - started

    out = Path(args.out or ROOT / "bench" / "results-forms.md")
    total = sum(r["examples"] for r in results)
    failed = [r for r in results if r["error"]]
    lines = [
        "# Fuzzing des formulaires (hypothesis)",
        "",
        f"Mesuré le {datetime.now(UTC):%Y-%m-%d %H:%M} UTC par `bench/fuzz_forms.py --examples {args.examples} --seed {args.seed}` "
        f"({elapsed:.0f} s, {total} envois). Propriétés : jamais de 5xx ; une réponse 400/413/422 n'écrit rien.",
        "",
        "| rôle | formulaire | envois | statuts reçus | résultat |",
        "| --- | --- | ---: | --- | --- |",
        *(f"| {r['role']} | `{r['url']}` | {r['examples']} | {', '.join(f'{k}×{v}' for k, v in sorted(r['statuses'].items()))} | "
          f"{'✘ voir plus bas' if r['error'] else '✔'} |" for r in results),
        "",
    ]
    for r in failed:
        lines += [f"## {r['url']}", "", "```", r["error"], "```", ""]
    out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
