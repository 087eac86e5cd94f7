"""Secrets read once per container from Secrets Manager (moto locally): the service's own keys (chalicelib/domain/
keys.py gives their format, checked on reading) and the providers' credentials."""
from __future__ import annotations

import json
import threading

from chalicelib.domain.keys import key_bytes
from chalicelib.domain.ports import Keys
from chalicelib.storage.aws import client


class SecretsKeys(Keys):
    def __init__(self, secret_id: str):
        self.secret_id = secret_id
        self._secret: dict | None = None
        self._keys: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def _load(self) -> dict:
        if self._secret is None:
            with self._lock:
                if self._secret is None:
                    raw = client("secretsmanager").get_secret_value(SecretId=self.secret_id)["SecretString"]
                    self._secret = json.loads(raw)
        return self._secret

    def key(self, name: str) -> bytes:
        """One of the service's own keys, checked against the one format they are generated in."""
        if name not in self._keys:
            self._keys[name] = key_bytes(name, self._load()[name])
        return self._keys[name]

    def text(self, name: str) -> str:
        return str(self._load().get(name, ""))
