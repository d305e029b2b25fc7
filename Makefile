# Binôme — two commands: `make run` (demo) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export BINOME_VAR_DIR ?= $(CURDIR)/var

.PHONY: run test test-cluster cluster install install-dev lint check-deploy worker bench lock

# Every dependency, transitive included, comes from a lock file with hashes (requirements/,
# written by `make lock` from pyproject.toml); the project itself is installed without deps.
$(VENV)/.installed: pyproject.toml requirements/run.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	@# Python 3.11's bundled pip 23.2 takes an extra (fonttools[woff]) as an unpinned
	@# requirement in --require-hashes mode and refuses the lock; a pinned newer pip does not.
	$(BIN)/pip install --quiet pip==25.3
	$(BIN)/pip install --quiet --require-hashes -r requirements/run.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed pyproject.toml requirements/dev.txt package.json package-lock.json
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev.txt
	npm ci --no-audit --no-fund --silent
	touch $@

# Pins changed in pyproject.toml: write the lock files again (hashes of every file on PyPI).
lock: install-dev
	$(BIN)/uv pip compile pyproject.toml --generate-hashes --python-version 3.11 --quiet -o requirements/run.txt
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 --quiet -o requirements/dev.txt

install: $(VENV)/.installed

install-dev: $(VENV)/.dev-installed
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian's chromium for the browser tests…"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing: browser tests will fail (run as root or install it)"; fi; }

# Serves the demo on http://127.0.0.1:$(PORT) with the background worker beside it.
run: install
	mkdir -p $(BINOME_VAR_DIR)
	BINOME_DEMO=true $(BIN)/binome migrate --noinput
	BINOME_DEMO=true $(BIN)/binome load_demo
	BINOME_DEMO=true $(BIN)/binome setup_schedules
	@echo "Binôme : http://127.0.0.1:$(PORT)/  (comptes de démonstration : voir README.md)"
	BINOME_DEMO=true SITE_URL=http://127.0.0.1:$(PORT) ./scripts/serve.sh $(PORT)

# The background worker alone (reminders, deadlines, retention), e.g. beside another server.
worker: install
	$(BIN)/binome qcluster

lint: install-dev
	$(BIN)/ruff check binome tests bench
	$(BIN)/ruff format --check binome tests bench
	$(BIN)/djlint binome --lint
	BINOME_VAR_DIR=$$(mktemp -d) $(BIN)/mypy binome/core binome/*/access.py binome/*/services.py
	BINOME_VAR_DIR=$$(mktemp -d) $(BIN)/binome makemigrations --check --dry-run >/dev/null || { echo "Missing migrations: run 'binome makemigrations'"; exit 1; }

check-deploy: install
	BINOME_PRODUCTION=true SECRET_KEY=check-deploy-$$(printf '%064d' 0) ALLOWED_HOSTS=binome.example.org SITE_URL=https://binome.example.org \
	  DATABASE_URL=sqlite:///$$(mktemp -d)/db.sqlite3 $(BIN)/binome check --deploy --fail-level WARNING

# The suite in parallel, one worker per core (TEST_WORKERS=0 for one process, e.g. with pdb).
TEST_WORKERS ?= 2
test: install-dev lint check-deploy
	$(BIN)/pytest -n $(TEST_WORKERS) --reuse-db $(PYTEST_ARGS)

# Two app nodes behind nginx with PostgreSQL, Redis and an S3-compatible server, all on
# 127.0.0.1 (docs/deployment.md, "Plusieurs serveurs"); Ctrl-C stops everything.
cluster: install-dev
	./scripts/cluster.sh run

# The tests that start that cluster and prove the nodes share sessions, limits, files and jobs.
test-cluster: install-dev
	$(BIN)/pytest -p no:xdist -m cluster tests/cluster $(PYTEST_ARGS)

# Page benchmark (docs/performance.md): SQLite with the team preset, then PostgreSQL with the
# national preset (DATABASE_URL, or a local cluster under var/bench/pg); data generated once.
# Measures every main page of every role and an empty view with wrk against gunicorn.
# BENCH_DB=sqlite or BENCH_DB=postgresql for one of the two.
# Results: bench/results-<db>.md. Fuzzing, load and crash safety: see docs/performance.md.
BENCH_DB ?= all
BENCH_ARGS ?=
bench: install
	./scripts/bench.sh $(BENCH_DB) $(BENCH_ARGS)
