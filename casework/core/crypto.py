"""Authenticated encryption of values at rest with the data key (AES-256-GCM).

The key (``DATA_KEY``: 64 hex digits, from ``CASEWORK_DATA_KEY`` or ``instance/data_key``)
never enters the database, so a copy of the database alone reveals nothing encrypted here.
A stored value is ``v1:`` and the URL-safe base64 of a random 96-bit nonce followed by the
ciphertext and tag; the associated data binds it to its purpose (``totp``), so a value
cannot be moved to another column and still decrypt.
"""

from __future__ import annotations

import base64
import functools
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app

PREFIX = "v1:"
NONCE_BYTES = 12


class DataKeyError(ValueError):
    """The data key is missing or malformed, or a value does not decrypt with it."""


@functools.cache
def _cipher(key_hex: str) -> AESGCM:
    try:
        key = bytes.fromhex(key_hex)
    except ValueError as error:
        raise DataKeyError("DATA_KEY must be 64 hexadecimal digits") from error
    if len(key) != 32:
        raise DataKeyError("DATA_KEY must be 64 hexadecimal digits (32 bytes)")
    return AESGCM(key)


def _current_cipher() -> AESGCM:
    return _cipher(str(current_app.config["DATA_KEY"]))


def encrypt(plaintext: str, purpose: str) -> str:
    nonce = os.urandom(NONCE_BYTES)
    sealed = _current_cipher().encrypt(nonce, plaintext.encode("utf-8"), purpose.encode())
    return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def decrypt(token: str, purpose: str) -> str:
    if not token.startswith(PREFIX):
        raise DataKeyError("not an encrypted value")
    raw = base64.urlsafe_b64decode(token[len(PREFIX) :].encode("ascii"))
    try:
        plain = _current_cipher().decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], purpose.encode())
    except Exception as error:  # cryptography raises InvalidTag: wrong key or altered value
        raise DataKeyError("the value does not decrypt with the data key") from error
    return plain.decode("utf-8")
