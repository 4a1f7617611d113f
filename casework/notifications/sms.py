"""Text messages to residents who asked to be contacted by SMS (短信联系).

``SmsProvider`` is the adapter a gateway implements; ``HttpSmsProvider`` speaks to an HTTP
gateway (the bureau's SMS platform or a carrier's): a JSON POST of the number and the text
with a bearer key. Which one is used is configuration (``SMS_PROVIDER_URL``); without it no
message is sent and the request page says the resident was not texted.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Protocol
from urllib.parse import urlsplit

from flask import current_app

TIMEOUT_SECONDS = 10


class SmsError(Exception):
    """The gateway did not take the message (try again later)."""


class SmsProvider(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class HttpSmsProvider:
    def __init__(self, url: str, key: str, sign_name: str) -> None:
        if urlsplit(url).scheme not in ("http", "https"):
            raise ValueError("an SMS gateway address must be http or https")
        self.url = url
        self.key = key
        self.sign_name = sign_name

    def send(self, phone: str, text: str) -> None:
        body = json.dumps(
            {"phone": phone, "sign_name": self.sign_name, "text": text}, ensure_ascii=False
        ).encode()
        request = urllib.request.Request(  # noqa: S310  (the configured gateway)
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Authorization": f"Bearer {self.key}",
            },
        )
        try:
            # Only http and https: the scheme was checked when the provider was made.
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310  # nosec B310
                status = int(response.status)
        except urllib.error.HTTPError as error:
            status = int(error.code)
        except OSError as error:
            raise SmsError(type(error).__name__) from error
        if not 200 <= status < 300:
            raise SmsError(f"gateway answered {status}")


def configured_provider() -> SmsProvider | None:
    config = current_app.config
    if not config["SMS_PROVIDER_URL"]:
        return None
    return HttpSmsProvider(
        str(config["SMS_PROVIDER_URL"]),
        str(config["SMS_PROVIDER_KEY"]),
        str(config["SMS_SIGN_NAME"]),
    )
