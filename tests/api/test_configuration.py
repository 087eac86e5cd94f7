"""What a deployment needs is checked when a function starts: nothing falls back to a local stand-in on AWS, and the
keys Secrets Manager generates are the keys the service reads."""
from __future__ import annotations

import pytest

DEPLOYED = {
    "APP_ENV": "aws", "USERS_TABLE": "u", "RECORDS_TABLE": "r", "REQUESTS_TABLE": "q", "GRANTS_TABLE": "g",
    "ACTIVITY_TABLE": "a", "THROTTLES_TABLE": "t", "DOCUMENTS_BUCKET": "d", "LISTS_BUCKET": "l",
    "SECRETS_ID": "arn:aws:secretsmanager:eu-central-1:123456789012:secret:keys",
    "PROVIDERS_SECRET_ID": "arn:aws:secretsmanager:eu-central-1:123456789012:secret:providers",
    "RENDER_QUEUE_URL": "https://sqs/render", "MAILBOX_QUEUE_URL": "https://sqs/mailbox", "SMS_QUEUE_URL": "https://sqs/sms",
    "SMS_GATEWAY_URL": "https://edge.ippanel.com/v1", "SMS_SENDER": "+983000505",
    "MAILBOX_GATEWAY_URL": "https://mailbox.example/api", "SMS_DAILY_CAP": "1000",
    "MOBILE_OWNERSHIP_URL": "https://shahkar.example/match",
    "PUBLIC_VERIFY_BASE_URL": "https://verify.example",
    "SIGNING_KEY_ID": "arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "SIGNING_CHAIN_SECRET_ID": "arn:aws:secretsmanager:eu-central-1:123456789012:secret:signing-chain",
}


@pytest.fixture
def deployed(monkeypatch):
    for name in list(__import__("os").environ):
        if name.startswith("AWS_ENDPOINT_URL"):
            monkeypatch.delenv(name)
    for name, value in DEPLOYED.items():
        monkeypatch.setenv(name, value)
    return monkeypatch


def test_a_deployed_function_starts_with_every_setting_and_uses_the_real_gateways(deployed):
    from chalicelib.bootstrap import bootstrap
    from chalicelib.config import load_settings
    from chalicelib.storage.mailbox_gateway import HttpMailbox
    from chalicelib.storage.sms import QueuedSms

    services = bootstrap(load_settings().require_deployment())
    services.adapters.__dict__["providers"] = _Secret({"sms_api_key": "k", "mailbox_credentials": "c",
                                                       "mobile_ownership_api_key": "m"})
    assert isinstance(services.adapters.sms, QueuedSms)
    from chalicelib.storage.mobile_ownership import HttpMobileOwnership

    assert isinstance(services.adapters.ownership, HttpMobileOwnership)
    assert services.adapters.ownership.url == "https://shahkar.example/match"
    assert isinstance(services.adapters.mailbox_gateway, HttpMailbox)
    assert services.adapters.mailbox_gateway.url == "https://mailbox.example/api"
    assert services.adapters.sms_gateway.url == "https://edge.ippanel.com/v1/api/send"


@pytest.mark.parametrize("missing", ["MOBILE_OWNERSHIP_URL", "MAILBOX_GATEWAY_URL", "SMS_GATEWAY_URL", "PROVIDERS_SECRET_ID", "SMS_QUEUE_URL",
                                     "SECRETS_ID", "SIGNING_KEY_ID", "SIGNING_CHAIN_SECRET_ID"])
def test_a_missing_setting_stops_the_function_instead_of_falling_back(deployed, missing):
    from chalicelib.config import ConfigurationError, load_settings

    deployed.delenv(missing)
    with pytest.raises(ConfigurationError, match=missing):
        load_settings().require_deployment()


def test_a_deployed_function_never_talks_to_a_local_emulator(deployed):
    from chalicelib.config import ConfigurationError, load_settings

    deployed.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:5000")
    with pytest.raises(ConfigurationError, match="AWS_ENDPOINT_URL"):
        load_settings().require_deployment()


