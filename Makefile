# nn-grader: the two commands of the README's quick start.
#
#   make grade   install everything, grade the bundled sample class, write reports/index.html
#   make test    install everything (with test tools), run the whole test suite
#
# Both set themselves up on a fresh machine: a virtual environment in .venv from
# pyproject.toml, and the system tools from tools/install-system-deps (bubblewrap for
# the sandbox; Chromium and a Japanese font for the browser test). CI runs `make test`.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: grade test install system-deps clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,dask]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

system-deps:
	@tools/install-system-deps $(SYSTEM_DEPS)

grade: SYSTEM_DEPS = sandbox
grade: $(STAMP) system-deps
	$(BIN)/grader grade

test: SYSTEM_DEPS = sandbox browser
test: $(STAMP) system-deps
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) reports build *.egg-info
