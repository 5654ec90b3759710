"""Stand-in for a report's kernel process: asks a warm template to fork the kernel, then relays.

Run as ``python -I -S _kernel_relay.py SOCKET -- KERNEL_ARGV...`` by the
kernel manager of :mod:`nrlib.reports.warmstart` in place of
``python -m ipykernel_launcher -f CONNECTION_FILE``. Standard library only
(it must start in milliseconds, and ``-S`` leaves site-packages out).

Method: connect to the template's Unix socket, send the kernel's arguments,
working directory and environment with this process's standard streams
(``SCM_RIGHTS``, so the kernel writes where a launched kernel would), and
receive the forked kernel's pid. From then on the kernel manager's signals
(interrupt, terminate) are forwarded to the kernel, and this process exits
when the template reports the kernel's exit, with its exit code. If this
process is killed, the template kills the kernel (the socket closes); if the
template dies, this process kills the kernel. When no template answers, the
original kernel command is executed instead: the report then runs in a
cold kernel, exactly as without warm start.
"""

import json
import os
import signal
import socket
import struct
import sys

FORWARDED = ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2")


def _send(sock, payload: dict, fds=()) -> None:
    data = json.dumps(payload).encode("utf-8")
    frame = struct.pack("!I", len(data)) + data
    socket.send_fds(sock, [frame], list(fds))


def _lines(sock):
    buf = b""
    while True:
        chunk = sock.recv(4096)
        if not chunk:
            return
        buf += chunk
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            yield json.loads(line)


def main(argv: list) -> int:
    sock_path, sep, kernel_argv = argv[0], argv[1], argv[2:]
    if sep != "--" or not kernel_argv:
        print("usage: _kernel_relay.py SOCKET -- KERNEL_ARGV...", file=sys.stderr)
        return 2
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(sock_path)
        _send(sock, {"argv": kernel_argv, "cwd": os.getcwd(), "env": dict(os.environ)}, fds=(0, 1, 2))
        messages = _lines(sock)
        pid = next(messages)["pid"]
    except (OSError, StopIteration, ValueError, KeyError):
        sock.close()
        os.execv(kernel_argv[0], kernel_argv)  # no template: a cold kernel, as without warm start
    state = {"done": False}

    def forward(signum, frame):
        if not state["done"]:
            try:
                os.kill(pid, signum)
            except ProcessLookupError:
                pass

    for name in FORWARDED:
        signal.signal(getattr(signal, name), forward)
    code = None
    try:
        for msg in messages:
            if "exit" in msg:
                code = msg["exit"]
                break
    except OSError:
        pass
    state["done"] = True
    if code is None:  # the template went away without reporting: do not leave the kernel behind
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        return 1
    return code if code >= 0 else 128 - code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
