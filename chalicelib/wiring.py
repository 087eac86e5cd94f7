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
