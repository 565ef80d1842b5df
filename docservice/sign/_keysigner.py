"""A pyHanko signer that keeps the parsed private key.

pyHanko's ``SimpleSigner.sign_raw`` re-parses the key from DER on every call (twice per PDF,
dry run and real one); for RSA that runs OpenSSL's key check each time, ~57 of 76 ms per
signature. This subclass signs with the ``cryptography`` key object parsed once at load.
"""

from __future__ import annotations

from asn1crypto import x509
from cryptography.hazmat.primitives.asymmetric.ec import ECDSA, EllipticCurvePrivateKey
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from pyhanko.keys.internal import translate_pyca_cryptography_key_to_asn1
from pyhanko.sign.signers import SimpleSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash, process_pss_params


class CachedKeySigner(SimpleSigner):
    """``SimpleSigner`` signing with a key object kept in memory (RSA and ECDSA)."""

    def __init__(
        self,
        signing_cert: x509.Certificate,
        private_key: PrivateKeyTypes,
        other_certs: list[x509.Certificate],
    ) -> None:
        certs = [*other_certs, signing_cert]
        registry = SimpleCertificateStore.from_certs(certs)  # type: ignore[no-untyped-call]  # untyped in pyhanko-certvalidator
        super().__init__(
            signing_cert=signing_cert,
            signing_key=translate_pyca_cryptography_key_to_asn1(private_key),
            cert_registry=registry,
        )
        self._private_key = private_key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        algorithm = mechanism["algorithm"].native
        key = self._private_key
        if isinstance(key, RSAPrivateKey):
            if algorithm == "rsassa_pss":
                padding, hash_algo = process_pss_params(mechanism["parameters"])
                return key.sign(data, padding, hash_algo)
            return key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
        if isinstance(key, EllipticCurvePrivateKey):
            return key.sign(data, ECDSA(get_pyca_cryptography_hash(digest_algorithm)))
        result: bytes = super().sign_raw(data, digest_algorithm)
        return result
