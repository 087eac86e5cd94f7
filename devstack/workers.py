"""What AWS runs outside the API, emulated for `make run`: the inquiry function behind its function URL
(on :8001, real payload-2.0 events built from HTTP requests), the SQS consumers of the render and
e-mailbox queues (polling moto, with SQS's redelivery and a dead-letter hand-off after three receives), and the
consumer of the requests table's stream (the follow_up function's event source mapping)."""
from __future__ import annotations

import base64
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_RECEIVES = 3


# A function URL hands a body over as text only when its Content-Type says it is text; any other body (a PDF) comes
# base64-encoded, with isBase64Encoded set.
TEXT_MEDIA_TYPES = ("text/", "application/json", "application/javascript", "application/xml",
                    "application/x-www-form-urlencoded")


def function_url_event(method: str, path: str, query: str, headers: dict, body: bytes, source_ip: str) -> dict:
    lowered = {k.lower(): v for k, v in headers.items()}
    media_type = lowered.get("content-type", "").split(";")[0].strip().lower()
    binary = bool(body) and bool(media_type) and not media_type.startswith(TEXT_MEDIA_TYPES)
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": query,
        "headers": lowered,
        "requestContext": {
            "accountId": "anonymous",
            "apiId": "local",
            "domainName": lowered.get("host", "127.0.0.1"),
            "domainPrefix": "local",
            "http": {"method": method, "path": path, "protocol": "HTTP/1.1", "sourceIp": source_ip,
                     "userAgent": lowered.get("user-agent", "")},
            "requestId": uuid.uuid4().hex,
            "routeKey": "$default",
            "stage": "$default",
        },
        "body": (base64.b64encode(body).decode() if binary else body.decode("utf-8", errors="replace")) if body else None,
        "isBase64Encoded": binary,
    }


class FunctionUrlServer:
    """Serves one Lambda handler the way a function URL does."""

    def __init__(self, handler, port: int):
        class Handler(BaseHTTPRequestHandler):
            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                path, _, query = self.path.partition("?")
                event = function_url_event(self.command, path, query, dict(self.headers.items()), body,
                                           self.client_address[0])
                answer = handler(event, None)
                body = answer.get("body") or ""
                payload = base64.b64decode(body) if answer.get("isBase64Encoded") else body.encode()
                self.send_response(answer.get("statusCode", 200))
                for name, value in (answer.get("headers") or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _serve  # the router answers 405

            def do_OPTIONS(self):  # the function URL's CORS configuration answers preflights on AWS
                self.send_response(204)
                self.send_header("Access-Control-Allow-Origin", "*")
                self.send_header("Access-Control-Allow-Methods", "GET, POST")
                self.send_header("Access-Control-Allow-Headers", "content-type")
                self.end_headers()

            def log_message(self, *_args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True, name="function-url")

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class Poller:
    """A background thread that keeps calling `poll_once`, like an event source mapping; errors are logged and the
    polling goes on."""

    interval = 0.0

    def __init__(self, name: str):
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True, name=name)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.stopping.set()
        self.thread.join(timeout=5)

    def poll_once(self) -> int:
        raise NotImplementedError

    def _run(self):
        from chalicelib.logs import log_exception

        while not self.stopping.is_set():
            try:
                self.poll_once()
            except Exception:  # noqa: BLE001 - keep consuming, as the real event source does
                log_exception("local_consumer_error", consumer=self.thread.name)
                self.stopping.wait(1)
            if self.interval:
                self.stopping.wait(self.interval)


class QueueConsumer(Poller):
    """Polls one queue and hands batches to a Lambda handler, like an SQS event source mapping."""

    def __init__(self, queue_url: str, handler, batch_size: int = 5):
        super().__init__(f"sqs-{queue_url.rsplit('/', 1)[-1]}")
        self.queue_url = queue_url
        self.handler = handler
        self.batch_size = batch_size

    def poll_once(self) -> int:
        from chalicelib.storage.aws import client

        sqs = client("sqs")
        answer = sqs.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=self.batch_size,
                                     WaitTimeSeconds=1, AttributeNames=["ApproximateReceiveCount"])
        messages = answer.get("Messages", [])
        if not messages:
            return 0
        event = {"Records": [{"messageId": m["MessageId"], "receiptHandle": m["ReceiptHandle"], "body": m["Body"],
                              "attributes": m.get("Attributes", {}), "eventSource": "aws:sqs"} for m in messages]}
        failed = {f["itemIdentifier"] for f in (self.handler(event, None) or {}).get("batchItemFailures", [])}
        for message in messages:
            receives = int(message.get("Attributes", {}).get("ApproximateReceiveCount", "1"))
            if message["MessageId"] not in failed:
                sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"])
            elif receives >= MAX_RECEIVES:
                sqs.send_message(QueueUrl=self.queue_url + "-dlq", MessageBody=message["Body"])
                sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"])
            else:
                sqs.change_message_visibility(QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"],
                                              VisibilityTimeout=2 * receives)
        return len(messages)


