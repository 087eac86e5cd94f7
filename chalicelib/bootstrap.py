"""The composition root: the one place where adapters are chosen and handed to the services.

`bootstrap(settings, clock, **adapters)` returns the service container. Everything is built on first use (a Lambda
pays only for what its handler touches) and once per container; an adapter given by name replaces the one the
settings would choose, before anything is built (tests hand in the in-memory stores, a failing gateway).

    services = bootstrap(load_settings(), requests=MemoryRequests(state), clock=Clock(offset_seconds=86_400))
"""
from __future__ import annotations

from functools import cached_property

from chalicelib.config import ConfigurationError, Settings, load_settings
from chalicelib.domain.clock import Clock


class Adapters:
    """One adapter per port, DynamoDB/S3/SQS/Secrets Manager/SNS on AWS and with the local stack (moto)."""

    def __init__(self, settings: Settings):
        self.settings = settings

    @cached_property
    def tables(self):
        from chalicelib.storage.dynamodb.tables import Tables

        return Tables.from_settings(self.settings)

    @cached_property
    def accounts(self):
        from chalicelib.storage.dynamodb.accounts import DynamoAccounts

        return DynamoAccounts(self.settings.users_table, self.settings.activity_table)

    @cached_property
    def sessions(self):
        from chalicelib.storage.dynamodb.accounts import DynamoSessions

        return DynamoSessions(self.settings.users_table, self.settings.activity_table)

    @cached_property
    def ownership(self):
        from chalicelib.storage.mobile_ownership import DirectoryMobileOwnership, HttpMobileOwnership

        if self.settings.is_local:
            return DirectoryMobileOwnership(self.settings.users_table)
        return HttpMobileOwnership(self.settings.mobile_ownership_url,
                                   lambda: self.providers.text("mobile_ownership_api_key"))

    @cached_property
    def registry(self):
        from chalicelib.storage.dynamodb.registry import DynamoRegistry

        return DynamoRegistry(self.settings.records_table)

    @cached_property
    def requests(self):
        from chalicelib.storage.dynamodb.requests import DynamoRequests

        return DynamoRequests(self.tables)

    @cached_property
    def objections(self):
        from chalicelib.storage.dynamodb.objections import DynamoObjections

        return DynamoObjections(self.tables)

    @cached_property
    def permits(self):
        from chalicelib.storage.dynamodb.permits import DynamoPermits

        return DynamoPermits(self.tables)

    @cached_property
    def inquiry_lookup(self):
        from chalicelib.storage.dynamodb.inquiry_lookup import DynamoInquiryLookup

        return DynamoInquiryLookup(self.tables)

    @cached_property
    def expiry(self):
        from chalicelib.storage.dynamodb.expiry import DynamoExpiryIndex

        return DynamoExpiryIndex(self.tables)

    @cached_property
    def tasks(self):
        from chalicelib.storage.dynamodb.tasks import DynamoTasks

        return DynamoTasks(self.settings.requests_table)

    @cached_property
    def checkpoints(self):
        from chalicelib.storage.dynamodb.checkpoints import DynamoCheckpoints

        return DynamoCheckpoints(self.settings.requests_table)

    @cached_property
    def timeline(self):
        from chalicelib.storage.dynamodb.activity import DynamoTimeline

        return DynamoTimeline(self.settings.activity_table)

    @cached_property
    def throttles(self):
        from chalicelib.storage.dynamodb.throttles import DynamoThrottles

        return DynamoThrottles(self.settings.throttles_table)

    @cached_property
    def idempotency(self):
        from chalicelib.storage.dynamodb.idempotency import DynamoIdempotencyKeys

        return DynamoIdempotencyKeys(self.settings.requests_table)

    @cached_property
    def files(self):
        from chalicelib.storage.s3_documents import S3DocumentFiles

        return S3DocumentFiles(self.settings.documents_bucket, self.settings.presign_ttl_seconds)

    @cached_property
    def list_files(self):
        from chalicelib.storage.s3_lists import S3ListFiles

        return S3ListFiles(self.settings.lists_bucket)

    @cached_property
    def list_ledger(self):
        from chalicelib.storage.dynamodb.list_ledger import DynamoListLedger

        return DynamoListLedger(self.settings.records_table)

    @cached_property
    def render_queue(self):
        from chalicelib.storage.sqs_queue import SqsQueue

        return SqsQueue(self.settings.render_queue_url)

    @cached_property
    def mailbox_queue(self):
        from chalicelib.storage.sqs_queue import SqsQueue

        return SqsQueue(self.settings.mailbox_queue_url)

    @cached_property
    def keys(self):
        from chalicelib.storage.secrets_keys import SecretsKeys

        return SecretsKeys(self.settings.secrets_id)

    @cached_property
    def providers(self):
        """The SMS and e-mailbox providers' credentials (a secret the operator keeps; see docs/deploy.md)."""
        from chalicelib.storage.secrets_keys import SecretsKeys

        return SecretsKeys(self.settings.providers_secret_id)

    @cached_property
    def sms_queue(self):
        from chalicelib.storage.sqs_queue import SqsQueue

        return SqsQueue(self.settings.sms_queue_url)

    @cached_property
    def sms_gateway(self):
        from chalicelib.storage.sms import IppanelSms

        return IppanelSms(self.settings.sms_gateway_url, self.providers.text("sms_api_key"), self.settings.sms_sender)

    @cached_property
    def sms_deliveries(self):
        from chalicelib.storage.dynamodb.sms_deliveries import DynamoSmsDeliveries

        return DynamoSmsDeliveries(self.settings.users_table, self.settings.throttles_table)

    @cached_property
    def outbox(self):
        from chalicelib.storage.outbox import OutboxFile

        return OutboxFile(self.settings.outbox_path)

    @cached_property
    def sms(self):
        from chalicelib.storage.sms import OutboxSms, QueuedSms

        return OutboxSms(self.outbox) if self.settings.is_local else QueuedSms(self.sms_queue)

    @cached_property
    def mailbox_gateway(self):
        from chalicelib.storage.mailbox_gateway import HttpMailbox, OutboxMailbox

        if self.settings.is_local:
            return OutboxMailbox(self.outbox)
        return HttpMailbox(self.settings.mailbox_gateway_url, self.providers.text("mailbox_credentials"))

    @cached_property
    def signatures(self):
        """Signs statements and checks files people hold (the DocumentSigner and SignatureChecker ports). On AWS with
        the KMS key and the chain kept beside it, never anything else; locally with the development CA's key that
        `make run` makes. Building it loads no pyHanko: that waits for the first signature or check."""
        from chalicelib.signing.documents import PadesDocuments

        if self.settings.is_local:
            from chalicelib.signing.local_signer import LocalPdfSigner

            return PadesDocuments(LocalPdfSigner(self.settings.signing_dir))
        if not (self.settings.signing_key_id and self.settings.signing_chain_secret_id):
            raise ConfigurationError("SIGNING_KEY_ID and SIGNING_CHAIN_SECRET_ID are needed to sign statements")
        from chalicelib.signing.chain_secret import SecretChain
        from chalicelib.signing.kms_pdf_signer import KmsPdfSigner

        return PadesDocuments(KmsPdfSigner(self.settings.signing_key_id,
                                           SecretChain(self.settings.signing_chain_secret_id)))

    @cached_property
    def renderer(self):
        def render_pdf(statement: dict, verify_url: str, language: str = "fa") -> bytes:
            # fpdf2 is imported here, in the PDF worker only: the API Lambda never loads it.
            from chalicelib.pdf.render import render_statement

            return render_statement(statement, verify_url, language)

        return render_pdf


