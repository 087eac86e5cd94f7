"""What AWS runs outside the API, emulated for `make run`: the inquiry function behind its function URL
(on :8001, real payload-2.0 events built from HTTP requests) and the SQS consumers of the render and
e-mailbox queues (polling moto, with SQS's redelivery and a dead-letter hand-off after three receives)."""
from __future__ import annotations

import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_RECEIVES = 3


def function_url_event(method: str, path: str, query: str, headers: dict, body: bytes, source_ip: str) -> dict:
    lowered = {k.lower(): v for k, v in headers.items()}
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
        "body": body.decode("utf-8", errors="replace") if body else None,
        "isBase64Encoded": False,
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
                payload = (answer.get("body") or "").encode()
                self.send_response(answer.get("statusCode", 200))
                for name, value in (answer.get("headers") or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = _serve

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


class QueueConsumer:
    """Polls one queue and hands batches to a Lambda handler, like an SQS event source mapping."""

    def __init__(self, queue_url: str, handler, batch_size: int = 5):
        self.queue_url = queue_url
        self.handler = handler
        self.batch_size = batch_size
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True, name=f"sqs-{queue_url.rsplit('/', 1)[-1]}")

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.stopping.set()
        self.thread.join(timeout=5)

    def _run(self):
        from chalicelib.logs import log_exception
        from chalicelib.storage.aws import client

        sqs = client("sqs")
        while not self.stopping.is_set():
            try:
                self.poll_once(sqs)
            except Exception:  # noqa: BLE001 - keep consuming, as the real event source does
                log_exception("local_consumer_error", queue=self.queue_url)
                self.stopping.wait(1)

    def poll_once(self, sqs) -> int:
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


def start_workers(stack) -> list:
    import app
    from chalicelib.storage.aws import client

    sqs = client("sqs")
    for name in ("RENDER_QUEUE_URL", "MAILBOX_QUEUE_URL"):
        sqs.create_queue(QueueName=stack.env[name].rsplit("/", 1)[-1] + "-dlq")
    return [
        FunctionUrlServer(app.inquiry, stack.inquiry_port).start(),
        QueueConsumer(stack.env["RENDER_QUEUE_URL"], app.render_statement).start(),
        QueueConsumer(stack.env["MAILBOX_QUEUE_URL"], app.deliver_mailbox).start(),
    ]
