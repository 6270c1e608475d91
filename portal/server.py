"""What the portal adds to Streamlit's own web server (Starlette under uvicorn, through `st.App`
in serve.py): the endpoint that sets the session cookie, and the Danish language of the page
from its first byte.

- `POST /_haandbogen/cookie` with a one-time grant (handbook/identity/cookie_grant.py) as its
  body answers 204 with `Set-Cookie: haandbogen_session=…; HttpOnly; SameSite=Lax` (and `Secure`
  when the request came over HTTPS, also behind nginx's `X-Forwarded-Proto`, which uvicorn takes
  from the proxies in FORWARDED_ALLOW_IPS). An unknown, used or expired grant gets 403 and sets
  nothing. A page script can thus ask for the cookie but never read it.
- Streamlit's index.html says `<html lang="en">`; `DanishPage` rewrites it to `lang="da"` in
  every HTML page the server sends, so a screen reader that reads the language at load hears
  Danish, with `make run` and behind nginx alike (nginx passes the page through unchanged).
"""

from __future__ import annotations

import functools
import logging

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from handbook.identity import auth, cookie_grant
from handbook.settings import paths_from_env
from handbook.store.database import Store

log = logging.getLogger("handbook")
COOKIE_PATH = "/_haandbogen/cookie"
_NOT_PAGES = ("/_stcore", "/static", "/media", "/component", "/app/static", "/_haandbogen", "/auth")


@functools.cache
def _store() -> Store:
    return Store(paths_from_env().database_path)


async def set_cookie(request: Request) -> Response:
    body = (await request.body())[: cookie_grant.MAX_GRANT_LENGTH + 1]
    try:
        token = cookie_grant.redeem(_store(), body.decode("ascii").strip())
    except (UnicodeDecodeError, ValueError):
        token = None
    if token is None:
        return Response(status_code=403, headers={"Cache-Control": "no-store"})
    secure = request.url.scheme == "https"
    header = cookie_grant.set_cookie_header(token, secure, int(auth.SESSION_LENGTH.total_seconds()))
    return Response(status_code=204, headers={"Set-Cookie": header, "Cache-Control": "no-store"})


def routes() -> list[Route]:
    return [Route(COOKIE_PATH, set_cookie, methods=["POST"])]


class DanishPage:
    """ASGI middleware: `<html lang="en">` becomes `<html lang="da">` in the HTML pages."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET" or str(scope.get("path", "")).startswith(_NOT_PAGES):
            await self.app(scope, receive, send)
            return
        # Ask for the page uncompressed (it is a few kilobytes), so it can be rewritten.
        scope = dict(scope, headers=[(k, v) for k, v in scope["headers"] if k.lower() != b"accept-encoding"])
        start: dict = {}
        chunks: list[bytes] = []

        async def rewrite(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = dict((k.lower(), v) for k, v in message.get("headers", []))
                if not headers.get(b"content-type", b"").startswith(b"text/html") or b"content-encoding" in headers:
                    start["pass"] = True
                    await send(message)
                    return
                start["message"] = message
                return
            if start.get("pass"):
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(chunks).replace(b'<html lang="en">', b'<html lang="da">', 1)
            first = start["message"]
            first["headers"] = [(k, v) for k, v in first.get("headers", []) if k.lower() != b"content-length"] + [(b"content-length", str(len(body)).encode())]
            await send(first)
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, rewrite)
