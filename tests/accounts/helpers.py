"""Following the one-time set-password link an account page shows."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from flask.testing import FlaskClient


def password_link_path(page: Any) -> str:
    """The path of the one-time link on the page shown after creating or resetting."""
    match = re.search(r'id="password-link"[^>]*value="([^"]+)"', page.get_data(as_text=True))
    assert match, "no set-password link on the page"
    return urlsplit(match.group(1)).path


def set_password(client: FlaskClient, path: str, password: str) -> Any:
    response = client.post(path, data={"new_password": password, "confirm_password": password})
    assert response.status_code == 302, "setting the password through the link failed"
    return response
