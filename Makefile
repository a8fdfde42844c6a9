# Masarat: the two commands of the README, and the steps they are made of.
# `make demo` runs the demo on http://127.0.0.1:8000; `make test` runs every check and test.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_ENV := MASARAT_DEMO=1
TEST_ENV := MASARAT_DEMO=1 DJANGO_ALLOW_ASYNC_UNSAFE=true
CHROMIUM ?= /usr/bin/chromium

.PHONY: demo test install catalogues messages browser lint check-deploy clean bench-matching

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

catalogues: $(STAMP)
	$(DEMO_ENV) $(BIN)/masarat compile-catalogues

demo: install catalogues
	$(DEMO_ENV) $(BIN)/masarat migrate --no-input
	$(DEMO_ENV) $(BIN)/masarat seed-demo
	$(DEMO_ENV) $(BIN)/masarat runserver 127.0.0.1:8000

# Chromium comes from Debian's packages; a test tool's own browser download is not used.
browser:
	@if [ ! -x $(CHROMIUM) ] || ! command -v xgettext >/dev/null; then \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium gettext >/dev/null; \
	  else echo "Chromium or gettext is missing: run 'sudo apt-get install -y chromium gettext' (Debian) and try again." >&2; exit 1; fi; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check masarat tests
	$(DEMO_ENV) $(BIN)/mypy masarat

test: install catalogues browser lint
	$(TEST_ENV) $(BIN)/masarat check --fail-level WARNING
	$(TEST_ENV) $(BIN)/masarat makemigrations --check --dry-run
	$(TEST_ENV) $(BIN)/python -m pytest

# The catalogues are regenerated from the code; translators then fill the new entries.
messages: $(STAMP)
	cd masarat && $(DEMO_ENV) ../$(BIN)/masarat makemessages --no-obsolete --no-location -l fr -l ar -l en
	$(DEMO_ENV) $(BIN)/masarat fill-source-catalogue

# A random 32-byte key, as `masarat keys generate` prints (that command needs keys to start).
NEW_KEY := $(BIN)/python -c "import base64, secrets; print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())"

check-deploy: $(STAMP)
	MASARAT_SECRET_KEY=$$($(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))") \
	MASARAT_ENCRYPTION_KEYS=k1:$$($(NEW_KEY)) MASARAT_BLIND_INDEX_KEY=$$($(NEW_KEY)) \
	MASARAT_ALLOWED_HOSTS=masarat.example.org $(BIN)/masarat check --deploy --fail-level WARNING

# The duplicate-detection benchmark (minutes, not a test): Masarat and Splink on the same data.
bench-matching: $(STAMP)
	$(BIN)/pip install --quiet -e ".[test,bench]"
	$(BIN)/python -m masarat.matching.bench run
	$(BIN)/python -m masarat.matching.bench speed

clean:
	rm -rf $(VENV) var
