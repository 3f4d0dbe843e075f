# SPDX-License-Identifier: Apache-2.0
# A service manager's notification socket for test_package: binds the
# AF_UNIX datagram socket ADDR ('@' for the abstract namespace), then
# writes every message it receives to OUT as one line, the sender's pid
# first ("pid=N READY=1 STATUS=..."). When a message says READY=1 it
# tries the console socket CONSOLE at once and adds "console=up" or
# "console=down". Ends on STOPPING=1 or after SECONDS without a message.
# Python standard library only.
import socket
import struct
import sys


def console_up(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect(path)
        return "up"
    except OSError:
        return "down"
    finally:
        s.close()


def main():
    addr, out, console, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind("\0" + addr[1:] if addr.startswith("@") else addr)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
    s.settimeout(seconds)
    creds_len = socket.CMSG_LEN(struct.calcsize("3i"))
    with open(out, "a") as f:
        f.write("listening\n")
        f.flush()
        while True:
            try:
                data, anc, _, _ = s.recvmsg(4096, creds_len)
            except socket.timeout:
                return
            pid = 0
            for level, kind, cdata in anc:
                if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
                    pid = struct.unpack("3i", cdata[:12])[0]
            lines = data.decode(errors="replace").split("\n")
            note = " ".join(["pid=%d" % pid] + lines)
            if "READY=1" in lines:
                note += " console=" + console_up(console)
            f.write(note + "\n")
            f.flush()
            if "STOPPING=1" in lines:
                return


main()
