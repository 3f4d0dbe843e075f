#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# A hostile console client for test_console_hostile.sh: each case connects to
# a node's console.sock, sends malformed input and checks what came back.
# Python standard library only, with a small msgpack coder of its own.
#
#   hostile_console.py --list
#   hostile_console.py --sock SOCK --dir DIR --tracectl PATH --pid PID \
#           --find SERIAL --big ID [CASE...]
#
# A case expects either a reply {ok: false, error: "..."} (well-framed bad
# content) or the node closing the connection without a reply (bad framing).
# After each case the daemon must still run, answer `tracectl status` with
# the same pid and counts as before, and find SERIAL. One line per case on
# stdout, "ok NAME" or "FAIL NAME: why"; exit 0 when all passed, 3 when the
# daemon died (the cases after that one did not run), else 1.
import argparse
import json
import os
import random
import select
import socket
import struct
import subprocess
import sys
import time


ARGS = None  # the command line, for cases that look at the daemon


from console_wire import TIMEOUT, Console, Raw, RawStr, frame, pack

# ---- the cases ----

def expect_error(c, what):
    r = c.reply()
    if r is None:
        raise AssertionError("%s: node closed without a reply" % what)
    if not isinstance(r, dict) or r.get("ok") is not False:
        raise AssertionError("%s: expected {ok: false}, got %r" % (what, r))
    err = r.get("error")
    if not isinstance(err, str) or not err:
        raise AssertionError("%s: reply has no error text: %r" % (what, r))
    if not isinstance(r.get("code"), int) or r["code"] >= 0:
        raise AssertionError("%s: reply has no negative code: %r" % (what, r))
    return r


def expect_closed(c, what):
    if not c.closed_by_node():
        raise AssertionError("%s: node did not close the connection" % what)


def request(c, body, what):
    """Send one well-framed body, expect an error reply; returns it."""
    c.send(frame(body))
    return expect_error(c, what)


def check_error_mentions(r, words, what):
    text = r["error"].lower()
    if not any(w in text for w in words):
        raise AssertionError("%s: error %r mentions none of %r" % (what, r["error"], words))


def case_garbage(c):
    # Random bytes with a first length byte that cannot be a frame: closed.
    rnd = random.Random(1234)
    data = bytes([0xA7]) + bytes(rnd.getrandbits(8) for _ in range(8191))
    c.send(data)
    expect_closed(c, "garbage")


def case_garbage_small_frame(c):
    # A frame of random bytes under the limit: an error reply.
    rnd = random.Random(99)
    body = bytes([0xC1]) + bytes(rnd.getrandbits(8) for _ in range(2000))
    request(c, body, "random frame body")


def case_oversize(c):
    c.send(struct.pack(">I", 1 << 30) + b"\x81\xa3cmd\xa6status" + b"A" * 4096)
    expect_closed(c, "1 GiB frame header")


def case_zero_length(c):
    c.send(struct.pack(">I", 0) + b"\x80")
    expect_closed(c, "zero-length frame")


def case_truncated(c):
    body = pack({"cmd": "status"})
    c.send(struct.pack(">I", 100) + body)
    c.s.shutdown(socket.SHUT_WR)
    expect_closed(c, "truncated frame")


def case_not_msgpack(c):
    r = request(c, b"\xc1\xc1\xc1 this is not msgpack", "not msgpack")
    check_error_mentions(r, ["msgpack"], "not msgpack")


def case_trailing_bytes(c):
    request(c, pack({"cmd": "status"}) + b"\x00\x01", "map followed by bytes")


def case_not_a_map(c):
    request(c, pack(["cmd", "status"]), "array request")
    request(c, pack("status"), "string request")
    request(c, pack(42), "integer request")
    request(c, b"\xc0", "nil request")


def case_no_cmd(c):
    r = request(c, pack({"args": {"id": 1}}), "map without cmd")
    check_error_mentions(r, ["cmd"], "map without cmd")
    request(c, pack({}), "empty map")


