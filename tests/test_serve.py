"""Stopping `make run` stops everything it started (scripts/serve.sh): web server and worker.

The script is started as `make run` starts it, in a process group of its own, and stopped the
way a terminal or a supervisor does (SIGTERM to that process group). Within a few seconds no
process of the run may remain — found by the unique BINOME_VAR_DIR in their environment.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _processes_of(var_dir: str) -> list[int]:
    found = []
    marker = f"BINOME_VAR_DIR={var_dir}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if marker in environ.split(b"\0") and state != "Z":
            found.append(int(entry.name))
    return found


def test_stopping_the_run_leaves_no_process_behind(tmp_path):
    var_dir = str(tmp_path / "var")
    env = {**os.environ, "BINOME_VAR_DIR": var_dir, "BINOME_DEMO": "true", "DATABASE_URL": ""}
    env.pop("DATABASE_URL")
    subprocess.run(
        [str(BIN / "binome"), "migrate", "--noinput"],
        env=env,
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    port = _free_port()
    run = subprocess.Popen(
        ["bash", "scripts/serve.sh", str(port)],
        env=env,
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/connexion/", timeout=2)
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.5)
        assert (
            len(_processes_of(var_dir)) >= 3
        )  # the script, gunicorn (master and workers), the worker
        os.killpg(run.pid, signal.SIGTERM)
        run.wait(timeout=20)
        deadline = time.monotonic() + 5
        while _processes_of(var_dir) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _processes_of(var_dir) == []
    finally:
        for pid in _processes_of(var_dir):
            os.kill(pid, signal.SIGKILL)
