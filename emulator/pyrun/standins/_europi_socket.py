# europi-http: the socket module the script sees. It is the interpreter's
# own, except that a server's bind lands on loopback: the first TCP server
# the script binds (its HttpServer) gets the port the emulator chose, which
# the emulator relays from --listen, and any other bind gets a free
# loopback port. The emulator is told the port the script asked for.

import socket as _real
import _europi_panel as _panel

for _name in dir(_real):
    if not _name.startswith("__"):
        globals()[_name] = getattr(_real, _name)

# Set by the bootstrap: where the script's HTTP server really listens.
DEVICE_PORT = 0
_claimed = [False]


def _port_of(address):
    # CPython gives (host, port); MicroPython's unix port a raw sockaddr_in
    # whose port is bytes 2 and 3, big-endian.
    if isinstance(address, tuple):
        return address[1]
    if isinstance(address, (bytes, bytearray)) and len(address) >= 4:
        return (address[2] << 8) | address[3]
    return 0


class socket:
    def __init__(self, af=_real.AF_INET, type=_real.SOCK_STREAM, proto=0, *args):
        self._sock = _real.socket(af, type, proto, *args)
        self._stream = type == _real.SOCK_STREAM

    def bind(self, address):
        asked = _port_of(address)
        port = 0
        if self._stream and not _claimed[0]:
            _claimed[0] = True
            port = DEVICE_PORT
        result = self._sock.bind(_real.getaddrinfo("127.0.0.1", port)[0][-1])
        if port:
            _panel.send(_panel.LISTEN, bytes((asked >> 8, asked & 0xFF, port >> 8, port & 0xFF)))
        return result

    # Everything else is the real socket's.
    def __getattr__(self, name):
        return getattr(self._sock, name)

    def __enter__(self):
        return self

    def __exit__(self, *args):
        self.close()
