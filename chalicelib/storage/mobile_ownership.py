"""Whose name a mobile line is in (the MobileOwnership port).

On AWS: the operators' national-code/mobile match service (in Iran, the regulator's "Shahkar" inquiry, reached
through a licensed aggregator), over HTTPS with the credentials in the providers secret: `POST <url>` with
`{"national_code", "mobile"}` answers `{"match": true|false}`. Locally: a directory of lines kept in the users
table (`MOBILELINE#<national code>`), written by the demo data and the tests, standing in for the operators."""
from __future__ import annotations

import json
import urllib.request

from chalicelib.domain.errors import Unavailable
from chalicelib.domain.ports import MobileOwnership
from chalicelib.storage.aws import client
from chalicelib.storage.dynamodb.codec import key_of
from chalicelib.logs import log


class HttpMobileOwnership(MobileOwnership):
    def __init__(self, url: str, api_key, timeout: float = 5.0):
        """`api_key` is called when first needed: routes that never register or reset never read the secret."""
        if not url.startswith("https://"):
            raise ValueError("the mobile ownership service must be reached over https")
        self.url = url
        self._api_key = api_key
        self.timeout = timeout

    def owns(self, national_code: str, mobile: str) -> bool:
        key = self._api_key() if callable(self._api_key) else self._api_key
        if not key:
            log("mobile_ownership_key_missing", "ERROR")
            raise Unavailable("The mobile-number check is not configured; try again later.",
                              code="ownership_unavailable")
        body = json.dumps({"national_code": national_code, "mobile": mobile}).encode()
        request = urllib.request.Request(self.url, data=body, method="POST", headers={
            "Content-Type": "application/json", "Accept": "application/json",
            "Authorization": f"Bearer {key}"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                reply = json.loads(answer.read() or b"{}")
        except (OSError, ValueError):
            # Never guess yes: without the operators' answer no code is sent anywhere.
            raise Unavailable("The mobile-number check is not answering; try again in a few minutes.",
                              code="ownership_unavailable") from None
        match = reply.get("match") if isinstance(reply, dict) else None
        if not isinstance(match, bool):
            raise Unavailable("The mobile-number check gave no answer; try again in a few minutes.",
                              code="ownership_unavailable")
        return match


class DirectoryMobileOwnership(MobileOwnership):
    """The local stand-in: the lines each person holds, as the demo data and tests declare them."""

    def __init__(self, table: str):
        self.table = table

    @staticmethod
    def key(national_code: str) -> dict:
        return key_of(pk=f"MOBILELINE#{national_code}")

    def owns(self, national_code: str, mobile: str) -> bool:
        got = client("dynamodb").get_item(TableName=self.table, Key=self.key(national_code))
        return mobile in set((got.get("Item") or {}).get("mobiles", {}).get("SS", []))

    def add_line(self, national_code: str, mobile: str) -> None:
        client("dynamodb").update_item(TableName=self.table, Key=self.key(national_code),
                                       UpdateExpression="ADD mobiles :m",
                                       ExpressionAttributeValues={":m": {"SS": [mobile]}})
