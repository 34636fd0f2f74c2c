# Two commands do everything on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
RASA := TF_CPP_MIN_LOG_LEVEL=3 $(VENV)/bin/rasa
SPACY_MODEL := var/spacy/en_cse_lookup/config.cfg
MODEL := models/cse.tar.gz
# The domain Rasa sees: domain.yml plus the safety responses generated from knowledge/.
DOMAIN := var/domain
DOMAIN_FILES := $(DOMAIN)/responses.yml
TRAIN_INPUTS := config.yml domain.yml $(DOMAIN_FILES) $(shell find data -name '*.yml' 2>/dev/null)

export TF_CPP_MIN_LOG_LEVEL := 3
export PYTHONPATH := $(CURDIR)
export RASA_TELEMETRY_ENABLED := false
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

.PHONY: install spacy domain train run shell eval test test-fast test-unit test-dialogue test-nlu test-e2e validate lint eval-privacy eval-safety clean purge report maps telegram test-channels test-web test-live test-scale test-faults scale bench

install: $(VENV)/.installed

# The venv is rebuilt when the lock changes; every package is pinned exactly there.
$(VENV)/.installed: requirements.lock
	@test -x $(PY) || $$(scripts/python310.sh) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $@

# The spaCy pipeline NLU uses: blank English + lookup lemmatizer (no downloaded models).
spacy: $(SPACY_MODEL)
$(SPACY_MODEL): $(VENV)/.installed cse_core/nlp.py
	$(PY) -m cse_core.nlp

# utter_emergency / utter_disclosure: Rasa sends 999 itself, words from knowledge/ (issue 12).
domain: $(DOMAIN_FILES)
$(DOMAIN_FILES): $(VENV)/.installed domain.yml knowledge/messages.yml knowledge/contacts.yml scripts/build_domain.py
	$(PY) scripts/build_domain.py $(DOMAIN)

