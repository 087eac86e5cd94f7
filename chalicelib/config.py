"""Settings, read from the environment when first asked for (never at import: chalice's test client and
`chalice local` only apply config variables while a request runs)."""
from __future__ import annotations

import os
from dataclasses import dataclass


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
    render_queue_url: str
    mailbox_queue_url: str
    outbox_path: str
    public_verify_base_url: str
    token_ttl_seconds: int
    presign_ttl_seconds: int
    mailbox_gateway_url: str

    @property
    def is_local(self) -> bool:
        return self.app_env != "aws"


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
        render_queue_url=env("RENDER_QUEUE_URL", ""),
        mailbox_queue_url=env("MAILBOX_QUEUE_URL", ""),
        outbox_path=env("OUTBOX_PATH", ".local/outbox.jsonl"),
        public_verify_base_url=env("PUBLIC_VERIFY_BASE_URL", "http://127.0.0.1:8001"),
        token_ttl_seconds=int(env("TOKEN_TTL_SECONDS", "900")),
        presign_ttl_seconds=min(300, int(env("PRESIGN_TTL_SECONDS", "300"))),
        mailbox_gateway_url=env("MAILBOX_GATEWAY_URL", ""),
    )
