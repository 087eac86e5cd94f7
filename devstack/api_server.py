"""`chalice local` with the stack's gateway responses (devstack/local_gateway.py): python -m devstack.api_server
local --host ... --port ..."""
from __future__ import annotations

import sys

from devstack.local_gateway import install

if __name__ == "__main__":
    from chalice.cli import main

    install()
    sys.exit(main())