def case_unknown_cmd(c):
    r = request(c, pack({"cmd": "record.drop", "args": {}}), "unknown cmd")
    if r["code"] != -21:
        raise AssertionError("unknown cmd: code %r, want -21" % r["code"])
    request(c, pack({"cmd": ""}), "empty cmd")
    request(c, pack({"cmd": "x" * 5000}), "long cmd")
    request(c, pack({"cmd": RawStr(b"status\x00.add")}), "cmd with NUL")


def case_wrong_types(c):
    cases = [
        ({"cmd": 7}, "integer cmd"),
        ({"cmd": b"status"}, "binary cmd"),
        ({"cmd": "record.add", "args": "make=x"}, "args not a map"),
        ({"cmd": "record.add", "args": {"make": 123, "serial": "A1"}}, "integer make"),
        ({"cmd": "record.add", "args": {"make": "Glock", "serial": ["A1"]}}, "array serial"),
        ({"cmd": "record.add", "args": {"make": "Glock"}}, "missing serial"),
        ({"cmd": "record.add", "args": {"make": "Glock", "serial": "A1",
                                        "events": "sold"}}, "events not an array"),
        ({"cmd": "record.add", "args": {"make": "Glock", "serial": "A1",
                                        "events": [1, 2]}}, "events of integers"),
        ({"cmd": "record.add", "args": {"make": "G" * 300, "serial": "A1"}}, "overlong make"),
        ({"cmd": "record.add", "args": {"make": "Glock", "serial": "A1",
                                        "country": "guatemala"}}, "bad country"),
        ({"cmd": "record.show", "args": {"id": "1"}}, "string id"),
        ({"cmd": "record.show", "args": {"id": -1}}, "negative id"),
        ({"cmd": "record.show", "args": {"id": True}}, "boolean id"),
        ({"cmd": "record.show", "args": {"id": Raw(b"\xcb" + struct.pack(">d", 1.5))}},
         "float id"),
        ({"cmd": "record.show", "args": {}}, "missing id"),
        ({"cmd": "record.event", "args": {"id": 1, "event": [1]}}, "event not a map"),
        ({"cmd": "stolen.list", "args": {"all": "yes"}}, "string bool"),
        ({"cmd": "stolen.recover", "args": {"id": 1, "date": 20240101}}, "integer date"),
        ({"cmd": "record.import", "args": {"records": {"a": 1}}}, "records not an array"),
        # TN_IMPORT_MAX + 1 (proto/record.h)
        ({"cmd": "record.import", "args": {"records": [None] * 65537}}, "too many records"),
    ]
    for body, what in cases:
        request(c, pack(body), what)
    # A key given twice.
    dup = (b"\x82" + pack("cmd") + pack("record.add") + pack("args") + b"\x83" +
           pack("make") + pack("Glock") + pack("serial") + pack("A1") +
           pack("serial") + pack("B2"))
    r = request(c, dup, "repeated key")
    check_error_mentions(r, ["repeated"], "repeated key")


def case_deep_nesting(c):
    depth = 10000
    inner = b"\x91" * depth + b"\xc0"
    body = b"\x82" + pack("cmd") + pack("status") + pack("args") + inner
    request(c, body, "10k nested arrays")
    inner = b"\x81\xa1k" * depth + b"\xc0"
    body = b"\x82" + pack("cmd") + pack("status") + pack("args") + inner
    request(c, body, "10k nested maps")


def case_huge_count(c):
    head = (b"\x82" + pack("cmd") + pack("record.import") + pack("args") + b"\x81" +
            pack("records"))
    request(c, head + b"\xdd\xff\xff\xff\xff" + b"\xc0" * 16, "array of 2^32-1 items")
    head = b"\x82" + pack("cmd") + pack("status") + pack("args")
    request(c, head + b"\xdf\xff\xff\xff\xff" + b"\xc0" * 16, "map of 2^32-1 pairs")
    request(c, head + b"\xdb\xff\xff\xff\xf0" + b"x" * 16, "string of 4 GiB")
    request(c, head + b"\xc6\x7f\xff\xff\xff" + b"x" * 16, "binary of 2 GiB")
    request(c, b"\xdf\x00\x00\x10\x00" + pack("cmd") + pack("status"),
            "top map announcing 4096 pairs")


