# The README's two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test unit system-deps bench clean

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
	@$(MAKE) --no-print-directory infra-test

# The rules and the services on the in-memory adapters: no moto, no browser, seconds.
unit: $(BIN)/.installed
	$(BIN)/python -m pytest -n 2 -q tests/domain tests/services

bench: $(BIN)/.installed
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) .local chalice.out

# -- infra/: the CDK app that deploys the service (docs/deploy.md) ---------------------------------------------
INFRA_VENV := infra/.venv
INFRA_BIN := $(INFRA_VENV)/bin
# Synthesis goes through this pinned CDK CLI, which hands cdk.json's context (feature flags) to infra/app.py.
CDK_CLI := aws-cdk@2.1148.1
# `chalice package` (run during synthesis) needs a region; synthesis needs no credentials.
AWS_DEFAULT_REGION ?= eu-central-1
# More CLI arguments for `make synth`, e.g. CDK_ARGS='-c public_verify_base_url=https://verify.example'
CDK_ARGS ?=

.PHONY: infra-test synth infra-clean

$(INFRA_BIN)/.installed: infra/requirements.txt requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11+ is needed"; exit 1; }
	$(PYTHON) -m venv $(INFRA_VENV)
	$(INFRA_BIN)/pip install --quiet --upgrade 'pip<26.3'
	$(INFRA_BIN)/pip install --quiet -r infra/requirements.txt
	@touch $@

# The stack's template tests and cfn-lint, against a stub Chalice app: no downloads, no AWS. Part of `make test`.
infra-test: $(INFRA_BIN)/.installed
	cd infra && .venv/bin/python -m pytest

# The real app's template in infra/cdk.out/, then cfn-lint on it. The first run downloads the CDK CLI (npm) and
# the Lambda wheels (chalice package). No credentials needed; instance metadata and CLI telemetry stay off.
synth: $(INFRA_BIN)/.installed
	cd infra && PATH="$(CURDIR)/$(INFRA_BIN):$$PATH" AWS_DEFAULT_REGION="$(AWS_DEFAULT_REGION)" \
		AWS_EC2_METADATA_DISABLED=true CDK_DISABLE_CLI_TELEMETRY=true \
		npx --yes $(CDK_CLI) synth --quiet --no-notices $(CDK_ARGS)
	$(INFRA_BIN)/cfn-lint --regions "$(AWS_DEFAULT_REGION)" -- infra/cdk.out/*.template.json

infra-clean:
	rm -rf $(INFRA_VENV) infra/cdk.out infra/chalice.out
