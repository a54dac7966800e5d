"""Secrets stay secret (no password in what is shown or kept), and a festival file on a network
drive is recognised."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from festival_desk.core.urls import has_password, masked, without_password
from festival_desk.store import credentials
from festival_desk.store.db import describe, resolve_url
from festival_desk.store.filesystems import network_file_system, network_warning, parse_mountinfo
from tests.team.conftest import process_env

SECRET = "s3cr3t-Pa55"
URL = f"postgresql://maja:{SECRET}@db.festival.example:5433/season2026"


def test_urls_are_shown_masked_and_kept_without_their_password():
    assert masked(URL) == "postgresql://maja:***@db.festival.example:5433/season2026"
    assert without_password(URL) == "postgresql://maja@db.festival.example:5433/season2026"
    assert has_password(URL) and not has_password(without_password(URL))
    assert without_password("/home/maja/festival.sqlite") == "/home/maja/festival.sqlite"
    assert SECRET not in describe(resolve_url(URL))


def test_a_failing_connection_never_prints_the_password():
    result = subprocess.run([sys.executable, "-m", "festival_desk.cli", "info", "--db",
                             f"postgresql://maja:{SECRET}@127.0.0.1:9/season2026"],
                            capture_output=True, text=True, env=process_env(), timeout=60)
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert SECRET not in result.stderr and SECRET not in result.stdout
    assert "***" in result.stderr or "maja@" in result.stderr


class _MemoryKeyring:
    """A keyring backend in memory, standing in for the system's (Secret Service, Keychain...)."""

    def __init__(self):
        import keyring.backend

        class Backend(keyring.backend.KeyringBackend):
            priority = 10
            stored: dict = {}

            def get_password(self, service, username):
                return self.stored.get((service, username))

            def set_password(self, service, username, password):
                self.stored[(service, username)] = password

            def delete_password(self, service, username):
                self.stored.pop((service, username), None)

        self.backend = Backend()


@pytest.fixture
def memory_keyring():
    import keyring

    previous = keyring.get_keyring()
    fake = _MemoryKeyring().backend
    keyring.set_keyring(fake)
    credentials.forget_keyring_choice()
    yield fake
    keyring.set_keyring(previous)
    credentials.forget_keyring_choice()


def test_passwords_go_to_the_keyring_under_the_database_not_the_url(memory_keyring):
    url = resolve_url(URL)
    plain = url._replace(password=None)  # URL.set(password=None) would keep it
    assert credentials.remember_password(plain, SECRET)
    assert memory_keyring.stored == {("festival-desk", "maja@db.festival.example:5433/season2026"): SECRET}
    assert credentials.with_stored_password(plain).password == SECRET
    credentials.forget_password(plain)
    assert credentials.with_stored_password(plain).password is None


def test_without_a_keyring_nothing_is_kept_and_nothing_fails(monkeypatch):
    import keyring
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    credentials.forget_keyring_choice()
    try:
        assert not credentials.keyring_available()
        assert credentials.remember_password(resolve_url(URL), SECRET) is False
        assert credentials.stored_password(resolve_url(URL)) is None
    finally:
        keyring.set_keyring(previous)
        credentials.forget_keyring_choice()


MOUNTINFO = """\
22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
35 22 0:31 / /mnt/festival rw,relatime shared:20 - nfs4 fileserver:/export/festival rw,vers=4.2
36 22 0:32 / /media/office\\040share rw,relatime shared:21 - cifs //nas/office rw
37 35 0:33 / /mnt/festival/local rw - tmpfs tmpfs rw
"""


def test_a_festival_file_on_nfs_or_smb_is_recognised():
    mounts = parse_mountinfo(MOUNTINFO)
    assert [m.point for m in mounts] == ["/", "/mnt/festival", "/media/office share", "/mnt/festival/local"]
    assert network_file_system("/mnt/festival/2026/festival.sqlite", mountinfo=MOUNTINFO) == "nfs4"
    assert network_file_system("/media/office share/festival.sqlite", mountinfo=MOUNTINFO) == "cifs"
    assert network_file_system("/mnt/festival/local/festival.sqlite", mountinfo=MOUNTINFO) is None
    assert network_file_system("/home/maja/festival.sqlite", mountinfo=MOUNTINFO) is None
    warning = network_warning("/mnt/festival/festival.sqlite", mountinfo=MOUNTINFO)
    assert "network drive (nfs4)" in warning and "belongs on PostgreSQL" in warning


def test_a_file_on_this_machines_disk_is_not_taken_for_a_network_drive(tmp_path: Path):
    assert network_file_system(tmp_path / "festival.sqlite") is None
