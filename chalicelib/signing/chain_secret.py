"""The signing certificate chain on AWS: a Secrets Manager secret beside the KMS key, read once per container.

Why a secret, although certificates are public: the stack creates it empty and the operator puts the chain in once
a CA has certified the KMS key (docs/deploy.md), and CloudFormation never writes its value again (an SSM parameter's
value lives in the template, and the next deploy would put the placeholder back); a chain of three certificates runs
past the 4 KB of a standard SSM parameter; versions (AWSPREVIOUS) let a bad renewal be rolled back at once; and the
functions already read secrets with the same client and the same kind of grant. Only the PDF worker and the inquiry
function (which checks files people hold) may read it."""
from __future__ import annotations

import threading

from chalicelib.storage.aws import client


class SecretChain:
    def __init__(self, secret_id: str):
        self.secret_id = secret_id
        self._pem: bytes | None = None
        self._lock = threading.Lock()

    def __call__(self) -> bytes:
        with self._lock:
            if self._pem is None:
                answer = client("secretsmanager").get_secret_value(SecretId=self.secret_id)
                self._pem = answer["SecretString"].encode()
            return self._pem
