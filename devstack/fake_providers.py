"""Stand-ins for the two providers the service talks to over HTTP, for tests of the real gateway code: IPPanel's SMS
send API (`POST /sms/api/send`) and the national e-mailbox (`POST /mailbox`). Each checks its credentials, answers
in the provider's shape, remembers what it received, and honours `Idempotency-Key` (a repeated key gets the first
answer and delivers nothing new). `fail_next` makes the next calls fail, for retry tests."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeProviders:
    def __init__(self, sms_api_key: str = "sms-test-key", mailbox_credentials: str = "mailbox-test-credentials",
                 tls: tuple[str, str] | None = None):
        self.sms_api_key = sms_api_key
        self.mailbox_credentials = mailbox_credentials
        self.sms: list[dict] = []
        self.mailbox: list[dict] = []
        self.fail_next = 0
        self._answers: dict[tuple[str, str], tuple[int, dict]] = {}
        self._lock = threading.Lock()
        providers = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                status, answer = providers.handle(self.path, dict(self.headers.items()), self.rfile.read(length))
                payload = json.dumps(answer, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *_args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.scheme = "http"
        if tls:  # (certificate file, key file): the providers' real addresses are https, and a deployment checks it
            import ssl

            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            self.scheme = "https"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True, name="fake-providers")

    @property
    def base_url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.server.server_port}"

    @property
    def sms_url(self) -> str:
        return self.base_url + "/sms"

    @property
    def mailbox_url(self) -> str:
        return self.base_url + "/mailbox"

    def start(self) -> "FakeProviders":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def handle(self, path: str, headers: dict, body: bytes) -> tuple[int, dict]:
        headers = {k.lower(): v for k, v in headers.items()}
        with self._lock:
            if self.fail_next:
                self.fail_next -= 1
                return 503, {"meta": {"status": False, "message_code": "503-1"}}
            key = (path, headers.get("idempotency-key", ""))
            if key[1] and key in self._answers:
                return self._answers[key]
            if path == "/sms/api/send":
                answer = self._sms(headers, json.loads(body))
            elif path == "/mailbox":
                answer = self._mailbox(headers, json.loads(body))
            else:
                answer = (404, {"error": "no such path"})
            if key[1] and answer[0] == 200:
                self._answers[key] = answer
            return answer

    def _sms(self, headers: dict, body: dict) -> tuple[int, dict]:
        if headers.get("authorization") != self.sms_api_key:
            return 401, {"data": None, "meta": {"status": False, "message_code": "400-1"}}
        recipients = (body.get("params") or {}).get("recipients") or []
        if body.get("sending_type") != "webservice" or not body.get("message") or not body.get("from_number") \
                or len(recipients) != 1 or not recipients[0].startswith("+989"):
            return 422, {"data": None, "meta": {"status": False, "message_code": "400-2"}}
        self.sms.append({"to": recipients[0], "from": body["from_number"], "text": body["message"]})
        return 200, {"data": {"message_outbox_ids": [1_000_000 + len(self.sms)]},
                     "meta": {"status": True, "message": "انجام شد", "message_code": "200-1"}}

    def _mailbox(self, headers: dict, body: dict) -> tuple[int, dict]:
        if headers.get("authorization") != f"Bearer {self.mailbox_credentials}":
            return 401, {"error": "unauthorised"}
        if not body.get("pdf_base64") or not body.get("national_code"):
            return 422, {"error": "incomplete delivery"}
        self.mailbox.append(body)
        return 200, {"reference": f"IP-{len(self.mailbox):06d}"}


def self_signed_certificate(folder: str) -> tuple[str, str]:
    """A certificate for 127.0.0.1 and its key, as PEM files in `folder` (the certificate doubles as its own CA)."""
    import datetime as dt
    import ipaddress
    import os

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fake providers")])
    now = dt.datetime.now(dt.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
                   .not_valid_after(now + dt.timedelta(days=1))
                   .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                                  critical=False)
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                   .sign(key, hashes.SHA256()))
    cert_file, key_file = os.path.join(folder, "providers.pem"), os.path.join(folder, "providers.key")
    with open(cert_file, "wb") as out:
        out.write(certificate.public_bytes(serialization.Encoding.PEM))
    with open(key_file, "wb") as out:
        out.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()))
    return cert_file, key_file
