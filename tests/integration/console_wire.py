# SPDX-License-Identifier: Apache-2.0
# The console's wire for the hostile console client: a small msgpack coder
# (the types the console uses, plus raw and invalid values) and a framed
# connection to a node's console.sock. Python standard library only.
import os
import socket
import struct

TIMEOUT = float(os.environ.get("HOSTILE_TIMEOUT", "20"))

# ---- msgpack, just the types the console uses ----

def pack(v):
    if v is None:
        return b"\xc0"
    if v is True:
        return b"\xc3"
    if v is False:
        return b"\xc2"
    if isinstance(v, int):
        if 0 <= v < 0x80:
            return bytes([v])
        if -32 <= v < 0:
            return struct.pack("b", v)
        if v >= 0:
            return b"\xcf" + struct.pack(">Q", v)
        return b"\xd3" + struct.pack(">q", v)
    if isinstance(v, Raw):
        return v.data
    if isinstance(v, str):
        v = RawStr(v.encode())
    if isinstance(v, RawStr):
        n = len(v.data)
        if n < 32:
            return bytes([0xA0 | n]) + v.data
        if n < 0x100:
            return b"\xd9" + bytes([n]) + v.data
        if n < 0x10000:
            return b"\xda" + struct.pack(">H", n) + v.data
        return b"\xdb" + struct.pack(">I", n) + v.data
    if isinstance(v, (bytes, bytearray)):
        return b"\xc6" + struct.pack(">I", len(v)) + bytes(v)
    if isinstance(v, (list, tuple)):
        return b"\xdd" + struct.pack(">I", len(v)) + b"".join(pack(x) for x in v)
    if isinstance(v, dict):
        out = [b"\xdf" + struct.pack(">I", len(v))]
        for k, x in v.items():
            out.append(pack(k) + pack(x))
        return b"".join(out)
    raise TypeError(type(v))


class RawStr:
    """A msgpack str whose bytes are given as is (may be invalid UTF-8)."""

    def __init__(self, data):
        self.data = data


class Raw:
    """Bytes spliced into the encoding unchanged."""

    def __init__(self, data):
        self.data = data


class Decoder:
    def __init__(self, data):
        self.d = data
        self.i = 0

    def take(self, n):
        if self.i + n > len(self.d):
            raise ValueError("truncated msgpack")
        b = self.d[self.i:self.i + n]
        self.i += n
        return b

    def uint(self, n):
        return int.from_bytes(self.take(n), "big")

    def value(self):
        t = self.take(1)[0]
        if t <= 0x7F:
            return t
        if t >= 0xE0:
            return t - 0x100
        if 0x80 <= t <= 0x8F:
            return self.map(t & 0x0F)
        if 0x90 <= t <= 0x9F:
            return [self.value() for _ in range(t & 0x0F)]
        if 0xA0 <= t <= 0xBF:
            return self.str(t & 0x1F)
        simple = {0xC0: None, 0xC2: False, 0xC3: True}
        if t in simple:
            return simple[t]
        if t in (0xCC, 0xCD, 0xCE, 0xCF):
            return self.uint(1 << (t - 0xCC))
        if t in (0xD0, 0xD1, 0xD2, 0xD3):
            n = 1 << (t - 0xD0)
            return int.from_bytes(self.take(n), "big", signed=True)
        if t in (0xD9, 0xDA, 0xDB):
            return self.str(self.uint(1 << (t - 0xD9)))
        if t in (0xC4, 0xC5, 0xC6):
            return bytes(self.take(self.uint(1 << (t - 0xC4))))
        if t in (0xDC, 0xDD):
            return [self.value() for _ in range(self.uint(2 if t == 0xDC else 4))]
        if t in (0xDE, 0xDF):
            return self.map(self.uint(2 if t == 0xDE else 4))
        raise ValueError("msgpack type 0x%02x not handled" % t)

    def str(self, n):
        return self.take(n).decode("utf-8", "backslashreplace")

    def map(self, n):
        out = {}
        for _ in range(n):
            k = self.value()
            out[k] = self.value()
        return out


def unpack(data):
    d = Decoder(data)
    v = d.value()
    if d.i != len(data):
        raise ValueError("%d bytes after the msgpack value" % (len(data) - d.i))
    return v


# ---- the connection ----

def frame(body):
    return struct.pack(">I", len(body)) + body


class Console:
    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.settimeout(TIMEOUT)
        self.s.connect(path)
        self.buf = b""

    def send(self, data):
        try:
            self.s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the node may close as soon as it has seen enough

    def fill(self):
        """Read more bytes; False at end of stream."""
        try:
            chunk = self.s.recv(65536)
        except ConnectionResetError:
            return False
        if not chunk:
            return False
        self.buf += chunk
        return True

    def reply(self):
        """The next reply frame decoded, or None if the node closed first."""
        while len(self.buf) < 4:
            if not self.fill():
                return None
        n = struct.unpack(">I", self.buf[:4])[0]
        if n == 0 or n > 16 << 20:
            raise AssertionError("reply frame header announces %d bytes" % n)
        while len(self.buf) < 4 + n:
            if not self.fill():
                raise AssertionError("reply frame cut short")
        body, self.buf = self.buf[4:4 + n], self.buf[4 + n:]
        return unpack(body)

    def closed_by_node(self):
        """True once the node closes without sending anything more."""
        while True:
            if not self.fill():
                return not self.buf
            if len(self.buf) > 4 << 20:
                return False

    def close(self):
        self.s.close()
