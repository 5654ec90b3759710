"""The report kernels' readiness check (nrlib.reports.render's ReadyClient), against scripted channels.

jupyter_client's own check waits for 0,2 s of silence on IOPub after the kernel answers; ours ends on the
``idle`` status of its own ``kernel_info`` request. These tests pin what it must still do: wait for the reply
and that status, ask again when IOPub shows nothing (not yet connected), drop what came before, and fail when
the kernel dies.
"""

from __future__ import annotations

import asyncio
from queue import Empty

import pytest

from nrlib.reports import render


class Channel:
    """A channel whose ``get_msg`` hands out scripted messages, then raises Empty (as a silent socket does)."""

    def __init__(self):
        self.queue: list[dict] = []

    async def get_msg(self, timeout=None):
        if self.queue:
            return self.queue.pop(0)
        raise Empty


def _status(state: str, parent: str) -> dict:
    return {"msg_type": "status", "content": {"execution_state": state}, "parent_header": {"msg_id": parent}}


def _client(kernel_answers, alive=lambda: True):
    """A ReadyClient with scripted channels; ``kernel_answers(n, msg_id, shell, iopub)`` plays the kernel."""
    cls = render._ready_client_class()
    client = cls.__new__(cls)  # no sockets, no context: the check uses only the methods below
    shell, iopub, sent = Channel(), Channel(), []

    def kernel_info():
        msg_id = f"req-{len(sent) + 1}"
        sent.append(msg_id)
        kernel_answers(len(sent), msg_id, shell, iopub)
        return msg_id

    async def is_alive():
        return alive()

    handled = []
    client.__dict__.update(kernel_info=kernel_info, is_alive=is_alive,
                           _handle_kernel_info_reply=handled.append)
    # the channels are read-only properties of KernelClient: set them on a subclass made for the test
    client.__class__ = type("ScriptedReadyClient", (cls,), {"shell_channel": shell, "iopub_channel": iopub})
    return client, sent, handled, iopub


def _reply(msg_id: str) -> dict:
    return {"msg_type": "kernel_info_reply", "parent_header": {"msg_id": msg_id}, "content": {"status": "ok"}}


def test_ready_on_the_idle_status_of_its_own_request_and_nothing_of_it_left_on_iopub():
    def kernel(n, msg_id, shell, iopub):
        shell.queue.append(_reply(msg_id))
        iopub.queue += [_status("starting", ""), _status("busy", msg_id), _status("idle", msg_id)]

    client, sent, handled, iopub = _client(kernel)
    asyncio.run(client.wait_for_ready(timeout=5))
    assert sent == ["req-1"] and [m["parent_header"]["msg_id"] for m in handled] == ["req-1"]
    assert iopub.queue == []           # what the request published was read, as jupyter_client's flush read it


def test_asks_again_while_iopub_shows_nothing_then_is_ready():
    def kernel(n, msg_id, shell, iopub):
        shell.queue.append(_reply(msg_id))
        if n >= 3:                     # IOPub connected only from the third request on
            iopub.queue += [_status("busy", msg_id), _status("idle", msg_id)]

    client, sent, handled, _ = _client(kernel)
    asyncio.run(client.wait_for_ready(timeout=5))
    assert sent == ["req-1", "req-2", "req-3"] and len(handled) == 1


def test_an_idle_status_of_another_request_is_not_taken_for_ready():
    def kernel(n, msg_id, shell, iopub):
        shell.queue.append(_reply(msg_id))
        iopub.queue.append(_status("idle", "someone-else" if n == 1 else msg_id))

    client, sent, handled, _ = _client(kernel)
    asyncio.run(client.wait_for_ready(timeout=5))
    assert sent == ["req-1", "req-2"]


def test_a_kernel_that_dies_before_answering_is_an_error():
    client, sent, handled, _ = _client(lambda *a: None, alive=lambda: False)
    with pytest.raises(RuntimeError, match="died"):
        asyncio.run(client.wait_for_ready(timeout=5))
    assert handled == []


def test_report_kernels_use_the_ready_client():
    km_class = render._kernel_manager_logging_to(__import__("pathlib").Path("/nonexistent/k.log"))
    km = km_class()
    assert km.client_factory is render._ready_client_class()
    assert isinstance(km.client(), render._ready_client_class())
