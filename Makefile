# Everything a fresh machine needs: `make demo` and `make test` create the virtual environment,
# install the project with its test extras, and run. Other targets are listed by `make help`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: help demo test lint format browser imap postgres eval eval-heldout eval-read eval-group \
        eval-write eval-real eval-real-cv eval-roundups editions-real train-read train-confidence bench bench-poll bench-read \
        bench-group bench-render bench-send bench-startup clean

help:
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

browser: ## install headless Chromium (system packages) and axe-core (npm) when missing
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "chromium could not be installed: browser tests will be skipped"; \
	  else echo "chromium missing and not installable here: browser tests will be skipped"; fi; }
	@[ -f out/.axe/node_modules/axe-core/axe.min.js ] || { command -v npm >/dev/null 2>&1 \
	  && npm install --prefix out/.axe axe-core@4 --no-audit --no-fund --loglevel=error >/dev/null \
	  || echo "axe-core could not be installed: the contrast checks will be skipped"; }

imap: ## install Dovecot (a real IMAP server for the inbox tests) from the system packages
	@command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ] || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd >/dev/null) \
	      || echo "dovecot could not be installed: IMAP tests will be skipped"; \
	  else echo "dovecot missing and not installable here: IMAP tests will be skipped"; fi; }

postgres: ## install PostgreSQL (the tests start a throwaway server of their own) when it is missing
	@command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) \
	      || echo "postgresql could not be installed: the PostgreSQL tests will be skipped"; \
	  else echo "postgresql missing and not installable here: the PostgreSQL tests will be skipped"; fi; }

demo: $(STAMP) ## run the whole flow offline on the sample feeds; writes an edition into out/
	$(VENV)/bin/digest demo --out out

test: $(STAMP) browser imap postgres ## lint, then every test (store, poll, group, send, web on both engines)
	$(VENV)/bin/ruff check digest tests bench
	$(VENV)/bin/ruff format --check digest tests bench
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy
	$(VENV)/bin/pytest -q -ra

lint: $(STAMP) ## ruff, the import layers and the types, read-only
	$(VENV)/bin/ruff check digest tests bench
	$(VENV)/bin/ruff format --check digest tests bench
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

format: $(STAMP) ## ruff, fixing
	$(VENV)/bin/ruff check --fix digest tests bench
	$(VENV)/bin/ruff format digest tests bench

eval: eval-read eval-group eval-write ## all quality evaluations on the labelled corpus

eval-heldout: $(STAMP) ## the three evaluations on the held-out set (text no stage was tuned on)
	DIGEST_EVAL_CORPUS=tests/corpus/heldout $(PY) -m digest.evaluate.read
	DIGEST_EVAL_CORPUS=tests/corpus/heldout $(PY) -m digest.evaluate.group
	DIGEST_EVAL_CORPUS=tests/corpus/heldout $(PY) -m digest.evaluate.write

eval-read: $(STAMP) ## precision/recall of fact reading per field
	$(PY) -m digest.evaluate.read

eval-group: $(STAMP) ## pairwise and B-cubed scores of story grouping
	$(PY) -m digest.evaluate.group

eval-write: $(STAMP) ## fused facts, conflicts and traceability of written stories
	$(PY) -m digest.evaluate.write

eval-real: $(STAMP) ## the whole program on real news (../shared/news-corpus, or $DIGEST_NEWS_CORPUS)
	$(PY) -m digest.evaluate.real

eval-real-cv: $(STAMP) ## the same, the read scorer trained per fold and measured on the held fold
	$(PY) -m digest.evaluate.real --cv

eval-roundups: $(STAMP) ## pages reporting several deals: each listed deal read (5-fold CV)
	$(PY) -m digest.evaluate.roundups --cv

editions-real: $(STAMP) ## eval-real, and one edition per week of the corpus into out/real-weeks/
	$(PY) -m digest.evaluate.real --weekly out/real-weeks

train-read: $(STAMP) ## rebuild digest/read/data/scorer.json from ../shared/news-corpus
	$(PY) -m digest.evaluate.train

train-confidence: $(STAMP) ## rebuild digest/write/data/confidence.json (5-fold CV figures printed)
	$(PY) -m digest.evaluate.confidence

bench: bench-poll bench-read bench-group bench-render bench-send bench-startup ## every benchmark

bench-poll: $(STAMP) $(if $(filter postgres,$(DB)),postgres) ## 1 000 feeds from a local HTTP server, polled twice, beside a plain poller (DB=postgres|URL)
	$(PY) bench/poll.py $(if $(DB),--db $(DB))

bench-read: $(STAMP) ## 5 000 items through the read stage
	$(PY) bench/read.py

bench-group: $(STAMP) ## 10k, 50k, 100k synthetic mentions through grouping
	$(PY) bench/group.py

bench-render: $(STAMP) browser ## editions of 10, 30 and 100 stories
	$(PY) bench/render.py

bench-send: $(STAMP) postgres ## 20 000 personalised copies to a local SMTP sink, from SQLite then PostgreSQL (1 and 2 senders)
	$(PY) bench/send.py

bench-startup: $(STAMP) ## start-up time and memory of --help, status and send beside a bare typer CLI
	$(PY) bench/startup.py

clean:
	rm -rf $(VENV) out/*/ .pytest_cache .ruff_cache .mypy_cache
