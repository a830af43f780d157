"""
The workbench's learner state without lost fields (lp_xblocks/workbench/kvs.py): each write of the SDK's store
(read the learner's row, change a field, save the row) runs alone, so no write saves a stale row over another's.
"""
import threading
import time

import pytest
from workbench import runtime as sdk_runtime

from lp_xblocks.workbench import kvs


def most_at_once(monkeypatch, write, threads=8):
    """How many writes were between their read and their save at the same moment, ``threads`` writing at once."""
    inside, most, guard = [0], [0], threading.Lock()

    def slow_set(self, key, value):  # the SDK's read-change-save, slowed so that overlaps show
        with guard:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        time.sleep(0.02)
        with guard:
            inside[0] -= 1

    monkeypatch.setattr(sdk_runtime.WorkbenchDjangoKeyValueStore, "set", slow_set)
    start = threading.Barrier(threads)

    def one(number):
        start.wait()
        write(f"field_{number}")

    workers = [threading.Thread(target=one, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return most[0]


def test_the_sdk_store_alone_lets_writes_overlap(monkeypatch):
    """What the fix is for: the SDK's own store runs read-change-save of one row in several requests at once."""
    store = sdk_runtime.WorkbenchDjangoKeyValueStore()
    assert most_at_once(monkeypatch, lambda name: store.set(name, 1)) > 1


@pytest.mark.parametrize("how", ["set", "set_many"])
def test_the_installed_store_writes_one_at_a_time(monkeypatch, how):
    store = kvs.install()
    assert store is sdk_runtime.WORKBENCH_KVS and isinstance(store, kvs.LosslessKeyValueStore)
    write = (lambda name: store.set(name, 1)) if how == "set" else (lambda name: store.set_many({name: 1}))
    assert most_at_once(monkeypatch, write) == 1


def test_install_is_idempotent():
    assert kvs.install() is kvs.install() is sdk_runtime.WORKBENCH_KVS
    assert type(sdk_runtime.WORKBENCH_KVS) is kvs.LosslessKeyValueStore