def test_a_deployed_function_signs_with_the_kms_key_and_never_a_local_one(deployed):
    from chalicelib.bootstrap import bootstrap
    from chalicelib.config import load_settings
    from chalicelib.signing.chain_secret import SecretChain
    from chalicelib.signing.kms_pdf_signer import KmsPdfSigner

    deployed.setenv("SIGNING_DIR", "/somewhere/with/a/development/key")  # ignored on AWS
    signer = bootstrap(load_settings().require_deployment()).adapters.signatures.signer
    assert isinstance(signer, KmsPdfSigner) and signer.key_id == DEPLOYED["SIGNING_KEY_ID"]
    assert isinstance(signer._chain_pem, SecretChain)
    assert signer._chain_pem.secret_id == DEPLOYED["SIGNING_CHAIN_SECRET_ID"]


def test_the_renderer_needs_the_verification_address_it_prints(deployed):
    from chalicelib.bootstrap import bootstrap
    from chalicelib.config import ConfigurationError, load_settings

    deployed.delenv("PUBLIC_VERIFY_BASE_URL")
    services = bootstrap(load_settings().require_deployment())  # the inquiry function starts without it
    with pytest.raises(ConfigurationError, match="PUBLIC_VERIFY_BASE_URL"):
        services.rendering


def test_keys_generated_as_secrets_manager_generates_them_sign_and_verify_tokens(aws):
    """64 letters and digits (no punctuation), as the stack asks Secrets Manager for: before, the service read them
    as hex and every request on AWS failed."""
    import json
    import string

    from chalicelib.domain import tokens
    from chalicelib.domain.keys import KEY_ALPHABET, KEY_LENGTH, KEY_NAMES, generate_key
    from chalicelib.domain.tokens import Principal
    from chalicelib.storage.aws import client
    from chalicelib.storage.secrets_keys import SecretsKeys

    assert set(KEY_ALPHABET) == set(string.ascii_letters + string.digits) and KEY_LENGTH == 64
    generated = {name: generate_key() for name in KEY_NAMES}
    assert all(len(v) == 64 and set(v) <= set(KEY_ALPHABET) for v in generated.values())
    generated["token_key"] = "Zq" + generated["token_key"][2:]  # certainly not hex
    client("secretsmanager").create_secret(Name="deployed/keys", SecretString=json.dumps(generated))
    key = SecretsKeys("deployed/keys").key("token_key")
    principal = Principal("0499370899", "insured", "s1", 2_000_000_000)
    assert tokens.verify(key, tokens.issue(key, principal), 1_900_000_000) == principal


def test_a_key_that_is_not_one_the_service_generates_is_refused():
    from chalicelib.domain.keys import KeyFormatError, key_bytes

    for bad in ("short", "x" * 40 + "!", "ä" * 64):
        with pytest.raises(KeyFormatError):
            key_bytes("token_key", bad)


class _Secret:
    def __init__(self, values):
        self.values = values

    def text(self, name):
        return self.values[name]


def test_behind_cloudfront_the_viewer_is_read_from_the_edge_headers_and_nowhere_else(monkeypatch):
    from chalicelib.http.function_url import Event
    from devstack.workers import function_url_event

    headers = {"Host": "abc.lambda-url.eu-central-1.on.aws", "x-sabeghe-viewer-ip": "203.0.113.50",
               "x-sabeghe-viewer-host": "inquiry.sabeghe.ir"}
    event = function_url_event("POST", "/", "", headers, b"{}", "130.176.0.1")  # a CloudFront edge address
    monkeypatch.setenv("INQUIRY_EDGE", "function_url")
    direct = Event(event)
    assert (direct.source_ip, direct.base_url) == ("130.176.0.1", "https://abc.lambda-url.eu-central-1.on.aws")
    monkeypatch.setenv("INQUIRY_EDGE", "cloudfront")
    edge = Event(event)
    assert (edge.source_ip, edge.base_url) == ("203.0.113.50", "https://inquiry.sabeghe.ir")
