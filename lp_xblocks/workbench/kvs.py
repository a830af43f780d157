"""
The SDK workbench's learner state without lost fields.

The SDK keeps all of a learner's fields of one block in one JSON row and writes a field by reading the row,
changing the field and saving the whole row. Two requests of one learner at once (two tabs, a double click) can
each read the row, each change their own field and each save: the later save puts back the row as it was before
the earlier one, so a field the earlier request added disappears, and a third request that saw the field a moment
ago fails reading it (a ``KeyError`` inside the SDK, an HTTP 500). Open edX does not behave so: a request reads
its learner state once (the platform's field-data cache) and a write never removes another field.

:func:`install` makes each write of the workbench's store one step: read, change and save run under one lock
(the workbench is one ``runserver`` process), so no write puts back a stale row. Only the workbench uses it.
"""
import threading

from workbench import runtime as sdk_runtime

_WRITE_LOCK = threading.RLock()


class LosslessKeyValueStore(sdk_runtime.WorkbenchDjangoKeyValueStore):
    """The SDK's store whose read-change-save of one row happens under one lock (no write restores a stale row)."""

    def set(self, key, value):
        with _WRITE_LOCK:
            super().set(key, value)

    def set_many(self, update_dict):
        with _WRITE_LOCK:
            super().set_many(update_dict)

    def delete(self, key):
        with _WRITE_LOCK:
            super().delete(key)


def install():
    """Make the SDK's one store (the runtime's ``WORKBENCH_KVS``) lossless; calling it again changes nothing."""
    store = sdk_runtime.WORKBENCH_KVS
    if not isinstance(store, LosslessKeyValueStore):
        store.__class__ = LosslessKeyValueStore
    return store
