"""Is a festival file on a network drive? SQLite's locking (and its write-ahead log above all) does
not work over NFS or SMB: several people writing to one file there lose work or corrupt it. A desk
opening such a file warns that a shared festival belongs on PostgreSQL.

Linux: the mount table (`/proc/self/mountinfo`) names the file system under the file. Windows: a
UNC path or a drive the system calls remote. Elsewhere nothing is told (no warning).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

NETWORK_TYPES = frozenset({
    "nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "ncpfs", "afs", "9p", "ceph", "glusterfs",
    "lustre", "gpfs", "davfs", "fuse.sshfs", "fuse.davfs2", "fuse.gvfsd-fuse", "fuse.rclone", "fuse.s3fs",
    "fuse.glusterfs", "fuse.cephfs", "beegfs", "ocfs2", "gfs2",
})
_MOUNTINFO = Path("/proc/self/mountinfo")


@dataclass(frozen=True)
class Mount:
    point: str
    fs_type: str
    source: str


def _unescape(field: str) -> str:
    # mountinfo writes space, tab, newline and backslash as octal escapes (\040 ...).
    return field.encode().decode("unicode_escape") if "\\" in field else field


def parse_mountinfo(text: str) -> list[Mount]:
    """The mounts of a /proc/PID/mountinfo text (see proc(5)): mount point, type, source."""
    mounts = []
    for line in text.splitlines():
        if " - " not in line:
            continue
        before, after = line.split(" - ", 1)
        fields, rest = before.split(), after.split()
        if len(fields) >= 5 and len(rest) >= 2:
            mounts.append(Mount(_unescape(fields[4]), rest[0], _unescape(rest[1])))
    return mounts


def mount_of(path: str | Path, mounts: list[Mount]) -> Mount | None:
    """The mount holding `path` (the longest mount point that contains it)."""
    target = os.path.realpath(os.fspath(path))
    best: Mount | None = None
    for mount in mounts:
        point = mount.point.rstrip("/") or "/"
        if target == point or target.startswith(point + "/") or point == "/":
            if best is None or len(point) >= len(best.point.rstrip("/") or "/"):
                best = mount
    return best


def _windows_network_drive(path: Path) -> str | None:
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return "a network share"
    try:
        import ctypes

        drive = os.path.splitdrive(os.path.realpath(text))[0] + "\\"
        if ctypes.windll.kernel32.GetDriveTypeW(drive) == 4:  # DRIVE_REMOTE
            return "a network drive"
    except (AttributeError, OSError):
        pass
    return None


def network_file_system(path: str | Path, *, mountinfo: str | None = None) -> str | None:
    """The network file system (nfs4, cifs, ...) that holds `path`, or None for a local disk or
    when it cannot be told. `mountinfo` replaces the system's mount table (tests)."""
    path = Path(path)
    if sys.platform == "win32" and mountinfo is None:
        return _windows_network_drive(path)
    if mountinfo is None:
        try:
            mountinfo = _MOUNTINFO.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    mount = mount_of(path.parent if not path.exists() else path, parse_mountinfo(mountinfo))
    if mount is None:
        return None
    return mount.fs_type if mount.fs_type in NETWORK_TYPES else None


def network_warning(path: str | Path, *, mountinfo: str | None = None) -> str | None:
    """What to tell a user whose festival file is on a network drive (None when it is not)."""
    fs_type = network_file_system(path, mountinfo=mountinfo)
    if fs_type is None:
        return None
    return (f"{path} is on a network drive ({fs_type}). SQLite cannot share a file safely over a network: "
            "colleagues' changes can be lost or the file damaged. A festival shared by several people belongs "
            "on PostgreSQL (move it there with `festival-desk copy`).")
