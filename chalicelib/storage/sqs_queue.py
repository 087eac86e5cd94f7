"""Work handed from the API to the worker Lambdas (PDF rendering, e-mailbox delivery) through SQS."""
from __future__ import annotations

import json

from chalicelib.domain.ports import WorkQueue
from chalicelib.storage.aws import client


class SqsQueue(WorkQueue):
    def __init__(self, url: str):
        self.url = url

    def send(self, message: dict) -> None:
        client("sqs").send_message(QueueUrl=self.url, MessageBody=json.dumps(message))