class Services:
    """The use cases, each built from the adapters it needs."""

    def __init__(self, settings: Settings, adapters: Adapters, clock: Clock):
        self.settings = settings
        self.adapters = adapters
        self.clock = clock

    @cached_property
    def accounts(self):
        from chalicelib.services.accounts import AccountService

        a = self.adapters
        return AccountService(accounts=a.accounts, sessions=a.sessions, registry=a.registry, ownership=a.ownership,
                              throttles=a.throttles,
                              timeline=a.timeline, sms=a.sms, keys=a.keys, clock=self.clock,
                              token_ttl=self.settings.token_ttl_seconds)

    @cached_property
    def records(self):
        from chalicelib.services.records import RecordsService

        return RecordsService(registry=self.adapters.registry)

    @cached_property
    def timeline(self):
        from chalicelib.services.timeline import TimelineService

        return TimelineService(timeline=self.adapters.timeline)

    @cached_property
    def statements(self):
        from chalicelib.services.statements import StatementService

        a = self.adapters
        return StatementService(requests=a.requests, registry=a.registry, accounts=a.accounts, timeline=a.timeline,
                                files=a.files, idempotency=a.idempotency, signatures=a.signatures, clock=self.clock)

    @cached_property
    def permits(self):
        from chalicelib.services.permits import PermitService

        a = self.adapters
        return PermitService(requests=a.requests, permits=a.permits, keys=a.keys, clock=self.clock)

    @cached_property
    def objections(self):
        from chalicelib.services.objections import ObjectionService

        a = self.adapters
        return ObjectionService(objections=a.objections, requests=a.requests, registry=a.registry,
                                accounts=a.accounts, sms=a.sms, files=a.files, clock=self.clock)

    @cached_property
    def lists(self):
        from chalicelib.services.lists import ListIngestion

        a = self.adapters
        return ListIngestion(files=a.list_files, ledger=a.list_ledger, registry=a.registry, tasks=a.tasks,
                             clock=self.clock)

    @cached_property
    def inquiry(self):
        from chalicelib.services.inquiry import InquiryService

        a = self.adapters
        return InquiryService(lookup=a.inquiry_lookup, permits=a.permits, throttles=a.throttles, files=a.files,
                              timeline=a.timeline, accounts=a.accounts, sms=a.sms, keys=a.keys, clock=self.clock)

    @cached_property
    def rendering(self):
        from chalicelib.services.rendering import RenderService

        a = self.adapters
        if not self.settings.public_verify_base_url:
            raise ConfigurationError("PUBLIC_VERIFY_BASE_URL is needed to print the verification link on statements")
        return RenderService(requests=a.requests, files=a.files, renderer=a.renderer, signer=a.signatures,
                             verify_base_url=self.settings.public_verify_base_url, clock=self.clock)

    @cached_property
    def mailbox(self):
        from chalicelib.services.mailbox import MailboxService

        a = self.adapters
        return MailboxService(requests=a.requests, files=a.files, gateway=a.mailbox_gateway, clock=self.clock)

    @cached_property
    def cleanup(self):
        from chalicelib.services.cleanup import CleanupService

        a = self.adapters
        return CleanupService(requests=a.requests, permits=a.permits, expiry=a.expiry, checkpoints=a.checkpoints,
                              tasks=self.tasks, clock=self.clock)

    @cached_property
    def sms(self):
        from chalicelib.services.sms import SmsService

        return SmsService(deliveries=self.adapters.sms_deliveries, gateway=self.adapters.sms_gateway,
                          daily_cap=self.settings.sms_daily_cap, clock=self.clock)

    @cached_property
    def tasks(self):
        from chalicelib.services.tasks import TaskService

        a = self.adapters
        return TaskService(tasks=a.tasks, requests=a.requests, files=a.files, render_queue=a.render_queue,
                           mailbox_queue=a.mailbox_queue, clock=self.clock)

    @cached_property
    def follow_up(self):
        from chalicelib.services.follow_up import FollowUpService

        return FollowUpService(timeline=self.adapters.timeline, sms=self.adapters.sms, tasks=self.tasks)


