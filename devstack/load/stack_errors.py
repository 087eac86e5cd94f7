"""The stack's error log, read: what raised each unhandled error (answered 500 internal_error), and whether the
fault injector did."""
from __future__ import annotations

import os

from devstack import faults


def error_cause(error: dict) -> str:
    """The exception at the bottom of a logged traceback, where in the service it was raised, and whether it is one
    the injector raised."""
    text = str(error.get("traceback") or "")
    lines = text.strip().splitlines()
    last = [line for line in lines if line and not line.startswith(" ")][-1:] or [""]
    chain = []
    for line in lines:  # File ".../chalicelib/services/x.py", line 12, in f
        line = line.strip()
        if line.startswith("File ") and f"chalicelib{os.sep}" in line and f"http{os.sep}handling.py" not in line:
            path, _, rest = line.partition('", line ')
            number, _, function = rest.partition(", in ")
            chain.append(f"{path.split('chalicelib' + os.sep, 1)[1]}:{number} {function}")
    where = f" (at {' → '.join(chain[-4:])})" if chain else ""
    return ("injected: " if faults.MARKER in text else "") + last[0][:120] + where
