# The README's two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test system-deps bench clean

$(BIN)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11+ is needed"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade 'pip<26.3'
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@

run: $(BIN)/.installed
	$(BIN)/python -m devstack.stack

# Tests need Debian's chromium (web pages), poppler-utils (pdftotext) and zbar-tools (QR decoding).
system-deps:
	@scripts/ensure-system-deps

test: $(BIN)/.installed system-deps
	$(BIN)/python -m pytest -n 2

bench: $(BIN)/.installed
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) .local chalice.out
