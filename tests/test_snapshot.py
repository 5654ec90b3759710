"""Store snapshots: one consistent copy, shipped as bytes or by a shared path, found by kernels via the environment."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb
import pytest

from nrlib.store import load_dataset, snapshot


def test_snapshot_bytes_materialised_once_and_checked(sample_store, tmp_path):
    snap = snapshot.take_snapshot(sample_store)
    assert snap.store == str(Path(sample_store).resolve()) and snap.path is None
    assert snap.sha256 == hashlib.sha256(snap.data).hexdigest() and snap.size == len(snap.data)
    assert "bytes" in repr(snap) and len(repr(snap)) < 200  # never megabytes in a log line
    local = snapshot.materialise(snap, tmp_path / "w1")
    assert local.name == f"nrlib-snapshot-{snap.sha256}.duckdb"
    assert snapshot.materialise(snap, tmp_path / "w1") == local  # written once per worker
    assert load_dataset(local).data_version == load_dataset(sample_store).data_version
    bad = snapshot.StoreSnapshot(store=snap.store, sha256=snap.sha256, size=snap.size, data=snap.data[:-1] + b"x")
    with pytest.raises(ValueError, match="checksum"):
        snapshot.materialise(bad, tmp_path / "w2")


def test_snapshot_on_shared_storage_travels_as_a_path(sample_store, tmp_path):
    snap = snapshot.take_snapshot(sample_store, shared_dir=tmp_path / "shared")
    assert snap.data is None and Path(snap.path).parent == (tmp_path / "shared").resolve()
    assert snapshot.materialise(snap, tmp_path / "unused") == Path(snap.path)
    gone = snapshot.StoreSnapshot(store=snap.store, sha256=snap.sha256, size=snap.size, path=str(tmp_path / "x.duckdb"))
    with pytest.raises(FileNotFoundError, match="shared"):
        snapshot.materialise(gone, tmp_path)


def test_snapshot_folds_in_a_pending_write_ahead_log(tmp_path):
    db = tmp_path / "live.duckdb"
    con = duckdb.connect(str(db))
    try:
        con.execute("CREATE TABLE t AS SELECT 42 AS x")  # committed to the log, not yet to the file
        assert db.with_name(db.name + ".wal").exists()
        snap = snapshot.take_snapshot(db)
    finally:
        con.close()
    local = snapshot.materialise(snap, tmp_path / "w")
    assert not local.with_name(local.name + ".wal").exists()
    with duckdb.connect(str(local), read_only=True) as c:
        assert c.execute("SELECT x FROM t").fetchone() == (42,)


def test_kernels_find_the_snapshot_through_the_environment(tmp_path, monkeypatch):
    store, snap = tmp_path / "store.duckdb", tmp_path / "snap.duckdb"
    monkeypatch.delenv(snapshot.SNAPSHOT_ENV, raising=False)
    assert snapshot.source_of(store) == store  # no mapping: read in place
    env = snapshot.snapshot_env({str(store): snap})
    assert json.loads(env[snapshot.SNAPSHOT_ENV]) == {str(store): str(snap)}
    monkeypatch.setenv(snapshot.SNAPSHOT_ENV, env[snapshot.SNAPSHOT_ENV])
    assert snapshot.source_of(store) == snap and snapshot.source_of(str(store)) == snap
    assert snapshot.source_of(tmp_path / "other.duckdb") == tmp_path / "other.duckdb"
    monkeypatch.setenv(snapshot.SNAPSHOT_ENV, "{not json")
    assert snapshot.source_of(store) == store
    assert snapshot.snapshot_env({}) == {}


def test_report_parameters_accept_a_store_present_only_as_a_snapshot(sample_store, tmp_path, monkeypatch):
    from nrlib.reports import params

    elsewhere = tmp_path / "on-the-client" / "nrlib.duckdb"  # the store's path on another machine
    local = snapshot.materialise(snapshot.take_snapshot(sample_store), tmp_path / "worker")
    with pytest.raises(params.StoreError):
        params.resolve_db_path(elsewhere)
    monkeypatch.setenv(snapshot.SNAPSHOT_ENV, json.dumps({str(elsewhere): str(local)}))
    assert params.resolve_db_path(elsewhere) == elsewhere  # reports keep naming the store by its own path
    ns = {"unit_code": "26308", "db_path": str(elsewhere), "deadline": None, "include_personal_data": False}
    p = params.check(ns, "unit")
    ds = params.load_report_dataset(p)
    assert len(ds.submissions) > 0 and ds.meta["db_path"] == str(elsewhere)
