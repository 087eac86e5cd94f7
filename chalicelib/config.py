"""Settings, read from the environment when first asked for (never at import: chalice's test client and
`chalice local` only apply config variables while a request runs).

On AWS (APP_ENV=aws) every setting a deployment needs must be present: `require_deployment()` refuses to start
with a missing one instead of falling back to a local stand-in. The CDK stack sets them all (infra/)."""
from __future__ import annotations

import os
from dataclasses import dataclass

# What a deployed function cannot work without: the stack passes each one.
DEPLOYMENT_SETTINGS = {
    "users_table": "USERS_TABLE", "records_table": "RECORDS_TABLE", "requests_table": "REQUESTS_TABLE",
    "grants_table": "GRANTS_TABLE", "activity_table": "ACTIVITY_TABLE", "throttles_table": "THROTTLES_TABLE",
    "documents_bucket": "DOCUMENTS_BUCKET", "lists_bucket": "LISTS_BUCKET", "secrets_id": "SECRETS_ID",
    "providers_secret_id": "PROVIDERS_SECRET_ID", "render_queue_url": "RENDER_QUEUE_URL",
    "mailbox_queue_url": "MAILBOX_QUEUE_URL", "sms_queue_url": "SMS_QUEUE_URL",
    "sms_gateway_url": "SMS_GATEWAY_URL", "sms_sender": "SMS_SENDER", "mailbox_gateway_url": "MAILBOX_GATEWAY_URL",
    "mobile_ownership_url": "MOBILE_OWNERSHIP_URL",
    # Statements are signed with the KMS key; its certificate chain is kept in a secret beside it. Never a local key.
    "signing_key_id": "SIGNING_KEY_ID", "signing_chain_secret_id": "SIGNING_CHAIN_SECRET_ID",
}


class ConfigurationError(RuntimeError):
    """The deployment is missing something it needs: fail loudly at start-up, never fall back."""


@dataclass(frozen=True)
class Settings:
    app_env: str
    region: str
    users_table: str
    records_table: str
    requests_table: str
    grants_table: str
    activity_table: str
    throttles_table: str
    documents_bucket: str
    lists_bucket: str
    secrets_id: str
    providers_secret_id: str
    render_queue_url: str
    mailbox_queue_url: str
    sms_queue_url: str
    outbox_path: str
    public_verify_base_url: str
    token_ttl_seconds: int
    presign_ttl_seconds: int
    mailbox_gateway_url: str
    mobile_ownership_url: str
    sms_gateway_url: str
    sms_sender: str
    sms_daily_cap: int
    signing_key_id: str
    signing_chain_secret_id: str
    signing_dir: str  # local only: the development CA's key and chain (devstack/dev_ca.py)

    @property
    def is_local(self) -> bool:
        return self.app_env != "aws"

    def require_deployment(self, environ=None) -> "Settings":
        """On AWS: every deployment setting present, and nothing that points boto3 at a local emulator."""
        if self.is_local:
            return self
        environ = os.environ if environ is None else environ
        missing = sorted(variable for field, variable in DEPLOYMENT_SETTINGS.items()
                         if not environ.get(variable) or not getattr(self, field))
        if missing:
            raise ConfigurationError("missing deployment settings: " + ", ".join(missing))
        stand_ins = sorted(name for name in environ if name.startswith("AWS_ENDPOINT_URL"))
        if stand_ins:
            raise ConfigurationError("a deployed function must not point at a local emulator: " + ", ".join(stand_ins))
        if self.sms_daily_cap <= 0:
            raise ConfigurationError("SMS_DAILY_CAP must be a positive number")
        return self


def load_settings() -> Settings:
    env = os.environ.get
    return Settings(
        app_env=env("APP_ENV", "local"),
        region=env("AWS_DEFAULT_REGION", "us-east-1"),
        users_table=env("USERS_TABLE", "sabeghe-users"),
        records_table=env("RECORDS_TABLE", "sabeghe-records"),
        requests_table=env("REQUESTS_TABLE", "sabeghe-requests"),
        grants_table=env("GRANTS_TABLE", "sabeghe-grants"),
        activity_table=env("ACTIVITY_TABLE", "sabeghe-activity"),
        throttles_table=env("THROTTLES_TABLE", "sabeghe-throttles"),
        documents_bucket=env("DOCUMENTS_BUCKET", "sabeghe-documents"),
        lists_bucket=env("LISTS_BUCKET", "sabeghe-lists"),
        secrets_id=env("SECRETS_ID", "sabeghe/keys"),
        providers_secret_id=env("PROVIDERS_SECRET_ID", ""),
        render_queue_url=env("RENDER_QUEUE_URL", ""),
        mailbox_queue_url=env("MAILBOX_QUEUE_URL", ""),
        sms_queue_url=env("SMS_QUEUE_URL", ""),
        outbox_path=env("OUTBOX_PATH", ".local/outbox.jsonl"),
        # On AWS the inquiry function learns its own address from each request; the others are given it.
        public_verify_base_url=env("PUBLIC_VERIFY_BASE_URL", "http://127.0.0.1:8001" if env("APP_ENV") != "aws" else ""),
        token_ttl_seconds=int(env("TOKEN_TTL_SECONDS", "900")),
        presign_ttl_seconds=min(300, int(env("PRESIGN_TTL_SECONDS", "300"))),
        mailbox_gateway_url=env("MAILBOX_GATEWAY_URL", ""),
        mobile_ownership_url=env("MOBILE_OWNERSHIP_URL", ""),
        sms_gateway_url=env("SMS_GATEWAY_URL", ""),
        sms_sender=env("SMS_SENDER", ""),
        sms_daily_cap=int(env("SMS_DAILY_CAP", "500")),
        signing_key_id=env("SIGNING_KEY_ID", ""),
        signing_chain_secret_id=env("SIGNING_CHAIN_SECRET_ID", ""),
        signing_dir=env("SIGNING_DIR", os.path.join(".local", "signing")),
    )


__all__ = ["ConfigurationError", "Settings", "load_settings"]
