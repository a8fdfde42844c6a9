# Masarat: the two commands of the README, and the steps they are made of.
# `make demo` runs the demo on http://127.0.0.1:8000; `make test` runs every check and test.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_ENV := MASARAT_DEMO=1
TEST_ENV := MASARAT_DEMO=1 DJANGO_ALLOW_ASYNC_UNSAFE=true
CHROMIUM ?= /usr/bin/chromium

.PHONY: demo test install catalogues messages browser lint check-deploy clean bench bench-matching

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

# Chromium comes from Debian's packages; a test tool's own browser download is not used. So does the
# font of the PDF reports (fonts-dejavu-core: Latin and Arabic glyphs).
browser:
	@if [ ! -x $(CHROMIUM) ] || ! command -v xgettext >/dev/null || [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium gettext fonts-dejavu-core >/dev/null; \
	  else echo "Chromium, gettext or fonts-dejavu-core is missing: run 'sudo apt-get install -y chromium gettext fonts-dejavu-core' (Debian) and try again." >&2; exit 1; fi; \
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

# Benchmarks against the database of DATABASE_URL (PostgreSQL), filled first with
# `masarat generate --cases N`; gunicorn comes from the production extra. Results are printed and
# kept in var/bench/.
BENCH_STAMP := $(VENV)/.bench-installed
BENCH_REQUESTS ?= 200
BENCH_SECONDS ?= 30
BENCH_CLIENTS ?= 32

$(BENCH_STAMP): pyproject.toml $(STAMP)
	$(BIN)/pip install --quiet -e ".[test,production]"
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP) catalogues
	@case "$$DATABASE_URL" in postgres*) ;; *) echo "Set DATABASE_URL to the PostgreSQL database to measure." >&2; exit 1;; esac
	mkdir -p var/bench
	-$(DEMO_ENV) $(BIN)/python benchmarks/latency.py --requests $(BENCH_REQUESTS) --json var/bench/latency.json
	-$(DEMO_ENV) $(BIN)/python benchmarks/concurrency.py --clients $(BENCH_CLIENTS) --seconds $(BENCH_SECONDS) \
	  --json var/bench/concurrency.json

# The duplicate-detection benchmark (minutes, not a test): Masarat and Splink on the same data.
bench-matching: $(STAMP)
	$(BIN)/pip install --quiet -e ".[test,bench]"
	$(BIN)/python -m masarat.matching.bench run
	$(BIN)/python -m masarat.matching.bench speed

clean:
	rm -rf $(VENV) var
