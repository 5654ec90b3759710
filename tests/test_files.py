"""nrlib.core.files: one atomic write, one checksum, and the cleanup of a killed writer's temporary files."""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys

import pytest

from nrlib.core.files import atomic_write, remove_stale_temporaries, sha256_bytes, sha256_file


def test_atomic_write_of_text_bytes_a_copy_and_a_writer(tmp_path):
    assert atomic_write(tmp_path / "a" / "t.txt", "Đạt").read_text(encoding="utf-8") == "Đạt"
    assert atomic_write(tmp_path / "b.bin", b"\x00\x01").read_bytes() == b"\x00\x01"
    copy = atomic_write(tmp_path / "c.bin", copy_from=tmp_path / "b.bin", mode=0o444)
    assert copy.read_bytes() == b"\x00\x01" and not os.stat(copy).st_mode & stat.S_IWUSR
    atomic_write(tmp_path / "d.txt", writer=lambda p: p.write_text("x"))
    assert (tmp_path / "d.txt").read_text() == "x"
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["b.bin", "c.bin", "d.txt", "t.txt"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = atomic_write(tmp_path / "r.html", "old")

    def fail(p):
        p.write_text("half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        atomic_write(target, writer=fail)
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["r.html"]
    with pytest.raises(ValueError):
        atomic_write(target, "a", copy_from=target)


def test_only_a_dead_writers_temporaries_are_removed(tmp_path):
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    dead = tmp_path / "sub" / f".r.html.{proc.pid}.0123abcd.tmp"
    live = tmp_path / f".s.html.{os.getpid()}.89abcdef.tmp"
    other = tmp_path / ".notes.tmp"                    # not named by atomic_write: not ours to remove
    for p in (dead, live, other):
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x")
    assert remove_stale_temporaries(tmp_path) == 0      # not recursive: the dead one is in a subfolder
    assert remove_stale_temporaries(tmp_path, recursive=True) == 1
    assert not dead.exists() and live.exists() and other.exists()
    assert remove_stale_temporaries(tmp_path / "missing") == 0


def test_checksums(tmp_path):
    data = os.urandom(3 << 20)
    (tmp_path / "f").write_bytes(data)
    assert sha256_file(tmp_path / "f") == (hashlib.sha256(data).hexdigest(), len(data))
    assert sha256_bytes(data) == hashlib.sha256(data).hexdigest()
