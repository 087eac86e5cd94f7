"""The unit layer of tests/api/: each service on the in-memory adapters (chalicelib/storage/memory/), built by the
same composition root as production (`chalicelib.bootstrap.in_memory`), with a clock the test moves.

Nothing here touches AWS, fpdf2 or the network; the PDF worker signs (with pyHanko, the session's development key:
tests/conftest.py's `signing_ca`) the small real PDFs the fake renderer draws. argon2 at the production cost (64 MiB) runs only where the service
itself makes a hash (registration); the demo accounts' password hashes are made once per test process (`hashed`)."""
from __future__ import annotations

import dataclasses

import pytest

from .helpers import VERIFY_BASE, ControlledClock, fake_pdf


@pytest.fixture
def clock() -> ControlledClock:
    return ControlledClock()


@pytest.fixture
def settings():
    from chalicelib.config import load_settings

    # Whatever the environment says, these tests run with the documented defaults.
    return dataclasses.replace(load_settings(), app_env="local", token_ttl_seconds=900, presign_ttl_seconds=300,
                               public_verify_base_url=VERIFY_BASE, mailbox_gateway_url="")


@pytest.fixture
def build(clock, settings):
    """build(**overrides) -> the whole service container on in-memory adapters, with the test's clock and the fake
    renderer; an override replaces an adapter or a service by name (e.g. mailbox_gateway=..., renderer=...)."""
    from chalicelib.bootstrap import in_memory

    def make(**overrides):
        return in_memory(settings, clock, **{"renderer": fake_pdf, **overrides})

    return make


@pytest.fixture
def services(build):
    return build()


@pytest.fixture(scope="session")
def hashed():
    """hashed(password) -> an argon2id hash of it, computed once per test process and then reused.

    The seeded accounts' hashes use light argon2id parameters: argon2 reads the parameters from the hash it
    verifies, so every login below runs the real passwords.verify_password in milliseconds instead of spending
    64 MiB per try (the throttling tests make a dozen tries). The production parameters are asserted where the
    service makes a hash (registration, test_accounts.py), and that account logs in through the same code."""
    from argon2 import PasswordHasher

    light = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    cache: dict[str, str] = {}

    def hash_once(password: str) -> str:
        if password not in cache:
            cache[password] = light.hash(password)
        return cache[password]

    return hash_once


@pytest.fixture
def seeded(hashed, monkeypatch):
    """seeded(container) -> the container with devstack/seed.py's demo data (the demo person with 17 years of
    records, the staff user, the newcomer known to the registry), written by seed_demo itself with the hashes made
    once per process."""
    import types

    from chalicelib.domain import passwords
    from devstack import seed

    monkeypatch.setattr(seed, "passwords", types.SimpleNamespace(hash_password=hashed,
                                                                 verify_password=passwords.verify_password))

    def seed_container(container):
        seed.seed_demo(container)
        return container

    return seed_container


@pytest.fixture
def demo(services, seeded):
    return seeded(services)
