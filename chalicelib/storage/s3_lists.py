"""Employers' lists in their private, encrypted bucket: uploaded through short-lived presigned PUTs under
`uploads/<list id>/`, read back by the ingestion as a stream to a local file, and reported at
`reports/<list id>.json`."""
from __future__ import annotations

import json

from chalicelib.domain.ports import ListFiles
from chalicelib.storage.aws import client

CHUNK = 64 * 1024
UPLOAD_SECONDS = 900  # a 50 MiB list over a slow office line


def report_key(list_id: str) -> str:
    return f"reports/{list_id}.json"


class S3ListFiles(ListFiles):
    def __init__(self, bucket: str):
        self.bucket = bucket

    def upload_link(self, key: str, content_type: str, size: int | None) -> str:
        params = {"Bucket": self.bucket, "Key": key, "ContentType": content_type}
        if size is not None:
            params["ContentLength"] = size  # signed: S3 refuses a file of any other length
        return client("s3").generate_presigned_url("put_object", Params=params, ExpiresIn=UPLOAD_SECONDS)

    def present(self, keys: list[str]) -> list[tuple[str, int, int]]:
        from botocore.exceptions import ClientError

        found = []
        for key in keys:
            try:
                head = client("s3").head_object(Bucket=self.bucket, Key=key)
            except ClientError as exc:
                # Without s3:ListBucket (the role does not need it) S3 says 403, not 404, for a key not there.
                if exc.response["Error"]["Code"] in ("404", "NoSuchKey", "403", "NotFound"):
                    continue
                raise
            found.append((key, head["ContentLength"], int(head["LastModified"].timestamp())))
        return found

    def fetch(self, key: str, path: str) -> None:
        # A plain streamed GET: the transfer manager would buffer whole parts (8 MiB) in memory.
        body = client("s3").get_object(Bucket=self.bucket, Key=key)["Body"]
        with open(path, "wb") as out:
            for chunk in body.iter_chunks(CHUNK):
                out.write(chunk)

    def put_report(self, list_id: str, body: bytes | str) -> None:
        extra = {"ContentType": "application/json", "ServerSideEncryption": "AES256"}
        if isinstance(body, str):  # a file: sent from disk as a stream, not read into memory
            with open(body, "rb") as source:
                client("s3").put_object(Bucket=self.bucket, Key=report_key(list_id), Body=source, **extra)
        else:
            client("s3").put_object(Bucket=self.bucket, Key=report_key(list_id), Body=body, **extra)

    def fetch_roster(self, workshop_code: str, path: str) -> bool:
        try:
            self.fetch(f"rosters/{workshop_code}.db", path)
        except client("s3").exceptions.NoSuchKey:
            return False
        return True

    def put_roster(self, workshop_code: str, path: str) -> None:
        with open(path, "rb") as source:
            client("s3").put_object(Bucket=self.bucket, Key=f"rosters/{workshop_code}.db", Body=source,
                                    ContentType="application/vnd.sqlite3", ServerSideEncryption="AES256")

    def report(self, list_id: str) -> dict | None:
        try:
            got = client("s3").get_object(Bucket=self.bucket, Key=report_key(list_id))
        except client("s3").exceptions.NoSuchKey:
            return None
        return json.loads(got["Body"].read())