def case_bad_utf8(c):
    bad = [b"\xff\xfe", b"\xc0\xaf", b"\xed\xa0\x80", b"Glo\x80ck", b"\xf4\x90\x80\x80",
           b"ok\x00nul"]
    for i, s in enumerate(bad):
        body = {"cmd": "record.add", "args": {"make": RawStr(s), "serial": "U%d" % i}}
        r = request(c, pack(body), "invalid UTF-8 make %r" % s)
        if b"\x00" not in s:
            check_error_mentions(r, ["utf-8", "utf8"], "invalid UTF-8 make %r" % s)
    request(c, pack({"cmd": RawStr(b"st\xffatus")}), "invalid UTF-8 cmd")
    request(c, pack({RawStr(b"\xff"): "x", "cmd": RawStr(b"\xc3\x28")}), "invalid UTF-8 key")


def case_pipelined(c):
    # Well-formed and malformed requests in one write keep their order.
    good = frame(pack({"cmd": "status"}))
    c.send(good + frame(b"\xc1") + good)
    for want in (True, False, True):
        r = c.reply()
        if r is None or r.get("ok") is not want:
            raise AssertionError("pipelined: got %r, want ok=%r" % (r, want))


def case_byte_by_byte(c):
    data = frame(pack({"cmd": "record.show", "args": {"id": 999999}}))
    for b in data:
        c.send(bytes([b]))
    expect_error(c, "request sent byte by byte")


def case_status_ok(c):
    # Positive control: the coder itself talks to the node correctly.
    c.send(frame(pack({"cmd": "status"})))
    r = c.reply()
    if not isinstance(r, dict) or r.get("ok") is not True or "name" not in r.get("data", {}):
        raise AssertionError("status: unexpected reply %r" % r)


def case_close_after_write(c):
    # Write requests from a client that leaves before their replies.
    c.send(frame(pack({"cmd": "record.show", "args": {"id": 1}})) +
           frame(pack({"cmd": "stolen.recover", "args": {"id": 999999}})))
    c.s.shutdown(socket.SHUT_RDWR)


def case_reader_gone(c):
    # The client stops reading, then asks: the reply meets a closed socket
    # (EPIPE). The node must drop the connection, not die of SIGPIPE.
    c.s.shutdown(socket.SHUT_RD)
    c.send(frame(pack({"cmd": "status"})))
    time.sleep(0.3)


def case_many_connections(c):
    # 200 more connections, half of them stopped mid-frame, all abandoned.
    conns = []
    for i in range(200):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(c.s.getpeername())
        if i % 2:
            s.sendall(struct.pack(">I", 1000) + b"\x82")
        conns.append(s)
    c.send(frame(pack({"cmd": "status"})))
    r = c.reply()
    if not r or r.get("ok") is not True:
        raise AssertionError("status with 200 other connections: %r" % r)
    for s in conns:
        s.close()


def daemon_fds():
    return len(os.listdir("/proc/%d/fd" % ARGS.pid))