def streams_client():
    """A DynamoDB Streams client for moto. The moto server takes it at AWS_ENDPOINT_URL; in-process moto
    (`mock_aws`) only knows the service's classic address, not the account-specific one botocore now picks."""
    import os

    import boto3

    region = os.environ.get("AWS_DEFAULT_REGION", "us-east-1")
    endpoint = os.environ.get("AWS_ENDPOINT_URL") or f"https://streams.dynamodb.{region}.amazonaws.com"
    return boto3.client("dynamodbstreams", region_name=region, endpoint_url=endpoint)


class StreamReader:
    """Reads a table's stream from where it last stopped and hands batches to a Lambda handler, retrying a batch
    from the record the handler reports as failed, as the event source mapping does."""

    def __init__(self, table: str, handler, batch_size: int = 100, max_attempts: int = 3):
        from chalicelib.storage.aws import client

        self.handler = handler
        self.batch_size = batch_size
        self.max_attempts = max_attempts
        self.streams = streams_client()
        self.arn = client("dynamodb").describe_table(TableName=table)["Table"]["LatestStreamArn"]
        self.handled_up_to: dict[str, str] = {}  # shard -> the last sequence number handed over

    def _iterator(self, shard: str) -> str:
        kwargs = {"StreamArn": self.arn, "ShardId": shard}
        after = self.handled_up_to.get(shard)
        if after:
            kwargs.update(ShardIteratorType="AFTER_SEQUENCE_NUMBER", SequenceNumber=after)
        else:
            kwargs.update(ShardIteratorType="TRIM_HORIZON")
        return self.streams.get_shard_iterator(**kwargs)["ShardIterator"]

    def drain(self) -> int:
        """Hand over every record written so far; returns how many were handled."""
        handled = 0
        for shard in self.streams.describe_stream(StreamArn=self.arn)["StreamDescription"]["Shards"]:
            shard_id = shard["ShardId"]
            while True:
                records = self.streams.get_records(ShardIterator=self._iterator(shard_id),
                                                   Limit=self.batch_size).get("Records", [])
                if not records:
                    break
                for _attempt in range(self.max_attempts):
                    failed = [f["itemIdentifier"] for f in
                              (self.handler({"Records": records}, None) or {}).get("batchItemFailures", [])]
                    if not failed:
                        break
                    # Retry from the failed record on; after the last attempt the batch is given up (on AWS: the
                    # on-failure destination).
                    records = [r for r in records if int(r["dynamodb"]["SequenceNumber"]) >= int(failed[0])]
                handled += len(records)
                self.handled_up_to[shard_id] = records[-1]["dynamodb"]["SequenceNumber"]
        return handled


class StreamConsumer(Poller):
    """Keeps draining a table's stream in the background, like Lambda's event source mapping."""

    interval = 0.2

    def __init__(self, table: str, handler):
        super().__init__(f"stream-{table}")
        self.reader = StreamReader(table, handler)

    def poll_once(self) -> int:
        return self.reader.drain()


class BucketWatcher(Poller):
    """The lists bucket's object-created notification: each new object under `uploads/` handed to ingest_list as
    the S3 event AWS would send. An object whose ingestion raised (another list is writing its month) is handed
    again on a later round, as Lambda retries an event."""

    interval = 1.0

    def __init__(self, bucket: str, handler, prefix: str = "uploads/", max_attempts: int = 5):
        super().__init__(f"bucket-{bucket}")
        self.bucket, self.handler, self.prefix, self.max_attempts = bucket, handler, prefix, max_attempts
        self.seen: dict[str, int] = {}  # "key etag" -> attempts (max_attempts + 1 when done)

    def poll_once(self) -> int:
        from urllib.parse import quote_plus

        from chalicelib.logs import log_exception
        from chalicelib.storage.aws import client

        handed = 0
        pages = client("s3").get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix)
        for obj in (o for page in pages for o in page.get("Contents", [])):
            seen = f"{obj['Key']} {obj['ETag']}"
            if self.seen.get(seen, 0) >= self.max_attempts:
                continue
            event = {"Records": [{"eventSource": "aws:s3", "eventName": "ObjectCreated:Put",
                                  "s3": {"bucket": {"name": self.bucket},
                                         "object": {"key": quote_plus(obj["Key"], safe="/"), "size": obj["Size"]}}}]}
            try:
                self.handler(event, None)
                self.seen[seen] = self.max_attempts
            except Exception:  # noqa: BLE001 - as Lambda: the event is tried again, a few times
                self.seen[seen] = self.seen.get(seen, 0) + 1
                log_exception("local_ingest_error", key=obj["Key"], attempt=self.seen[seen])
            handed += 1
        return handed


def start_workers(stack) -> list:
    import app
    from chalicelib.config import load_settings
    from chalicelib.storage.aws import client

    settings = load_settings()
    sqs = client("sqs")
    for name in ("RENDER_QUEUE_URL", "MAILBOX_QUEUE_URL"):
        sqs.create_queue(QueueName=stack.env[name].rsplit("/", 1)[-1] + "-dlq")
    return [
        FunctionUrlServer(app.inquiry, stack.inquiry_port).start(),
        QueueConsumer(stack.env["RENDER_QUEUE_URL"], app.render_statement).start(),
        QueueConsumer(stack.env["MAILBOX_QUEUE_URL"], app.deliver_mailbox).start(),
        StreamConsumer(settings.requests_table, app.follow_up).start(),
        BucketWatcher(settings.lists_bucket, app.ingest_list).start(),
    ]
