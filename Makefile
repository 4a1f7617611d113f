# casework: `make run` serves the app, `make test` checks everything.
# Both set up what they need first and are quick when nothing has changed.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
WORKERS ?= 2
# Demo mode (demo accounts on an empty database) unless CASEWORK_DEMO=0.
CASEWORK_DEMO ?= 1
export CASEWORK_DEMO
export FLASK_APP := wsgi:app

PO_FILES := $(wildcard casework/translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: run test setup setup-dev fonts translations db lint typecheck security probe api-fuzz pytest \
        translations-update clean bench faults soak vnu

run: setup db
	@echo "casework: serving on http://127.0.0.1:$(PORT)"
	CASEWORK_EXTERNAL_URL=$${CASEWORK_EXTERNAL_URL:-http://127.0.0.1:$(PORT)} \
	exec $(BIN)/gunicorn -c gunicorn.conf.py --workers $(WORKERS) --bind 127.0.0.1:$(PORT) \
	     wsgi:app

test: setup-dev lint typecheck security vnu pytest

setup: $(VENV)/.installed fonts translations

setup-dev: setup $(VENV)/.installed-dev

$(VENV)/.installed: requirements.txt
	@scripts/ensure-venv.sh "$(PYTHON)" "$(VENV)"
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

fonts:
	@scripts/ensure-cjk-font.sh

translations: $(MO_FILES)

casework/translations/%/LC_MESSAGES/messages.mo: casework/translations/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -i $< -o $@

db: $(VENV)/.installed
	@install -d -m 0700 instance
	$(BIN)/flask db upgrade
	$(BIN)/flask casework load-reference
	@if [ "$(CASEWORK_DEMO)" != "0" ]; then $(BIN)/flask casework seed-demo --if-empty; fi

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy casework

# Static security analysis: any medium or high finding fails (each exception is marked
# `# nosec <test>` beside a comment that explains it).
security: $(VENV)/.installed-dev
	$(BIN)/bandit --quiet --recursive casework --severity-level medium

# The fault tests alone (a worker killed mid-render, the database cut off, a full or
# read-only disk, a reload during traffic), on SQLite and, with TEST_DATABASE_URL, PostgreSQL.
# They are part of `make test` too.
faults: $(VENV)/.installed-dev translations
	env -u TEST_DATABASE_URL $(BIN)/pytest -m faults tests/faults
	@if [ -n "$$TEST_DATABASE_URL" ]; then $(BIN)/pytest -m faults tests/faults; fi

# A bounded sqlmap pass over the public form, login and search of a running app (CI).
probe: $(VENV)/.installed-dev translations
	$(BIN)/python scripts/probe_sql_injection.py

# A bounded schemathesis run against the running API (CI): no server error, every answer
# as the generated OpenAPI document describes it.
api-fuzz: $(VENV)/.installed-dev translations
	$(BIN)/python scripts/fuzz_api.py

# The suite runs on SQLite, then again on PostgreSQL when TEST_DATABASE_URL is set, on
# every core (pytest-xdist; a module's tests stay on one worker). PYTEST_ARGS=-n0 runs it
# in one process.
PYTEST_ARGS ?= -n auto --dist loadscope
pytest: $(VENV)/.installed-dev vnu
	@start=$$(date +%s); env -u TEST_DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS) && \
	    echo "casework: the suite on SQLite took $$(( $$(date +%s) - start )) s"
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
	    echo "casework: running the suite again on $${TEST_DATABASE_URL%%@*}@…"; \
	    start=$$(date +%s); $(BIN)/pytest $(PYTEST_ARGS) && \
	    echo "casework: the suite on PostgreSQL took $$(( $$(date +%s) - start )) s"; \
	fi

# The Nu HTML checker (vnu.jar, ~30 MB) for the HTML validity tests, from the npm registry
# into a git-ignored cache; fetched once per version, never while the tests run.
VNU_VERSION := 26.9.27
VNU_DIR     := .cache/vnu-$(VNU_VERSION)
VNU_JAR     := $(VNU_DIR)/vnu.jar
export CASEWORK_VNU_JAR := $(abspath $(VNU_JAR))
vnu: $(VNU_JAR)

$(VNU_JAR):
	@if ! command -v java >/dev/null; then \
	    echo "casework: no java here, so the HTML validity test will be skipped (CI has it)"; \
	else \
	    install -d $(VNU_DIR) && cd $(VNU_DIR) && \
	    npm pack --silent vnu-jar@$(VNU_VERSION) >/dev/null && \
	    tar -xzf vnu-jar-$(VNU_VERSION).tgz --strip-components=3 package/build/dist/vnu.jar && \
	    rm vnu-jar-$(VNU_VERSION).tgz && test -s vnu.jar; \
	fi

# Developers: after changing user-facing strings, refresh the catalogues and translate.
translations-update: $(VENV)/.installed-dev
	$(BIN)/pybabel extract --no-location --sort-output -k _l -k lazy_pgettext:1c,2 -F babel.cfg -o casework/translations/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching -i casework/translations/messages.pot -d casework/translations

# Load test on generated data: BENCH_SCALE=province|city, BENCH_DB=sqlite|postgresql
# (see bench/run.py). The generated database is cached in bench/.cache and reused.
bench: setup
	@bench/ensure-wrk.sh
	$(BIN)/python bench/run.py

# A long run of a realistic mix at a steady rate: flat memory and latency, or it fails
# (see bench/soak.py; SOAK_MINUTES=30 by default, BENCH_SCALE=city by default here).
soak: setup
	BENCH_SCALE=$${BENCH_SCALE:-city} $(BIN)/python bench/soak.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .cache
	find . -name __pycache__ -prune -exec rm -rf {} +
