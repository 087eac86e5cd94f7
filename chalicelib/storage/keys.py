"""The service's secret keys, read once per container from Secrets Manager (moto locally)."""
from __future__ import annotations

import json
import threading

from chalicelib.storage.aws import client


class KeyRing:
    def __init__(self, secret_id: str):
        self.secret_id = secret_id
        self._keys: dict | None = None
        self._lock = threading.Lock()

    def _load(self) -> dict:
        if self._keys is None:
            with self._lock:
                if self._keys is None:
                    raw = client("secretsmanager").get_secret_value(SecretId=self.secret_id)["SecretString"]
                    self._keys = {name: bytes.fromhex(value) for name, value in json.loads(raw).items()
                                  if name.endswith("_key")}
        return self._keys

    def key(self, name: str) -> bytes:
        return self._load()[name]

    def text(self, name: str) -> str:
        raw = client("secretsmanager").get_secret_value(SecretId=self.secret_id)["SecretString"]
        return str(json.loads(raw).get(name, ""))
