"""KMS `Sign` with `MessageType=DIGEST` signs the digest it is given; moto (5.2.5) ignores MessageType and hashes the
digest once more, so every signature it makes for a digest is a signature over the wrong bytes and no validator
accepts it. The service signs digests, as AWS recommends (chalicelib/signing/kms_signer.py): this gives moto the
real service's behaviour, for the tests that sign with a KMS key (tests/signing/, infra's deployment test).

Only RSA PKCS#1 v1.5 and PSS keys are covered, which is all the service uses; RAW messages are left to moto."""
from __future__ import annotations

import functools
import json

_DIGEST_BYTES = {"SHA_256": 32, "SHA_384": 48, "SHA_512": 64}


def kms_signs_digests(setattr_=setattr):
    """Patch moto's KMS Sign; pass pytest's monkeypatch.setattr to have the patch undone after a test."""
    from moto.kms.responses import KmsResponse

    original = KmsResponse.sign
    if getattr(original, "_sabeghe_digest", False):
        return

    @functools.wraps(original)
    def sign(self):
        if self._get_param("MessageType") != "DIGEST":
            return original(self)
        return json.dumps(_sign_digest(self))

    sign._sabeghe_digest = True
    setattr_(KmsResponse, "sign", sign)


def _sign_digest(response) -> dict:
    import base64

    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, utils
    from moto.kms.exceptions import ValidationException

    algorithm = response._get_param("SigningAlgorithm")
    digest = response._get_param("Message")
    key = response.kms_backend.describe_key(response._get_param("KeyId"))
    if algorithm not in key.signing_algorithms:
        raise ValidationException(f"Value '{algorithm}' at 'SigningAlgorithm' is not valid for this key")
    hash_name = algorithm.rsplit("_", 2)[-2] + "_" + algorithm.rsplit("_", 1)[-1]  # e.g. SHA_256
    if len(digest) != _DIGEST_BYTES.get(hash_name, -1):
        raise ValidationException("Digest is invalid length for algorithm " + algorithm)
    chosen = {"SHA_256": hashes.SHA256(), "SHA_384": hashes.SHA384(), "SHA_512": hashes.SHA512()}[hash_name]
    pad = padding.PKCS1v15() if "PKCS1" in algorithm else padding.PSS(mgf=padding.MGF1(chosen),
                                                                        salt_length=padding.PSS.DIGEST_LENGTH)
    signature = key.private_key.private_key.sign(digest, pad, utils.Prehashed(chosen))
    return {"KeyId": key.arn, "Signature": base64.b64encode(signature).decode(), "SigningAlgorithm": algorithm}
