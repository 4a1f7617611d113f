"""Security headers on every response, through Flask-Talisman, and no caching of pages.

The Content-Security-Policy allows scripts, styles, fonts and images from this site only,
with no inline script or style: every style lives in ``static/css`` and every script in
``static/js``. Bootstrap's icons are ``data:`` images inside its CSS. No page may be framed.
HSTS is sent when the app runs behind HTTPS (``SESSION_COOKIE_SECURE``).

Every page and download is marked ``Cache-Control: no-store``: a staff page may show a
resident's name, ID or phone number, and a shared office PC's cache must not keep it.
Only the static files are cached.
"""

from __future__ import annotations

from flask import Flask, Response, request
from flask_talisman import Talisman

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

talisman = Talisman()


def register_security_headers(app: Flask) -> None:
    secure = bool(app.config["SESSION_COOKIE_SECURE"])
    talisman.init_app(
        app,
        # nginx redirects plain HTTP to HTTPS; the app only says so with HSTS once it is secure.
        force_https=False,
        frame_options="DENY",
        content_security_policy=CONTENT_SECURITY_POLICY,
        referrer_policy="same-origin",
        strict_transport_security=secure,
        strict_transport_security_include_subdomains=False,
        session_cookie_secure=secure,
        permissions_policy={
            "browsing-topics": "()",
            "camera": "()",
            "microphone": "()",
            "geolocation": "()",
        },
    )

    @app.after_request
    def no_store(response: Response) -> Response:
        if request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
        return response
