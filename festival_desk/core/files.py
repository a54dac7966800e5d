"""Reading and writing the user's files without harming an open festival file.

Two guarantees, for every file the program reads as input or writes as output:

1. **A live festival file is never touched with plain file I/O.** On POSIX, closing *any* file
   descriptor of a file releases every advisory lock the process holds on it, SQLite's included;
   another process may then checkpoint and delete the write-ahead log under an open connection, and
   acknowledged writes are lost or the file is corrupted. `store.db` and `store.peek` register each
   SQLite file they hold open (`claim_live` / `release_live`); `check_not_live`, `read_input` and
   `replacing` refuse such a file (or its `-wal`, `-shm`, `-journal` companions) with a `UserError`
   instead of opening it.
2. **Files are written whole or not at all.** `replacing(path)` hands out a temporary path in the
   target's folder; when the block ends without an exception the temporary is flushed to disk and
   renamed over the target, otherwise it is removed and the previous file is left as it was. A new
   file gets the permissions the user's umask gives (0644 with the usual umask), a replaced file
   keeps its mode. Temporaries left behind by a killed process are removed on the next write into
   that folder.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import threading
from collections.abc import Iterator
from pathlib import Path

from festival_desk.core.errors import UserError

_PARTIAL_SUFFIX = ".festival-desk-partial"
_PARTIAL_NAME = re.compile(r"^\..+\.(\d+)-[0-9a-f]{8}" + re.escape(_PARTIAL_SUFFIX) + "$")
_SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")

_live_lock = threading.Lock()
_live_files: dict[str, int] = {}


def _key(path: str | Path) -> str:
    return os.path.realpath(os.fspath(path))


def claim_live(path: str | Path) -> None:
    """Note that this process holds the SQLite file `path` open (counted: claim once per open)."""
    key = _key(path)
    with _live_lock:
        _live_files[key] = _live_files.get(key, 0) + 1


def release_live(path: str | Path) -> None:
    """Undo one `claim_live` of `path`."""
    key = _key(path)
    with _live_lock:
        count = _live_files.get(key, 0) - 1
        if count > 0:
            _live_files[key] = count
        else:
            _live_files.pop(key, None)


def live_file_for(path: str | Path) -> str | None:
    """The open festival file that `path` is (or is a companion of), None when it is none."""
    key = _key(path)
    with _live_lock:
        live = list(_live_files)
    for festival in live:
        if any(key == festival + companion for companion in _SQLITE_COMPANIONS):
            return festival
    return None


def check_not_live(path: str | Path, purpose: str = "use") -> None:
    """Raise `UserError` when `path` is a festival file this process has open: reading or
    writing it outside SQLite would drop SQLite's locks on it (see the module's docstring)."""
    festival = live_file_for(path)
    if festival is not None:
        raise UserError(f"{path} is the festival file that is open; choose another file to {purpose}")


def read_input(path: str | Path, *, limit: int | None = None, what: str = "file") -> bytes:
    """The bytes of the input file `path`, refusing a live festival file, a folder, a missing
    file, and (with `limit`) a file larger than `limit` bytes, each with a one-line `UserError`
    that names the file. The size is checked before anything is read."""
    path = Path(path)
    check_not_live(path, "read")
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise UserError(f"{path}: no such file") from None
    except OSError as error:
        raise UserError(f"{path}: cannot read the {what} ({error.strerror or error})") from None
    if path.is_dir():
        raise UserError(f"{path} is a folder, not a {what}")
    if limit is not None and size > limit:
        shown = size_text(size) if size_text(size) != size_text(limit) else f"{size:,} bytes"
        raise UserError(f"{path}: the {what} is {shown}, larger than the {size_text(limit)} we read")
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1 if limit is not None else -1)
    except OSError as error:
        raise UserError(f"{path}: cannot read the {what} ({error.strerror or error})") from None
    if limit is not None and len(data) > limit:  # the file grew while we looked
        raise UserError(f"{path}: the {what} is larger than the {size_text(limit)} we read")
    return data


def size_text(count: int) -> str:
    """A byte count as a person reads it: "512 KB", "3.0 MB", "50 MB"."""
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):.0f} MB" if count >= 10 * 1024 * 1024 else f"{count / (1024 * 1024):.1f} MB"
    if count >= 1024:
        return f"{count / 1024:.0f} KB"
    return f"{count} bytes"


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def remove_stale_partials(folder: str | Path) -> list[Path]:
    """Remove the temporaries that killed processes left in `folder`; returns what was removed."""
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = _PARTIAL_NAME.match(entry.name)
        if match and not _pid_alive(int(match.group(1))):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def write_error(path: Path, error: OSError) -> UserError:
    """The one-line UserError for an OSError met while writing `path` (full disk, read-only...)."""
    reason = error.strerror or str(error)
    if error.errno == 28:  # ENOSPC
        reason = "the disk is full"
    elif error.errno in (13, 30):  # EACCES, EROFS
        reason = "the folder cannot be written to" if error.errno == 13 else "the disk is read-only"
    return UserError(f"cannot write {path}: {reason}; any earlier file there is unchanged")


@contextlib.contextmanager
def replacing(path: str | Path) -> Iterator[Path]:
    """A temporary path beside `path` to write the new file to. When the block ends without an
    exception the temporary is flushed to disk and renamed over `path` (atomically: readers see the
    old file or the new one, never a part); on any exception it is removed and `path` is left as
    it was. Raises `UserError` for a missing folder, a live festival file, or a write that fails."""
    path = Path(path)
    check_not_live(path, "write")
    folder = path.parent
    if not folder.is_dir():
        raise UserError(f"{path}: the folder {folder} does not exist")
    if path.is_dir():
        raise UserError(f"{path} is a folder; give a file name")
    remove_stale_partials(folder)
    temporary = folder / f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}{_PARTIAL_SUFFIX}"
    try:
        # 0o666 through os.open: the kernel applies the user's umask, as for any new file.
        os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    except OSError as error:
        raise write_error(path, error) from None
    try:
        yield temporary
        with open(temporary, "rb+") as handle:
            os.fsync(handle.fileno())
        with contextlib.suppress(FileNotFoundError):
            os.chmod(temporary, os.stat(path).st_mode & 0o7777)
        os.replace(temporary, path)
        _fsync_folder(folder)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise write_error(path, error) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def write_file(path: str | Path, data: bytes) -> Path:
    """Write `data` to `path` whole or not at all (see `replacing`); returns the path."""
    path = Path(path)
    with replacing(path) as temporary:
        with open(temporary, "wb") as handle:
            handle.write(data)
    return path
