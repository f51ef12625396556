# Loaded by test/standins/moto.ts with startMoto({ kmsDigest: true }).
#
# KMS Sign and Verify take MessageType DIGEST: the message is already the hash, and KMS signs it as it is
# (what `cosign sign --key awskms://…` sends). moto 5.2.5 ignores MessageType and hashes the digest again,
# so its signatures verify over nobody's message. This module signs and verifies a DIGEST message as a
# prehashed value, with the key's own hash algorithm, as KMS does.
import contextvars

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed

from moto.kms import responses, utils

_prehashed = contextvars.ContextVar("prehashed", default=False)


def _with_message_type(handler):
    def wrapped(self):
        token = _prehashed.set(self._get_param("MessageType") == "DIGEST")
        try:
            return handler(self)
        finally:
            _prehashed.reset(token)

    return wrapped


responses.KmsResponse.sign = _with_message_type(responses.KmsResponse.sign)
responses.KmsResponse.verify = _with_message_type(responses.KmsResponse.verify)

_ec_sign, _ec_verify = utils.ECDSAPrivateKey.sign, utils.ECDSAPrivateKey.verify
_rsa_sign, _rsa_verify = utils.RSAPrivateKey.sign, utils.RSAPrivateKey.verify


def ec_sign(self, message, signing_algorithm):
    if not _prehashed.get():
        return _ec_sign(self, message, signing_algorithm)
    utils.validate_signing_algorithm(signing_algorithm, self.valid_signing_algorithms)
    algorithm = self._ECDSAPrivateKey__hash_algorithm(signing_algorithm)
    return self.private_key.sign(message, ec.ECDSA(Prehashed(algorithm)))


def ec_verify(self, message, signature, signing_algorithm):
    if not _prehashed.get():
        return _ec_verify(self, message, signature, signing_algorithm)
    utils.validate_signing_algorithm(signing_algorithm, self.valid_signing_algorithms)
    algorithm = self._ECDSAPrivateKey__hash_algorithm(signing_algorithm)
    try:
        self.private_key.public_key().verify(signature, message, ec.ECDSA(Prehashed(algorithm)))
        return True
    except Exception:
        return False


def rsa_sign(self, message, signing_algorithm):
    if not _prehashed.get():
        return _rsa_sign(self, message, signing_algorithm)
    pad, algorithm = self._RSAPrivateKey__padding_and_hash_algorithm(signing_algorithm)
    return self.private_key.sign(message, pad, Prehashed(algorithm))


def rsa_verify(self, message, signature, signing_algorithm):
    if not _prehashed.get():
        return _rsa_verify(self, message, signature, signing_algorithm)
    pad, algorithm = self._RSAPrivateKey__padding_and_hash_algorithm(signing_algorithm)
    try:
        self.private_key.public_key().verify(signature, message, pad, Prehashed(algorithm))
        return True
    except Exception:
        return False


utils.ECDSAPrivateKey.sign, utils.ECDSAPrivateKey.verify = ec_sign, ec_verify
utils.RSAPrivateKey.sign, utils.RSAPrivateKey.verify = rsa_sign, rsa_verify
