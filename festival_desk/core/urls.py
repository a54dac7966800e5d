"""Database URLs as people see them and as the desk remembers them: never with a password.

Plain string functions (no database library), so that the window can use them before the
database stack has loaded.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit, urlunsplit

MASK = "***"


def _netloc(user: str | None, password: str | None, host_port: str) -> str:
    if user is None:
        return host_port
    return f"{user}:{password}@{host_port}" if password is not None else f"{user}@{host_port}"


def _split(url: str):
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return None
    credentials, host_port = parts.netloc.rsplit("@", 1)
    user, _, password = credentials.partition(":")
    return parts, user, (password if ":" in credentials else None), host_port


def has_password(url: str) -> bool:
    split = _split(url) if "://" in url else None
    return bool(split and split[2])


def _replace_password(url: str, replacement: str | None) -> str:
    split = _split(url) if "://" in url else None
    if split is None or split[2] is None:
        return url
    parts, user, _password, host_port = split
    return urlunsplit(parts._replace(netloc=_netloc(user, replacement, host_port)))


def without_password(url: str) -> str:
    """`url` with any password removed (a file path is returned as it is)."""
    return _replace_password(url, None)


def masked(url: str) -> str:
    """`url` as shown to a user: a password becomes ***."""
    return _replace_password(url, MASK)


def with_password(url: str, password: str) -> str:
    """`url` carrying `password` (quoted for the URL), for the one connection that needs it."""
    parts = urlsplit(url)
    host_port = parts.netloc.rsplit("@", 1)[-1]
    user = parts.netloc.rsplit("@", 1)[0].partition(":")[0] if "@" in parts.netloc else ""
    return urlunsplit(parts._replace(netloc=f"{user}:{quote(password, safe='')}@{host_port}"))


def asks_for_a_password(message: str) -> bool:
    """True when a server refused a connection for want of the right password."""
    return "password authentication failed" in message or "no password supplied" in message