def bootstrap(settings: Settings, clock: Clock | None = None, **adapters) -> Services:
    """Build the container. `adapters` replace adapters by name (requests=..., sms=..., renderer=...); the services
    are always the real ones, built on whatever adapters they are given."""
    built = Adapters(settings)
    for name, value in adapters.items():
        if not isinstance(getattr(Adapters, name, None), cached_property):
            raise TypeError(f"bootstrap() knows no adapter named {name!r}")
        built.__dict__[name] = value  # a cached_property reads the instance's own value first
    return Services(settings, built, clock or Clock())


_services: Services | None = None


def services() -> Services:
    """The container of this Lambda container (or local process), built on first use."""
    global _services
    if _services is None:
        _services = bootstrap(load_settings().require_deployment())
    return _services


def reset(clock: Clock | None = None, **adapters) -> Services | None:
    """Forget built services and clients (tests start a fresh moto for each case); with arguments, the next
    services() is the one they describe."""
    global _services
    from chalicelib.storage.aws import reset_clients

    reset_clients()
    _services = (bootstrap(load_settings().require_deployment(), clock, **adapters)
                 if (clock is not None or adapters) else None)
    return _services


def in_memory(settings: Settings | None = None, clock: Clock | None = None, **adapters) -> Services:
    """The whole service on the in-memory adapters (service tests, quick experiments): nothing touches AWS."""
    from chalicelib.storage.memory.accounts import MemoryAccounts, MemorySessions
    from chalicelib.storage.memory.guards import (MemoryCheckpoints, MemoryIdempotencyKeys, MemorySmsDeliveries,
                                                  MemoryThrottles)
    from chalicelib.storage.memory.lists import MemoryListFiles, MemoryListLedger
    from chalicelib.storage.memory.lookups import MemoryExpiryIndex, MemoryInquiryLookup, MemoryTasks
    from chalicelib.storage.memory.objections import MemoryObjections
    from chalicelib.storage.memory.outside import (MemoryFiles, MemoryMobileOwnership, MemoryQueue, RecordingMailbox,
                                                   RecordingSms, RecordingSmsGateway, StaticKeys)
    from chalicelib.storage.memory.permits import MemoryPermits
    from chalicelib.storage.memory.registry import MemoryRegistry
    from chalicelib.storage.memory.requests import MemoryRequests
    from chalicelib.storage.memory.state import MemoryState
    from chalicelib.storage.memory.timeline import MemoryTimeline

    state = MemoryState()
    memory = dict(
        accounts=MemoryAccounts(state), sessions=MemorySessions(state), registry=MemoryRegistry(state),
        requests=MemoryRequests(state), permits=MemoryPermits(state), inquiry_lookup=MemoryInquiryLookup(state),
        expiry=MemoryExpiryIndex(state), checkpoints=MemoryCheckpoints(state), timeline=MemoryTimeline(state),
        tasks=MemoryTasks(state), objections=MemoryObjections(state), list_files=MemoryListFiles(),
        list_ledger=MemoryListLedger(),
        throttles=MemoryThrottles(state), idempotency=MemoryIdempotencyKeys(state), files=MemoryFiles(),
        render_queue=MemoryQueue(), mailbox_queue=MemoryQueue(), sms=RecordingSms(), mailbox_gateway=RecordingMailbox(),
        keys=StaticKeys(), sms_deliveries=MemorySmsDeliveries(state), sms_gateway=RecordingSmsGateway(),
        sms_queue=MemoryQueue(), ownership=MemoryMobileOwnership(),
        providers=StaticKeys({"sms_api_key": "memory", "mailbox_credentials": "memory"}))
    built = bootstrap(settings or load_settings(), clock, **{**memory, **adapters})
    built.memory_state = state
    return built
