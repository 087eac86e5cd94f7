"""Where the pieces meet: storage adapters handed to domain services, built once per container on first use.

Every handler reaches its service through `services()`; tests call `reset()` between cases so each one gets
fresh clients inside its own moto."""
from __future__ import annotations

from functools import cached_property

from chalicelib.config import Settings, load_settings
from chalicelib.domain.clock import Clock


class Services:
    def __init__(self, settings: Settings, clock: Clock | None = None):
        self.settings = settings
        self.clock = clock or Clock()

    # --- adapters -----------------------------------------------------------------------------------
    @cached_property
    def users(self):
        from chalicelib.storage.users import UserStore

        return UserStore(self.settings.users_table)

    @cached_property
    def records_store(self):
        from chalicelib.storage.records import RecordStore

        return RecordStore(self.settings.records_table)

    @cached_property
    def throttles(self):
        from chalicelib.storage.throttles import ThrottleStore

        return ThrottleStore(self.settings.throttles_table)

    @cached_property
    def activity(self):
        from chalicelib.storage.activity import ActivityStore

        return ActivityStore(self.settings.activity_table)

    @cached_property
    def keys(self):
        from chalicelib.storage.keys import KeyRing

        return KeyRing(self.settings.secrets_id)

    @cached_property
    def outbox(self):
        from chalicelib.storage.notify import OutboxFile

        return OutboxFile(self.settings.outbox_path)

    @cached_property
    def sms(self):
        from chalicelib.storage.notify import OutboxSms, SnsSms

        return OutboxSms(self.outbox) if self.settings.is_local else SnsSms()

    @cached_property
    def requests(self):
        from chalicelib.storage.requests import RequestStore

        return RequestStore(self.settings.requests_table)

    @cached_property
    def grants(self):
        from chalicelib.storage.grants import GrantStore

        return GrantStore(self.settings.grants_table)

    @cached_property
    def documents(self):
        from chalicelib.storage.documents import DocumentStore

        return DocumentStore(self.settings.documents_bucket, self.settings.presign_ttl_seconds)

    @cached_property
    def tx(self):
        from chalicelib.storage.transactions import Transactions

        return Transactions(self.settings.requests_table, self.settings.grants_table, self.settings.activity_table)

    @cached_property
    def render_queue(self):
        from chalicelib.storage.queues import Queue

        return Queue(self.settings.render_queue_url)

    @cached_property
    def mailbox_queue(self):
        from chalicelib.storage.queues import Queue

        return Queue(self.settings.mailbox_queue_url)

    @cached_property
    def mailbox_gateway(self):
        from chalicelib.storage.mailbox_gateway import HttpMailbox, OutboxMailbox

        if self.settings.is_local or not self.settings.mailbox_gateway_url:
            return OutboxMailbox(self.outbox)
        return HttpMailbox(self.settings.mailbox_gateway_url, self.keys.text("mailbox_credentials"))

    # --- domain services ----------------------------------------------------------------------------
    @cached_property
    def accounts(self):
        from chalicelib.domain.accounts import AccountService

        return AccountService(self.users, self.records_store, self.throttles, self.activity, self.sms, self.keys,
                              self.clock, self.settings.token_ttl_seconds)

    @cached_property
    def timeline(self):
        from chalicelib.domain.timeline import TimelineService

        return TimelineService(self.activity)

    @cached_property
    def statements(self):
        from chalicelib.domain.statements import StatementService

        from chalicelib.storage.requests import IdempotencyStore

        return StatementService(self.requests, self.records_store, self.users, self.activity, self.documents,
                                self.render_queue, self.mailbox_queue, self.tx, self.clock,
                                IdempotencyStore(self.settings.requests_table))

    @cached_property
    def permits(self):
        from chalicelib.domain.permits import PermitService

        return PermitService(self.requests, self.grants, self.activity, self.keys, self.tx, self.clock)

    @cached_property
    def inquiry(self):
        from chalicelib.domain.inquiry import InquiryService
        from chalicelib.storage.lookups import InquiryLookups

        return InquiryService(InquiryLookups(self.settings.grants_table, self.settings.throttles_table),
                              self.throttles, self.tx, self.documents, self.activity, self.users, self.sms,
                              self.keys, self.clock)

    @cached_property
    def rendering(self):
        from chalicelib.domain.rendering import RenderService

        def render_pdf(statement: dict, verify_url: str) -> bytes:
            # fpdf2 is imported here, in the PDF worker only: the API Lambda never loads it.
            from chalicelib.pdf.render import render_statement

            return render_statement(statement, verify_url)

        return RenderService(self.requests, self.documents, self.activity, self.tx, render_pdf,
                             self.settings.public_verify_base_url, self.clock)

    @cached_property
    def mailbox(self):
        from chalicelib.domain.mailbox import MailboxService

        return MailboxService(self.requests, self.documents, self.activity, self.mailbox_gateway, self.clock)

    @cached_property
    def cleanup(self):
        from chalicelib.domain.cleanup import CleanupService
        from chalicelib.storage.expiry import ExpiryStore

        return CleanupService(self.requests, ExpiryStore(self.settings.requests_table, self.settings.grants_table),
                              self.documents, self.activity, self.clock)

    @cached_property
    def records(self):
        from chalicelib.domain.records import RecordsService

        return RecordsService(self.records_store)


_services: Services | None = None


def services() -> Services:
    global _services
    if _services is None:
        _services = Services(load_settings())
    return _services


def reset(clock: Clock | None = None) -> Services | None:
    """Forget built services and clients (tests). With a clock, the next services() uses it."""
    global _services
    from chalicelib.storage.aws import reset_clients

    reset_clients()
    _services = None
    if clock is not None:
        _services = Services(load_settings(), clock)
    return _services
