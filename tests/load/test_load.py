"""`make load` in short: the local stack under a few seconds of load, then a few seconds of it with the service's
AWS calls failing now and then (devstack/load/, devstack/faults.py). Each run must get no unexpected answer (no
5xx without faults, no error outside the contract's shape, no connection error, no unexpected 4xx) and must leave
nothing lost and nothing doubled in the stack's storage.

One stack serves both runs (on free ports, with its own state directory, like tests/stack/); each run seeds its
own people."""
from __future__ import annotations

import pytest

from devstack.load.report import report
from devstack.load.run import Result, run_load
from devstack.load.stack import LoadStack

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
def load_stack(tmp_path_factory):
    with LoadStack(str(tmp_path_factory.mktemp("load-stack")), hooks=True) as stack:
        yield stack


def explain(result: Result) -> str:
    lines = []
    report(result, say=lines.append)
    return "\n".join(lines)


def test_a_short_load_loses_nothing_and_doubles_nothing(load_stack):
    result = run_load(load_stack, seconds=8, users=5, people_per_user=2, drain=20, settle_timeout=30, logins=30,
                           finish_iterations=True, say=lambda _text: None)
    print(explain(result))
    assert not result.unexpected, explain(result)
    assert not result.verdict.violations, explain(result)
    done = result.stats.statuses
    assert done[("statement", 201)] and done[("permit", 201)] and done[("inquire", 200)], explain(result)
    assert result.verdict.facts["views_counted"] == result.verdict.facts["views_answered"] > 0
    assert result.verdict.facts["inquiry_client_addresses"] > 1, "every user inquires from its own address"


def test_under_faults_every_answer_keeps_the_shape_and_nothing_is_lost_or_doubled(load_stack):
    result = run_load(load_stack, seconds=5, users=5, people_per_user=2, fault_rate=0.05, drain=10, logins=30,
                           finish_iterations=True, settle_timeout=30, say=lambda _text: None)
    print(explain(result))
    assert result.faults, "no fault was injected"
    assert not result.unexpected, explain(result)
    assert not result.verdict.violations, explain(result)
    assert result.stats.statuses[("statement", 201)], explain(result)
