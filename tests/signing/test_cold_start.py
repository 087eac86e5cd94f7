"""pyHanko (with asn1crypto, cryptography and lxml behind it) is for the PDF worker and a file check only: the API
module, and the services every API route builds, load none of it (bench/cold_start.py measures the rest)."""
from __future__ import annotations

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SIGNING_LIBRARIES = ("pyhanko", "pyhanko_certvalidator", "asn1crypto", "cryptography", "lxml", "aiohttp")


def loaded_after(code: str) -> list[str]:
    probe = (f"{code}\nimport sys\n"
             f"print(sorted(m for m in {SIGNING_LIBRARIES!r} if m in sys.modules))")
    env = {**os.environ, "APP_ENV": "local"}
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return eval(out.stdout.strip().splitlines()[-1])  # noqa: S307 - our own probe's printed list


def test_importing_the_app_loads_no_signing_library():
    assert loaded_after("import app") == []


def test_building_the_statement_and_render_services_loads_none_either():
    """The signing adapter is built with the services (the API's StatementService holds it), but pyHanko waits for
    the first signature or check."""
    code = ("import app\nfrom chalicelib.bootstrap import bootstrap\nfrom chalicelib.config import load_settings\n"
            "s = bootstrap(load_settings())\ns.statements\ns.rendering")
    assert loaded_after(code) == []
