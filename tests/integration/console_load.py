#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Console clients that cost the node resources, for test_metrics.sh.
# Python standard library only.
#
#   console_load.py hog SOCK SECONDS
#       send `metrics` requests and never read a reply, until the node
#       closes the connection (exit 0) or SECONDS pass (exit 1); prints the
#       bytes sent.
#   console_load.py hold SOCK COUNT SECONDS
#       open COUNT connections and hold them for SECONDS; prints how many
#       the node closed at once, how many it kept, and how many of those it
#       closed were told the node is out of file descriptors.
import socket
import sys
import time

from console_wire import frame, pack


def hog(path, seconds):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    req = frame(pack({"cmd": "metrics"})) * 64
    sent = 0
    deadline = time.monotonic() + seconds
    s.settimeout(0.5)
    while time.monotonic() < deadline:
        try:
            sent += s.send(req)
        except socket.timeout:
            continue
        except (BrokenPipeError, ConnectionResetError):
            print(sent)
            return 0
    print(sent)
    return 1


def hold(path, count, seconds):
    conns = []
    for _ in range(count):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(path)
        conns.append(s)
    time.sleep(1)
    closed = told = 0
    for s in conns:
        s.setblocking(False)
        try:
            data = s.recv(4096)
            if data == b"" or b"out of file descriptors" in data:
                closed += 1
                told += b"out of file descriptors" in data
        except BlockingIOError:
            pass
        except ConnectionResetError:
            closed += 1
    print("closed %d kept %d told %d" % (closed, count - closed, told), flush=True)
    time.sleep(max(0.0, seconds - 1))
    for s in conns:
        s.close()
    return 0


def main():
    if sys.argv[1] == "hog":
        return hog(sys.argv[2], float(sys.argv[3]))
    if sys.argv[1] == "hold":
        return hold(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]))
    sys.exit(__doc__)


sys.exit(main())
