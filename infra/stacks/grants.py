"""What each function's role may do, derived from what its code calls: plain data (no CDK import), so the stack,
its tests, docs/deploy.md and a replay of each function's calls (boto3 on moto) read the same table.

How it was derived: app.py names the service each function runs; chalicelib/bootstrap.py the adapters each service
is built with; chalicelib/storage/*.py the AWS calls each adapter method makes. DynamoDB's TransactWriteItems is
authorised per item (PutItem, UpdateItem, DeleteItem); a presigned GET is signed with s3:GetObject.

Keys: `table:<name>` (the table only, never its indexes), `index:<table>/<index>`, `statements` (objects under
statements/ in the documents bucket), `objections` (objects under objections/ in the documents bucket: the
attachments people upload), `lists:<prefix>` (objects under that prefix of the lists bucket),
`queue:<name>` (send), `secret:keys` (SabegheKeys), `secret:providers` (the operator's providers secret),
`secret:signing_chain` (the certificate chain kept beside the signing key), `key:signing` (the asymmetric KMS key the
statements are signed with).

Not in this table, because Lambda itself (not the function's code) uses them with the function's role:
- logs:CreateLogStream and logs:PutLogEvents on the function's own log group, xray:PutTraceSegments and
  xray:PutTelemetryRecords (no resource): every function;
- sqs:ReceiveMessage, sqs:DeleteMessage, sqs:GetQueueAttributes on the queue its event source mapping polls:
  render_statement (render), deliver_mailbox (mailbox), send_sms (sms) — see CONSUMES;
- follow_up's stream trigger: dynamodb:DescribeStream, GetRecords, GetShardIterator on the requests table's stream,
  dynamodb:ListStreams (no resource), and sqs:SendMessage, GetQueueAttributes, GetQueueUrl on its dead-letter queue;
- ingest_list's asynchronous invocations (EventBridge's rule): sqs:SendMessage, GetQueueAttributes, GetQueueUrl on
  its dead-letter queue, the on-failure destination.
"""
from __future__ import annotations

GET, PUT, UPDATE, DELETE = "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"
QUERY, BATCH_GET, BATCH_WRITE = "dynamodb:Query", "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem"
S3_GET, S3_PUT, S3_DELETE = "s3:GetObject", "s3:PutObject", "s3:DeleteObject"
SEND = "sqs:SendMessage"
READ_SECRET = "secretsmanager:GetSecretValue"
KMS_SIGN = "kms:Sign"