def case_never_reads(c):
    # Requests whose replies (far more than the node's 64 MiB output limit)
    # are never read: the node must cut the client off and free what it
    # queued, not hold the connection and its buffers while the client stays.
    before = daemon_fds()
    data = frame(pack({"cmd": "record.show", "args": {"id": ARGS.big}})) * 40000
    c.s.setblocking(False)
    sent, stalled = 0, time.monotonic()
    while sent < len(data) and time.monotonic() - stalled < 2:
        if not select.select([], [c.s], [], 0.2)[1]:
            continue
        try:
            sent += c.s.send(data[sent:sent + 65536])
            stalled = time.monotonic()
        except BlockingIOError:
            continue
        except (BrokenPipeError, ConnectionResetError):
            break  # cut off: good
    # The node's side must end: after what was already in flight, the
    # client reads end of stream (or a reset). Counting the node's fds
    # instead is racy: connections of earlier cases may still be accepted.
    deadline = time.monotonic() + 10
    got = 0
    while time.monotonic() < deadline:
        if not select.select([c.s], [], [], 0.2)[0]:
            continue
        try:
            chunk = c.s.recv(1 << 20)
        except BlockingIOError:
            continue
        except ConnectionResetError:
            return
        if not chunk:
            return
        got += len(chunk)
    raise AssertionError("node still holds the connection of a client that does not read "
                         "(%d of %d request bytes taken, %d reply bytes, VmRSS %s, fds %d/%d)"
                         % (sent, len(data), got, vmrss(), daemon_fds(), before))


def vmrss():
    with open("/proc/%d/status" % ARGS.pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return " ".join(line.split()[1:])
    return "?"


CASES = {name[5:]: fn for name, fn in sorted(globals().items())
         if name.startswith("case_") and callable(fn)}


# ---- the node must survive each case unchanged ----

def alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def tracectl(args, *argv):
    return subprocess.run([args.tracectl, "-d", args.dir] + list(argv),
                          capture_output=True, text=True, timeout=TIMEOUT)


def node_state(args):
    """(pid, records, stolen, stolen_open) from tracectl status, or why not."""
    p = tracectl(args, "--json", "status")
    if p.returncode:
        return "status fails: " + p.stderr.strip()
    s = json.loads(p.stdout)
    return (s["pid"], s["records"], s["stolen"], s["stolen_open"])


def check_node(args, want):
    """Empty when the node runs with the data it had, else why not."""
    if not alive(args.pid):
        return "the daemon died"
    got = node_state(args)
    if got != want:
        return "status (pid, records, stolen, open) is %r, want %r" % (got, want)
    p = tracectl(args, "record", "find", "--serial", args.find)
    if p.returncode or args.find not in p.stdout.replace("-", ""):
        return "record find --serial %s fails: %s" % (args.find, (p.stdout + p.stderr).strip())
    return ""


def run_case(args, name):
    c = Console(args.sock)
    try:
        CASES[name](c)
    except (AssertionError, ValueError, OSError) as e:
        return "%s: %s" % (type(e).__name__, e)
    finally:
        c.close()
    return ""


def main():
    ap = argparse.ArgumentParser(description="hostile console cases")
    ap.add_argument("--list", action="store_true", help="print the case names")
    ap.add_argument("--sock", help="the node's console.sock")
    ap.add_argument("--dir", help="the node directory, for tracectl")
    ap.add_argument("--tracectl", default="tracectl")
    ap.add_argument("--pid", type=int, help="the daemon's pid")
    ap.add_argument("--find", help="a serial on file (normalized) that find must return")
    ap.add_argument("--big", type=int, default=1,
                    help="id of a record with a large reply (about 6 KB)")
    ap.add_argument("cases", nargs="*", help="cases to run in order (default all)")
    args = ap.parse_args()
    global ARGS
    ARGS = args
    if args.list:
        print("\n".join(CASES))
        return 0
    unknown = [c for c in args.cases if c not in CASES]
    if unknown or not (args.sock and args.dir and args.pid and args.find):
        ap.error("need --sock, --dir, --pid, --find and known cases (%s)" % unknown)
    want = node_state(args)
    if isinstance(want, str):
        print("FAIL before any case: " + want)
        return 1
    failed = 0
    # One line per case: "ok NAME" or "FAIL NAME: why". Stops once the
    # daemon is gone: the caller restarts it and runs the rest.
    for name in args.cases or list(CASES):
        why = run_case(args, name)
        state = check_node(args, want)
        why = "; ".join(w for w in (why, state) if w)
        print("%s %s%s" % ("FAIL" if why else "ok", name, ": " + why if why else ""),
              flush=True)
        failed += bool(why)
        if not alive(args.pid):
            return 3
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
