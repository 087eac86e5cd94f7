"""Statement PDFs in a private, encrypted S3 bucket, handed out only as short-lived presigned GETs (s3v4)."""
from __future__ import annotations

from chalicelib.domain.ports import DocumentFiles
from chalicelib.storage.aws import client

MAX_PRESIGN_SECONDS = 300


def statement_key(national_code: str, tracking_no: str, document_id: str) -> str:
    return f"statements/{national_code}/{tracking_no}/{document_id}.pdf"


class S3DocumentFiles(DocumentFiles):
    def __init__(self, bucket: str, presign_seconds: int = MAX_PRESIGN_SECONDS):
        self.bucket = bucket
        self.presign_seconds = min(presign_seconds, MAX_PRESIGN_SECONDS)

    def key_for(self, national_code: str, tracking_no: str, document_id: str) -> str:
        return statement_key(national_code, tracking_no, document_id)

    def put(self, key: str, pdf: bytes, sha256: str) -> None:
        client("s3").put_object(Bucket=self.bucket, Key=key, Body=pdf, ContentType="application/pdf",
                                ServerSideEncryption="AES256", Metadata={"sha256": sha256})

    def get(self, key: str) -> bytes:
        return client("s3").get_object(Bucket=self.bucket, Key=key)["Body"].read()

    def delete(self, key: str) -> None:
        client("s3").delete_object(Bucket=self.bucket, Key=key)

    def link(self, key: str, filename: str) -> str:
        return client("s3").generate_presigned_url(
            "get_object",
            Params={"Bucket": self.bucket, "Key": key, "ResponseContentType": "application/pdf",
                    "ResponseContentDisposition": f'inline; filename="{filename}"'},
            ExpiresIn=self.presign_seconds)

    def upload_link(self, key: str, content_type: str, size: int) -> str:
        return client("s3").generate_presigned_url(
            # Type and length are signed: S3 refuses any other file. The bucket encrypts by default, so the
            # browser sends no encryption header.
            "put_object", Params={"Bucket": self.bucket, "Key": key, "ContentType": content_type,
                                  "ContentLength": size},
            ExpiresIn=self.presign_seconds)

    def download_link(self, key: str, filename: str, content_type: str) -> str:
        return client("s3").generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": key, "ResponseContentType": content_type,
                                  "ResponseContentDisposition": f'attachment; filename="{filename}"'},
            ExpiresIn=self.presign_seconds)
