# The README's two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test unit system-deps bench clean ingest

$(BIN)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11+ is needed"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade 'pip<26.3'
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@

run: $(BIN)/.installed
	$(BIN)/python -m devstack.stack

# Employers' lists into the running `make run` stack: make ingest LIST=list.zip (or LIST="--sample 5000")
ingest: $(BIN)/.installed
	@$(if $(LIST),,$(error say which list: make ingest LIST=path/to/list.zip))
	$(BIN)/python -m devstack.ingest $(LIST)

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

# Load on its own local stack, then nothing lost or doubled (docs/load.md): make load [SECONDS=60] [FAULTS=0.05] [USERS=12]
.PHONY: load
load: $(BIN)/.installed
	$(BIN)/python -m devstack.load --seconds $(or $(SECONDS),60) $(if $(FAULTS),--faults $(FAULTS)) $(if $(USERS),--users $(USERS))

clean:
	rm -rf $(VENV) .local chalice.out

# -- infra/: the CDK app that deploys the service (docs/deploy.md) ---------------------------------------------
INFRA_VENV := infra/.venv
INFRA_BIN := $(INFRA_VENV)/bin
CHECKOV_VENV := infra/.venv-checkov
# The Lambda runtime's Python (infra/stacks/functions.py): chalice packages the wheels of the Python that runs the
# synth, so infra/app.py refuses any other. The first python3.12 that runs (on PATH, or pyenv's), else $(PYTHON):
# the tests still run on that; `make synth` then says why it will not.
INFRA_PYTHON ?= $(firstword $(foreach p,python3.12 $(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3.12),$(if $(shell $(p) -c 'print(1)' 2>/dev/null),$(p))) $(PYTHON))
# The CDK CLI, pinned in infra/cdk.json (context sabeghe:cdkCliVersion); infra/app.py refuses any other version.
CDK_CLI_VERSION := $(shell sed -n 's/.*"sabeghe:cdkCliVersion": *"\([^"]*\)".*/\1/p' infra/cdk.json)
CDK := AWS_EC2_METADATA_DISABLED=true CDK_DISABLE_CLI_TELEMETRY=true npx --yes aws-cdk@$(CDK_CLI_VERSION)
# The stage: dev or prod (infra/stacks/settings.py). More CLI arguments: CDK_ARGS='-c sms_sender=+98...'
STAGE ?=
CDK_ARGS ?=
NEED_STAGE = $(if $(STAGE),,$(error say which stage: make $@ STAGE=dev (or STAGE=prod)))

.PHONY: infra-test synth diff deploy deploy-edge bootstrap infra-clean

$(INFRA_BIN)/.installed: infra/requirements.txt requirements.txt
	@$(INFRA_PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11+ is needed"; exit 1; }
	@want=$$($(INFRA_PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])'); \
	have=$$($(INFRA_BIN)/python -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null); \
	if [ -n "$$have" ] && [ "$$have" != "$$want" ]; then echo "infra/.venv is Python $$have: rebuilt with $$want"; rm -rf $(INFRA_VENV); fi
	$(INFRA_PYTHON) -m venv $(INFRA_VENV)
	$(INFRA_BIN)/pip install --quiet --upgrade 'pip<26.3'
	$(INFRA_BIN)/pip install --quiet -r infra/requirements.txt
	@touch $@

# checkov pins boto3 1.35 (the app needs 1.44): its own virtualenv.
$(CHECKOV_VENV)/bin/.installed: infra/requirements-checkov.txt
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install --quiet --upgrade 'pip<26.3'
	$(CHECKOV_VENV)/bin/pip install --quiet -r infra/requirements-checkov.txt
	@touch $@

# Both stages against a stub Chalice app: template tests, cdk-nag (CDK stack and SAM-transformed), checkov
# (offline), cfn-lint. No downloads, no AWS. Part of `make test`.
infra-test: $(INFRA_BIN)/.installed $(CHECKOV_VENV)/bin/.installed
	cd infra && .venv/bin/python -m pytest

# The real app's templates in infra/cdk.out/ (cdk-nag runs inside the synth), then cfn-lint, cdk-nag on the
# SAM-transformed template and checkov. The first run downloads the CDK CLI (npm) and the Lambda wheels (chalice
# package). No credentials needed.
synth: $(INFRA_BIN)/.installed $(CHECKOV_VENV)/bin/.installed
	$(NEED_STAGE)
	rm -rf infra/cdk.out
	cd infra && $(CDK) synth --quiet --no-notices -c stage=$(STAGE) $(CDK_ARGS)
	$(INFRA_BIN)/python infra/template_checks.py infra/cdk.out/*.template.json

diff: $(INFRA_BIN)/.installed
	$(NEED_STAGE)
	cd infra && $(CDK) diff --no-notices -c stage=$(STAGE) $(CDK_ARGS)

# Deploys the stage's stacks (prod: the edge stack in us-east-1 too). Run `make synth STAGE=...` first for the checks.
deploy: $(INFRA_BIN)/.installed
	$(NEED_STAGE)
	cd infra && $(CDK) deploy --all --no-notices --require-approval broadening --outputs-file outputs-$(STAGE).json \
		-c stage=$(STAGE) $(CDK_ARGS)

# Only the edge stack (the WAF web ACL in us-east-1): once before a stage's first deploy, for its WebAclArn.
deploy-edge: $(INFRA_BIN)/.installed
	$(NEED_STAGE)
	cd infra && $(CDK) deploy --all --no-notices --require-approval broadening --outputs-file outputs-$(STAGE)-edge.json \
		-c stage=$(STAGE) -c edge_only=true $(CDK_ARGS)

# Once per account and region the stage uses (prod: us-east-1 too, for the edge stack).
bootstrap: $(INFRA_BIN)/.installed
	$(NEED_STAGE)
	cd infra && $(CDK) bootstrap --no-notices -c stage=$(STAGE) -c bootstrap=true $(CDK_ARGS)

infra-clean:
	rm -rf $(INFRA_VENV) $(CHECKOV_VENV) infra/cdk.out infra/chalice.out
