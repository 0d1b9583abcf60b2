# Alliage — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
export DJANGO_SETTINGS_MODULE := config.settings

.PHONY: run test install messages compile-messages lint bench serve worker demo clean

$(VENV)/.installed: requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check uv==0.13.9
	@$(UV) pip sync --quiet --python $(PY) requirements.lock
	@touch $@

install: $(VENV)/.installed compile-messages

compile-messages: $(VENV)/.installed
	@$(VENV)/bin/pybabel compile --statistics -d locale -D django 2>&1 | tail -1

## make run: install, migrate, load the demo region, serve on 127.0.0.1:8000 with a task worker
run: export DJANGO_DEBUG ?= 1
run: export STAFF_2FA_REQUIRED ?= 0
# The demo draws the member map on OpenStreetMap's tiles and shows the site's own 404 page;
# production sets its own MAP_TILE_URL (empty: the map page is a list) and never DEBUG.
run: export MAP_TILE_URL ?= https://tile.openstreetmap.org/{z}/{x}/{y}.png
run: export ALLIAGE_FRIENDLY_404 ?= 1
run: install
	@mkdir -p var
	@$(PY) manage.py migrate --noinput -v0
	@$(PY) manage.py seed_demo
	@echo ""
	@echo "Two-factor authentication for staff is OFF in this demo (STAFF_2FA_REQUIRED=0);"
	@echo "it is on whenever DJANGO_DEBUG is off. Log in at http://127.0.0.1:8000/compte/connexion/"
	@echo "Starting the web server on http://127.0.0.1:8000 and a task worker (Ctrl-C stops both)."
	@$(PY) -m alliage.core.devserver

## make test: install, then run the whole suite (SQLite unless DATABASE_URL says otherwise).
## PYTEST_ARGS narrows it, e.g. PYTEST_ARGS='-m "not (browser or fuzz or crash)"'
## leaves out the slow suites (CI runs those once, on PostgreSQL: see .ci/run).
test: install
	@$(PY) -m pytest -n $${PYTEST_WORKERS:-auto} --dist loadfile -q $(PYTEST_ARGS)

messages: export DJANGO_DEBUG ?= 1
messages: $(VENV)/.installed
	@$(PY) manage.py makemessages -l fr --no-obsolete --add-location file -i ".venv/*" -i "var/*"
	@$(PY) manage.py makemessages -l fr -d djangojs --no-obsolete -i ".venv/*" -i "var/*" || true
	@$(MAKE) --no-print-directory compile-messages

lint: $(VENV)/.installed
	@$(VENV)/bin/ruff check .
	@DJANGO_DEBUG=1 $(PY) manage.py makemigrations --check --dry-run -v0

bench: $(VENV)/.installed
	@for b in bench/[!_]*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) var