# Rasa trains only when its inputs changed (make's timestamps, then Rasa's fingerprints).
train: $(MODEL)
$(MODEL): $(TRAIN_INPUTS) $(SPACY_MODEL) $(wildcard bot/components/*.py)
	$(RASA) train --domain $(DOMAIN) --fixed-model-name cse --out models --quiet
	@touch $@

# The process maps (section 4), drawn from knowledge/pathways.yml, never by hand.
MAPS := var/maps/map-1.png
maps: $(MAPS)
$(MAPS): $(VENV)/.installed knowledge/pathways.yml knowledge/contacts.yml knowledge/guidance.yml cse_core/process_maps.py
	$(PY) -m cse_core.process_maps

run: $(MODEL) $(MAPS)
	@scripts/run.sh

shell: $(MODEL)
	@scripts/run.sh --shell

# Delete conversations older than CSE_RETENTION_DAYS (default 30); schedule it daily.
purge: $(VENV)/.installed
	$(PY) -m cse_core.purge

# Completed pre-screens by month, level, pathway and indicator: tables and a PNG chart.
report: $(VENV)/.installed
	$(PY) -m cse_core.report

# The Telegram channel: a bridge to Rasa's REST webhook (start `make run` first).
# TELEGRAM_BOT_TOKEN comes from the environment; TELEGRAM_ARGS="--webhook URL ..." for webhooks.
telegram: $(VENV)/.installed
	$(PY) -m clients.telegram.bridge $(TELEGRAM_ARGS)

validate: $(VENV)/.installed $(DOMAIN_FILES)
	$(PY) -m cse_core.check_knowledge
	$(PY) -m bot.serve check
	$(RASA) data validate --domain $(DOMAIN) --fail-on-warnings --quiet

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check cse_core actions bot clients scripts tests bench

# Lint and the core's unit tests: no Rasa, no server, under a minute (tests marked slow are left
# to test-unit). Run it before every commit.
test-fast: lint $(SPACY_MODEL)
	$(PY) -m pytest -q -m "not slow" tests/core tests/clients

test-unit: $(SPACY_MODEL)
	$(PY) -m pytest -q tests/core tests/actions tests/bot tests/clients

test-dialogue: $(MODEL)
	$(RASA) test core --model $(MODEL) --stories tests/stories --fail-on-prediction-errors --out results/core --quiet

test-nlu: $(MODEL)
	$(RASA) test nlu --model $(MODEL) --nlu tests/nlu --out results/nlu --quiet
	$(PY) scripts/nlu_gate.py results/nlu/intent_report.json --min-f1 0.90

test-e2e: $(MODEL) $(MAPS)
	$(PY) -m pytest -q tests/e2e

test-channels: $(MODEL)
	$(PY) -m pytest -q tests/channels

# Real headless Chromium (Debian's chromium + chromium-driver; .ci/run installs them), with
# axe-core installed from npm by its lock file (never fetched at test time), and the process maps.
AXE := tests/web/axe/node_modules/axe-core/axe.min.js
$(AXE): tests/web/axe/package.json tests/web/axe/package-lock.json
	npm ci --prefix tests/web/axe --no-audit --no-fund --loglevel=error
	@touch $@

test-web: $(MODEL) $(MAPS) $(AXE)
	$(PY) -m pytest -q tests/web

# Faults injected into a running assistant: the action server killed and hung, PostgreSQL
# and Redis stopped and restarted (briefly; always restored), the SQLite file read-only.
test-faults: $(MODEL)
	$(PY) -m pytest -q tests/faults

# Two replicas on the real PostgreSQL and Redis (docs/scaling.md), and the deploy files checked.
test-scale: $(MODEL)
	$(PY) -m pytest -q tests/scale

# One action server and two Rasa replicas on PostgreSQL + Redis, on this machine.
scale: $(MODEL)
	@scripts/run_scaled.sh

# Our assistant against a stock `rasa init` one, side by side (bench/README.md); ~15 minutes.
# BENCH_ARGS="--concurrency 20 --duration 60" and the like; results go to bench/results.jsonl.
bench: $(SPACY_MODEL) $(DOMAIN_FILES) $(MODEL)
	$(PY) -m bench.run_bench $(BENCH_ARGS)
	$(PY) -m bench.safety_latency
	$(PY) -m bench.core_speed

# Blind evaluation over REST (bench/blind_eval.py); the sets in eval/blind/ are never read by
# training (CSE_BLIND_DIR overrides the folder). EVAL_ARGS="--sets safety".
eval: $(MODEL)
	$(PY) -m bench.blind_eval $(EVAL_ARGS)

# Blind measure of the redaction before storage (issue 14): recall per identifier class and
# over-redaction, dev/test split, figures only (bench/eval_privacy.py; CSE_BLIND_DIR overrides
# the folder, PRIVACY_ARGS="--show dev" prints the dev split's misses).
eval-privacy: $(VENV)/.installed
	$(PY) -m bench.eval_privacy $(PRIVACY_ARGS)

# Blind safety figures, rules only (fast, no Rasa): recall on danger/disclosure messages and
# false alarms on hard negatives, per split (bench/eval_safety.py). CSE_BLIND_DIR names the
# folder; EVAL_SAFETY_ARGS="--nlu models/cse.tar.gz" adds the trained NLU pipeline.
eval-safety: $(SPACY_MODEL)
	$(PY) -m bench.eval_safety $(EVAL_SAFETY_ARGS)

# e2e, channels and web in one pytest run: they share one running assistant (the session
# `server` fixture in tests/conftest.py), booted once instead of once per suite.
test-live: $(MODEL) $(MAPS) $(AXE)
	$(PY) -m pytest -q tests/e2e tests/channels tests/web

test: lint validate test-unit test-dialogue test-nlu test-live test-scale test-faults

clean:
	rm -rf models results var/spacy $(DOMAIN)