GRANTS: dict[str, dict[str, tuple[str, ...]]] = {
    # Every @app.route: accounts (register, activate, login, logout, staff login: users, records' profile, throttles,
    # activity; activation, login and logout each in one transaction with its timeline entry), records and activity
    # pages, statements (idempotency keys, tracking counter, request + statement + timeline + task + answer in one
    # transaction, inbox, delete with its permits' grants, the document's status and the PDF's removal task), permits
    # (issue: grant + permit + request + activity in one transaction; revoke), the PDF link (presigned GET),
    # the e-mailbox ask (request + task), one-time codes (SMS queue), /verify. The render and mailbox queues are fed
    # by the follow-up from the tasks, never by the API.
    # Objections: filed in one transaction (requests: the objection, its number and queue items; activity), decided
    # in one (requests, and for an accepted one the corrected months and their records of change in records, the
    # OUTDATE task in requests); the attachment's presigned PUT and the staff's presigned GET. Employers' lists:
    # the presigned PUTs under uploads/, the report written `received` and read back under reports/. Every
    # authenticated call reads its session with the subject's reset cut (BatchGetItem on users); a password reset
    # is one transaction (users: the person's update and the cut's put; activity); limits are taken by a read and a
    # conditional update of their counter; registration and password reset ask the operators' match service
    # whether the mobile is the person's (its credentials in the providers secret).
    "api_handler": {
        "table:users": (GET, PUT, UPDATE, DELETE, BATCH_GET),
        "table:records": (GET, PUT, QUERY),
        "table:requests": (GET, PUT, UPDATE, DELETE, QUERY),
        "table:grants": (PUT, DELETE),
        "table:activity": (PUT, QUERY),
        "table:throttles": (GET, UPDATE, DELETE),
        "statements": (S3_GET,),
        "objections": (S3_GET, S3_PUT),
        "lists:uploads/": (S3_PUT,),
        "lists:reports/": (S3_GET, S3_PUT),
        "secret:keys": (READ_SECRET,),
        "secret:providers": (READ_SECRET,),
        "queue:sms": (SEND,),
    },
    # One BatchGetItem (the grant and the client's throttle record); for a right passcode the client's mark that it
    # is not locked (conditional UpdateItem on throttles) and the view's conditional UpdateItem on the permit; the
    # PDF link; on a failure the client's attempt taken (GetItem, then a conditional PutItem of its record), the
    # identifier's count (UpdateItem) and, at the threshold, the person (users) for the guessing SMS and its
    # timeline entry; GET /verify/{id} reads the published document; POST /verify/{id}/signature reads it too and
    # checks the file's signature against the root of the signing chain (never the key: checking needs no private key).
    "inquiry": {
        "table:grants": (BATCH_GET,),
        "table:throttles": (BATCH_GET, GET, PUT, UPDATE),
        "table:requests": (GET, UPDATE),
        "table:users": (GET,),
        "table:activity": (PUT,),
        "statements": (S3_GET,),
        "secret:keys": (READ_SECRET,),
        "secret:signing_chain": (READ_SECRET,),
        "queue:sms": (SEND,),
    },
    # Reads the pending request (Query) and its statement (GetItem), publishes (transaction: request update, document
    # put, activity put) or marks it failed; writes the PDF, deletes it when the request went meanwhile. Signs each
    # PDF: the SHA-256 of its signed attributes to the KMS key (the only function that may sign), the certificate
    # chain read once per container.
    "render_statement": {
        "table:requests": (GET, QUERY, PUT, UPDATE),
        "table:activity": (PUT,),
        "statements": (S3_PUT, S3_DELETE),
        "key:signing": (KMS_SIGN,),
        "secret:signing_chain": (READ_SECRET,),
    },
    # Reads the ready request (Query) and its PDF, hands it to the national e-mailbox with the providers' credentials,
    # records the outcome (UpdateItem, or a transaction with the timeline entry).
    "deliver_mailbox": {
        "table:requests": (QUERY, UPDATE),
        "table:activity": (PUT,),
        "statements": (S3_GET,),
        "secret:providers": (READ_SECRET,),
    },
    # Follow-up tasks left over from the last two days (requests: Query of the hour partitions, then what each task
    # does, below under follow_up); from its checkpoint (requests table), day by day: due grants (by_expiry Query,
    # BatchGetItem), each expired (conditional DeleteItem, then a transaction: permit update + activity put); due
    # requests (by_expiry Query, the request's Query), expired (transaction: request update, statement delete,
    # document update, task put), then the PDF removed at once.
    "cleanup": {
        "table:requests": (GET, QUERY, PUT, UPDATE, DELETE),
        "index:requests/by_expiry": (QUERY,),
        "table:grants": (BATCH_GET, DELETE),
        "index:grants/by_expiry": (QUERY,),
        "table:activity": (PUT,),
        "statements": (S3_DELETE,),
        "queue:render": (SEND,),
        "queue:mailbox": (SEND,),
    },
    # The requests table's stream: each new task done (queue a PDF's drawing or an e-mailbox delivery; remove a
    # deleted or expired request's PDF and note it on the request: Query, UpdateItem), then deleted (DeleteItem);
    # a view's timeline entry; the first view's SMS.
    "follow_up": {
        "table:requests": (QUERY, UPDATE, DELETE),
        "table:activity": (PUT,),
        "statements": (S3_DELETE,),
        "queue:render": (SEND,),
        "queue:mailbox": (SEND,),
        "queue:sms": (SEND,),
    },
    # Posts each message to the SMS provider with the providers' credentials; a delivery-status item per message
    # (users table: GetItem to skip a message already sent, PutItem to record each attempt), a per-day sent
    # counter for the spend cap (throttles table: one atomic ADD).
    "send_sms": {
        "table:users": (GET, PUT),
        "table:throttles": (UPDATE,),
        "secret:providers": (READ_SECRET,),
    },
    # Reads the uploaded files (HeadObject and GetObject: s3:GetObject), writes the report; the ledger item of the
    # workshop's month (GetItem, conditional UpdateItem), the month's rows and profiles read 50 people at a time
    # (BatchGetItem) and written in batches (BatchWriteItem: rows, profiles, records of change), the OUTDATE tasks
    # of a corrected list (BatchWriteItem on requests).
    "ingest_list": {
        "table:records": (GET, UPDATE, BATCH_GET, BATCH_WRITE),
        "table:requests": (BATCH_WRITE,),
        "lists:uploads/": (S3_GET,),
        "lists:reports/": (S3_GET, S3_PUT),
        "lists:rosters/": (S3_GET, S3_PUT),  # what each workshop's lists last said of its workers (a cache)
    },
}

# The queue each consumer's event source mapping polls (with the function's role).
CONSUMES = {"render_statement": "render", "deliver_mailbox": "mailbox", "send_sms": "sms"}
SQS_CONSUME = ("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes")
LOGS = ("logs:CreateLogStream", "logs:PutLogEvents")
XRAY = ("xray:PutTraceSegments", "xray:PutTelemetryRecords")
