"""Encryption at rest with the data key: AES-256-GCM values and HMAC blind indexes.

The key (``DATA_KEY``: 64 hex digits, from ``CASEWORK_DATA_KEY`` or ``instance/data_key``)
never enters the database, so a copy of the database alone shows no ID number, phone number
or address. A stored value is ``v1:<key id>:`` and the URL-safe base64 of a random 96-bit
nonce, the ciphertext and the tag; the associated data names the field (``id_number``), so a
value moved to another column does not decrypt.

What must still be found by value gets a *blind index*: an HMAC-SHA256 of the normalised
value under a key derived from the data key (``blind_index``), stored beside it; equal
values have equal indexes, and without the key the index says nothing. The search index
stores HMAC'd digit 4-grams the same way (``digit_gram_token``).

During a key rotation (``flask casework rotate-data-key``) the old key stays readable as
``DATA_KEY_PREVIOUS``: values carry the id of the key that wrote them, and lookups try the
index under both keys until every row has moved to the new one.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import os
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app
from sqlalchemy import String
from sqlalchemy.orm import validates
from sqlalchemy.types import TypeDecorator

VERSION = "v1"
NONCE_BYTES = 12
BLIND_INDEX_LENGTH = 32  # hex digits: 128 bits


class DataKeyError(ValueError):
    """The data key is missing or malformed, or a value does not decrypt with it."""


@dataclass(frozen=True)
class DataKey:
    raw: bytes

    @functools.cached_property
    def id(self) -> str:
        return hashlib.sha256(b"casework key id\n" + self.raw).hexdigest()[:8]

    @functools.cached_property
    def cipher(self) -> AESGCM:
        return AESGCM(self.raw)

    @functools.cached_property
    def index_key(self) -> bytes:
        return hmac.new(self.raw, b"casework blind index v1", "sha256").digest()


@functools.cache
def parse_key(key_hex: str) -> DataKey:
    try:
        raw = bytes.fromhex(key_hex)
    except ValueError as error:
        raise DataKeyError("a data key must be 64 hexadecimal digits") from error
    if len(raw) != 32:
        raise DataKeyError("a data key must be 64 hexadecimal digits (32 bytes)")
    return DataKey(raw)


def current_key() -> DataKey:
    return parse_key(str(current_app.config["DATA_KEY"]))


def previous_key() -> DataKey | None:
    previous = current_app.config.get("DATA_KEY_PREVIOUS")
    return parse_key(str(previous)) if previous else None


def _keys_by_id() -> dict[str, DataKey]:
    config = current_app.config
    return _keys_for(str(config["DATA_KEY"]), str(config.get("DATA_KEY_PREVIOUS") or ""))


@functools.cache
def _keys_for(current_hex: str, previous_hex: str) -> dict[str, DataKey]:
    keys = [parse_key(current_hex), *([parse_key(previous_hex)] if previous_hex else [])]
    return {key.id: key for key in keys}


def encrypt(plaintext: str, purpose: str, key: DataKey | None = None) -> str:
    key = key or current_key()
    nonce = os.urandom(NONCE_BYTES)
    sealed = key.cipher.encrypt(nonce, plaintext.encode("utf-8"), purpose.encode())
    return f"{VERSION}:{key.id}:" + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def key_id_of(token: str) -> str | None:
    parts = token.split(":", 2)
    return parts[1] if len(parts) == 3 and parts[0] == VERSION else None


def decrypt(token: str, purpose: str, keys: dict[str, DataKey] | None = None) -> str:
    """The plain value; ``keys`` (by id) default to the app's current and previous keys."""
    parts = token.split(":", 2)
    if len(parts) != 3 or parts[0] != VERSION:
        raise DataKeyError("not an encrypted value")
    key = (keys if keys is not None else _keys_by_id()).get(parts[1])
    if key is None:
        raise DataKeyError("the value was encrypted with a key that is not configured")
    raw = base64.urlsafe_b64decode(parts[2].encode("ascii"))
    try:
        plain = key.cipher.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], purpose.encode())
    except InvalidTag as error:
        raise DataKeyError("the value does not decrypt with the data key") from error
    return plain.decode("utf-8")


def blind_index(value: str | None, purpose: str, key: DataKey | None = None) -> str | None:
    """The keyed hash that finds ``value`` without storing it (None for no value)."""
    if not value:
        return None
    key = key or current_key()
    message = purpose.encode() + b"\x00" + value.encode("utf-8")
    return hmac.new(key.index_key, message, "sha256").hexdigest()[:BLIND_INDEX_LENGTH]


def blind_candidates(value: str, purpose: str) -> list[str]:
    """The indexes ``value`` may be stored under: the current key's, and during a rotation
    the previous key's too."""
    keys = [current_key(), *filter(None, [previous_key()])]
    return [index for key in keys if (index := blind_index(value, purpose, key))]


def digit_gram_token(gram: str, key: DataKey | None = None) -> str:
    """The search index's token for a digit 4-gram of an ID or phone number: ``x`` and 12
    hex digits of its HMAC (text never yields a token that mixes letters and digits)."""
    key = key or current_key()
    return "x" + hmac.new(key.index_key, b"gram\x00" + gram.encode(), "sha256").hexdigest()[:12]


class EncryptedText(TypeDecorator[str]):
    """A text column stored encrypted; Python sees the plain value. ``purpose`` names the
    field (it is the ciphertext's associated data and the blind index's domain)."""

    impl = String
    cache_ok = True

    def __init__(self, purpose: str, length: int | None = None) -> None:
        super().__init__(length)
        self.purpose = purpose

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        if value is None or value == "":
            return None
        return encrypt(value, self.purpose)

    def process_result_value(self, value: str | None, dialect: Any) -> str | None:
        if value is None:
            return None
        return decrypt(value, self.purpose)


def blind_indexed(*fields: str) -> Any:
    """A model's validator that keeps ``<field>_index`` equal to the field's blind index:
    ``_blind_indexes = blind_indexed("id_number", "phone")`` in the class body."""

    @validates(*fields)
    def set_blind_index(self: Any, key: str, value: str | None) -> str | None:
        value = value or None
        setattr(self, f"{key}_index", blind_index(value, key))
        return value

    return set_blind_index
