"""The two-node cluster (scripts/cluster.sh): started once for the tests marked ``cluster``,
stopped after them. Run with `make test-cluster` (.ci/run does, after the two database runs).

The tests speak HTTP to node A (28001), node B (28002) and nginx (28000), as browsers and
integrators would, and read the shared database through `binome shell` in the cluster's
environment (``cluster.django(code)``)."""

import os
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "cluster.sh"
LB, NODE_A, NODE_B = (f"http://127.0.0.1:{p}" for p in (28000, 28001, 28002))
PASSWORD = "binome-demo"


def pytest_collection_modifyitems(config, items):
    here = str(Path(__file__).parent)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.cluster)


class Cluster:
    def __init__(self, directory):
        self.dir = Path(directory)
        self.env = {**os.environ, **self._read_env()}

    def _read_env(self):
        values = {}
        for line in (self.dir / "cluster.env").read_text().splitlines():
            key, _, value = line.removeprefix("export ").partition("=")
            values[key] = value
        return values

    def django(self, code: str) -> str:
        """Run Python in the cluster's Django (shared PostgreSQL, Redis, S3); its stdout."""
        done = subprocess.run(
            [str(ROOT / ".venv" / "bin" / "binome"), "shell", "-c", code],
            env={**self.env, "BINOME_VAR_DIR": str(self.dir / "node-a")},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout.strip()

    def pid(self, name) -> int:
        return int((self.dir / "pids" / name).read_text())


@pytest.fixture(scope="session")
def cluster(tmp_path_factory):
    directory = tmp_path_factory.mktemp("cluster")
    os.chmod(directory, 0o755)  # PostgreSQL runs as its own user under root
    for parent in directory.parents:
        if str(parent).startswith("/tmp/"):
            os.chmod(parent, 0o755)
    env = {**os.environ, "CLUSTER_DIR": str(directory)}
    started = subprocess.run(
        ["bash", str(SCRIPT), "start"], env=env, capture_output=True, text=True, timeout=600
    )
    try:
        assert started.returncode == 0, started.stdout[-2000:] + started.stderr[-3000:]
        yield Cluster(directory)
    finally:
        subprocess.run(["bash", str(SCRIPT), "stop"], env=env, capture_output=True, timeout=120)


class _Form(HTMLParser):
    """The fields of the first form that has ``marker`` among its field names, with the values
    a browser would send as they are (hidden fields, checked boxes, first option)."""

    def __init__(self, marker):
        super().__init__()
        self.marker, self.forms, self._current, self._select = marker, [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._current = {"action": a.get("action", ""), "fields": {}, "names": set()}
            self.forms.append(self._current)
        elif self._current is not None and tag in ("input", "select", "textarea"):
            name = a.get("name")
            if not name:
                return
            self._current["names"].add(name)
            kind = a.get("type", "text")
            if tag == "select":
                self._select = name
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._current["fields"][name] = a.get("value", "on")
            elif kind not in ("file", "submit"):
                self._current["fields"].setdefault(name, a.get("value", ""))
        elif tag == "option" and self._select:
            fields = self._current["fields"]
            if self._select not in fields and a.get("value"):
                fields[self._select] = a["value"]
            if "selected" in a:
                fields[self._select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag == "form":
            self._current = None

    def result(self):
        return next(f for f in self.forms if self.marker in f["names"])


def form_fields(html: str, marker: str) -> dict:
    parser = _Form(marker)
    parser.feed(html)
    return parser.result()


def sign_in(base: str, email: str, password: str = PASSWORD) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/connexion/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = session.post(
        f"{base}/connexion/",
        data={"csrfmiddlewaretoken": token, "username": email, "password": password},
        headers={"Referer": f"{base}/connexion/"},
        timeout=10,
    )
    answer.raise_for_status()
    session.answer = answer  # the page after the sign-in (home, or the form with its error)
    return session


@pytest.fixture
def signed_in():
    return sign_in
