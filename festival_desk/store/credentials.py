"""Passwords of PostgreSQL festivals, kept in the system keyring (the keyring library) and nowhere
else: not in the settings, the Recent list, the status bar, logs or messages. Where there is no
keyring (a headless machine), libpq's own PGPASSWORD / PGPASSFILE (~/.pgpass) apply as usual.

Every function here fails quietly: a locked or missing keyring means "no stored password".
"""

from __future__ import annotations

import functools

from sqlalchemy.engine import URL

SERVICE = "festival-desk"


def account(url: URL) -> str:
    """The keyring entry of a database: user, server, port and database name (no password)."""
    return f"{url.username or ''}@{url.host or 'localhost'}:{url.port or 5432}/{url.database or ''}"


@functools.cache
def _keyring():
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 1) <= 0:
            return None
        return keyring
    except Exception:  # noqa: BLE001 - a broken keyring is no keyring
        return None


def keyring_available() -> bool:
    return _keyring() is not None


def stored_password(url: URL) -> str | None:
    keyring = _keyring()
    if keyring is None or url.get_backend_name() == "sqlite":
        return None
    try:
        return keyring.get_password(SERVICE, account(url))
    except Exception:  # noqa: BLE001
        return None


def remember_password(url: URL, password: str) -> bool:
    """Keep `password` for `url` in the keyring; False when there is no keyring to keep it in."""
    keyring = _keyring()
    if keyring is None:
        return False
    try:
        keyring.set_password(SERVICE, account(url), password)
        return True
    except Exception:  # noqa: BLE001
        return False


def forget_password(url: URL) -> None:
    keyring = _keyring()
    if keyring is not None:
        try:
            keyring.delete_password(SERVICE, account(url))
        except Exception:  # noqa: BLE001
            pass


def with_stored_password(url: URL) -> URL:
    """`url` with the keyring's password for it when it has none of its own."""
    if url.password or url.get_backend_name() == "sqlite":
        return url
    password = stored_password(url)
    return url.set(password=password) if password else url


def forget_keyring_choice() -> None:
    """Look for the keyring again (tests install their own)."""
    _keyring.cache_clear()
