"""`python -m devstack.load` (make load): starts its own stack, runs the load, prints the report; exits non-zero on
any unexpected answer or broken invariant. `python -m devstack.load serve ...` is the stack's own process
(serve.py), started by stack.py."""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile

from devstack import faults, load
from devstack.load.report import report
from devstack.load.run import run_load
from devstack.load.serve import serve
from devstack.load.stack import LoadStack


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["serve"]:
        serve(argv[1:])
        return 0
    parser = argparse.ArgumentParser(prog="python -m devstack.load", description=load.__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60, help="how long the users run (default 60)")
    parser.add_argument("--users", type=int, default=12, help="virtual users (default 12)")
    parser.add_argument("--people-per-user", type=int, default=4, help="insured people each user logs in as")
    parser.add_argument("--faults", type=float, default=0.0, help="the rate at which the service's AWS calls fail")
    parser.add_argument("--fault-seed", type=int, default=1403)
    parser.add_argument("--fault-kinds", default=",".join(faults.KINDS),
                        help=f"which failures, comma-separated (default all: {','.join(faults.KINDS)})")
    parser.add_argument("--seed", type=int, default=7, help="the users' random seed")
    parser.add_argument("--drain", type=float, default=45, help="seconds the requests in flight may go on retrying")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--keep-state", action="store_true", help="keep the run's state directory")
    args = parser.parse_args(argv)
    if not 0 <= args.faults < 1:
        parser.error("--faults is a rate, from 0 to below 1")
    state = tempfile.mkdtemp(prefix="sabeghe-load-")
    print(f"starting the local stack (state in {state}) …", flush=True)
    try:
        with LoadStack(state, hooks=bool(args.faults)) as stack:
            print(f"started in {stack.start_seconds:.1f} s", flush=True)
            result = run_load(stack, args.seconds, args.users, args.people_per_user, args.faults, args.fault_seed,
                              args.seed, args.drain, fault_kinds=tuple(args.fault_kinds.split(",")),
                              say=lambda text: print(text, flush=True))
            figures = report(result, say=lambda text: print(text, flush=True))
        if args.json:
            with open(args.json, "w", encoding="utf-8") as out:
                json.dump(figures, out, indent=1, ensure_ascii=False, default=str)
    finally:
        if not args.keep_state:
            shutil.rmtree(state, ignore_errors=True)
    return 1 if result.failed else 0


if __name__ == "__main__":
    sys.exit(main())
