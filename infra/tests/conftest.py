"""Session fixtures: the dev and prod stages synthesized once each against the stub app (tests/support.py)."""
from __future__ import annotations

import pytest

from support import Synth, synth


@pytest.fixture(scope="session")
def dev(tmp_path_factory) -> Synth:
    return synth(tmp_path_factory.mktemp("dev"), "dev")


@pytest.fixture(scope="session")
def prod(tmp_path_factory) -> Synth:
    return synth(tmp_path_factory.mktemp("prod"), "prod")


@pytest.fixture(scope="session", params=["dev", "prod"])
def stage(request) -> Synth:
    return request.getfixturevalue(request.param)
