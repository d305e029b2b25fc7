"""Locust scenario (issue 9): a realistic mix of Binôme's users, with write accounting.

Run through ``bench/load.py`` (it prepares the sessions, starts gunicorn, runs locust and
checks that every acknowledged write is in the database exactly once):

    .venv/bin/python bench/load.py --users 200 --minutes 10

The mix: patient partners on phones (today's list, an accompaniment, logging a contact,
logging time), coordinators on dashboards (home, accompaniment dashboard, partner load,
time to approve, ACI report), anonymous people answering a survey or dropping an idea
from the waiting-room QR code. Every write carries a unique key (submission token or a
marked note). Each locust process appends "sent|ack <kind> <key>" lines to its own file
$BENCH_ACKED.<pid> as it goes (flushed per line, so ``--processes`` workers and an
interrupted run lose nothing); bench/load.py merges them for the accounting.
"""

import json
import os
import random
import re
import uuid
from datetime import datetime

from locust import HttpUser, between, task

PLAN = json.loads(open(os.environ["BENCH_PLAN"]).read())
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
MARK = "Charge"


_journal = {"pid": None, "file": None}


def record(event, kind, key):
    """Append one line to this process's journal (opened after locust forks its workers)."""
    if _journal["pid"] != os.getpid():
        _journal["pid"] = os.getpid()
        _journal["file"] = open(f"{os.environ['BENCH_ACKED']}.{os.getpid()}", "a", buffering=1)
    _journal["file"].write(f"{event} {kind} {key}\n")


def ack(kind, key, r):
    record("ack", kind, key)
    r.success()


def csrf_of(response):
    match = CSRF_RE.search(response.text)
    return match.group(1) if match else ""


class SignedIn(HttpUser):
    abstract = True
    role = ""

    def on_start(self):
        self.me = random.choice(PLAN[self.role])
        name, value = self.me["cookie"].split("=", 1)
        self.client.cookies.set(name, value)


class Partner(SignedIn):
    """A patient partner on a phone, between two calls."""

    weight = 6
    role = "partners"
    wait_time = between(2, 8)

    @task(4)
    def today(self):
        self.client.get("/accompagnements/aujourdhui/", name="partenaire : aujourd'hui")

    @task(3)
    def accompaniment(self):
        self.client.get(
            f"/accompagnements/{self.me['accompaniment']}/", name="partenaire : un accompagnement"
        )

    @task(3)
    def log_contact(self):
        path = f"/accompagnements/{self.me['accompaniment']}/echange/"
        form = self.client.get(path, name="partenaire : formulaire d'échange")
        if form.status_code != 200:
            return
        token = uuid.uuid4().hex
        record("sent", "contact", token)
        with self.client.post(
            path,
            data={
                "csrfmiddlewaretoken": csrf_of(form),
                "submission_token": token,
                "occurred_at": datetime.now().strftime("%Y-%m-%dT%H:%M"),
                "channel": "phone",
                "place": "remote",
                "duration_minutes": "20",
                "private_notes": f"{MARK} {token}",
                "summary_to_share": "",
            },
            headers={"Referer": self.host + path},
            allow_redirects=False,
            name="partenaire : noter un échange",
            catch_response=True,
        ) as r:
            if r.status_code == 302:
                ack("contact", token, r)
            else:
                r.failure(f"statut {r.status_code}")

    @task(1)
    def log_time(self):
        path = "/indemnisation/temps/nouveau/"
        form = self.client.get(path, name="partenaire : formulaire de temps")
        if form.status_code != 200:
            return
        missions = re.findall(r'<option value="([^"]+)"', form.text) or re.findall(
            r'name="mission"[^>]*value="([^"]+)"', form.text
        )
        if not missions:
            return
        note = f"{MARK} {uuid.uuid4().hex}"
        record("sent", "time", note)
        with self.client.post(
            path,
            data={
                "csrfmiddlewaretoken": csrf_of(form),
                "mission": missions[0],
                "date": datetime.now().strftime("%Y-%m-%d"),
                "duration_minutes": "60",
                "activity": "accompaniment",
                "note": note,
                "submission_token": uuid.uuid4().hex,
            },
            headers={"Referer": self.host + path},
            allow_redirects=False,
            name="partenaire : noter du temps",
            catch_response=True,
        ) as r:
            if r.status_code == 302:
                ack("time", note, r)
            else:
                r.failure(f"statut {r.status_code}")

    @task(1)
    def my_time(self):
        self.client.get("/indemnisation/", name="partenaire : mon temps")


class Coordinator(SignedIn):
    """A coordinator at a desk, on dashboards; the ACI report now and then."""

    weight = 2
    role = "coordinators"
    wait_time = between(3, 10)

    @task(3)
    def home(self):
        self.client.get("/", name="coordination : accueil")

    @task(3)
    def dashboard(self):
        self.client.get("/accompagnements/tableau-de-bord/", name="coordination : tableau de bord")

    @task(2)
    def load(self):
        self.client.get("/accompagnements/charge/", name="coordination : charge des partenaires")

    @task(2)
    def queue(self):
        self.client.get("/indemnisation/a-valider/", name="coordination : temps à valider")

    @task(1)
    def pool(self):
        self.client.get("/partenaires/", name="coordination : vivier")

    @task(1)
    def aci(self):
        self.client.get("/implication/aci/", name="coordination : rapport ACI")


class Public(HttpUser):
    """Someone in the waiting room who scanned the QR code."""

    weight = 2
    wait_time = between(5, 20)

    @task(3)
    def answer_survey(self):
        survey = random.choice(PLAN["surveys"])
        path = f"/p/enquete/{survey['token']}/"
        form = self.client.get(path, name="public : enquête")
        if form.status_code != 200:
            return
        token = uuid.uuid4().hex
        record("sent", "response", token)
        data = {"csrfmiddlewaretoken": csrf_of(form), "submission_token": token, "website": ""}
        for q in survey["questions"]:
            if q["kind"] == "scale":
                data[f"q{q['pk']}"] = str(random.randint(1, 5))
            elif q["kind"] in ("single", "multiple"):
                data[f"q{q['pk']}"] = str(random.randrange(max(1, q["choices"])))
            else:
                data[f"q{q['pk']}"] = "Très bon accueil, merci."
        with self.client.post(
            path,
            data=data,
            headers={"Referer": self.host + path},
            allow_redirects=False,
            name="public : répondre à l'enquête",
            catch_response=True,
        ) as r:
            if r.status_code in (200, 302) and "csrfmiddlewaretoken" not in r.text:
                ack("response", token, r)
            else:
                r.failure(f"statut {r.status_code}")

    @task(1)
    def idea(self):
        slug = random.choice(PLAN["idea_boxes"])
        path = f"/p/{slug}/idees/"
        form = self.client.get(path, name="public : boîte à idées")
        if form.status_code != 200:
            return
        token = uuid.uuid4().hex
        record("sent", "idea", token)
        with self.client.post(
            path,
            data={
                "csrfmiddlewaretoken": csrf_of(form),
                "submission_token": token,
                "website": "",
                "text": f"{MARK} : un banc devant l'entrée serait bienvenu ({token[:8]}).",
            },
            headers={"Referer": self.host + path},
            allow_redirects=False,
            name="public : déposer une idée",
            catch_response=True,
        ) as r:
            if r.status_code == 200 and "csrfmiddlewaretoken" not in r.text:
                ack("idea", token, r)
            else:
                r.failure(f"statut {r.status_code}")
