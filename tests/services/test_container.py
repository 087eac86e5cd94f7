"""The container the service tests run on: every port on an in-memory adapter, every service the real one."""
from __future__ import annotations


PORTS = ("accounts", "sessions", "registry", "requests", "permits", "inquiry_lookup", "expiry", "checkpoints",
         "timeline", "throttles", "idempotency", "files", "render_queue", "mailbox_queue", "sms", "mailbox_gateway",
         "keys", "sms_queue", "sms_gateway", "sms_deliveries", "providers")
SERVICES = {"accounts": "AccountService", "statements": "StatementService", "permits": "PermitService",
            "inquiry": "InquiryService", "rendering": "RenderService", "mailbox": "MailboxService",
            "cleanup": "CleanupService", "records": "RecordsService", "timeline": "TimelineService",
            "follow_up": "FollowUpService", "sms": "SmsService"}


def wiring(container) -> dict:
    return {**{f"adapters.{name}": type(getattr(container.adapters, name)).__module__ for name in PORTS},
            **{name: type(getattr(container, name)).__name__ for name in SERVICES}}


def expected_wiring() -> dict:
    return {**{f"adapters.{name}": "chalicelib.storage.memory" for name in PORTS}, **SERVICES}


def in_memory_modules(found: dict) -> dict:
    return {k: ("chalicelib.storage.memory" if v.startswith("chalicelib.storage.memory.") else v)
            for k, v in found.items()}


def test_the_test_container_is_all_in_memory_with_the_real_services(services):
    """What every other test here relies on: nothing reaches DynamoDB, and each service is the production one."""
    assert in_memory_modules(wiring(services)) == expected_wiring()


def test_in_memory_alone_builds_an_all_in_memory_container(clock):
    from chalicelib.bootstrap import in_memory

    assert in_memory_modules(wiring(in_memory(clock=clock))) == expected_wiring()
