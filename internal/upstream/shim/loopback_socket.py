# A socket module that can only listen on loopback, written for the
# europi-http harness.
#
# The runner puts this module in sys.modules["socket"] before the script is
# imported, so upstream's `import socket` gets it. Whatever host and port a
# script asks for (upstream asks for 0.0.0.0:80), it gets 127.0.0.1 and the
# port the harness chose. Everything else is the real module's.

import socket as _real

for _name in dir(_real):
    if not _name.startswith("__"):
        globals()[_name] = getattr(_real, _name)

# Set by the runner before the script is imported.
PORT = 0

_LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def getaddrinfo(host, port, *args, **kwargs):
    return _real.getaddrinfo("127.0.0.1", PORT, *args, **kwargs)


def _loopback_address():
    return _real.getaddrinfo("127.0.0.1", PORT)[0][-1]


def _is_loopback(address):
    # CPython and MicroPython's lwIP ports give (host, port) tuples;
    # MicroPython's unix port gives a raw sockaddr_in as bytes
    # (family, port, then the IPv4 address at offset 4).
    if isinstance(address, tuple):
        return address[0] in _LOOPBACK_HOSTS or str(address[0]).startswith("127.")
    if isinstance(address, (bytes, bytearray)) and len(address) >= 8:
        return address[4] == 127
    return False


class _GuardedSocket:
    """A real socket whose bind always lands on loopback and whose peers stay there."""

    def __init__(self, *args, **kwargs):
        self._sock = _real.socket(*args, **kwargs)

    def bind(self, address):
        return self._sock.bind(_loopback_address())

    def connect(self, address):
        if not _is_loopback(address):
            raise OSError("europi-http harness: only loopback connections are allowed")
        return self._sock.connect(address)

    def sendto(self, data, address):
        if not _is_loopback(address):
            raise OSError("europi-http harness: only loopback addresses are allowed")
        return self._sock.sendto(data, address)

    # Explicit forwards for what a server uses, so no runtime needs
    # instance __getattr__ on the hot path.
    def setsockopt(self, *args):
        return self._sock.setsockopt(*args)

    def settimeout(self, value):
        return self._sock.settimeout(value)

    def setblocking(self, flag):
        return self._sock.setblocking(flag)

    def listen(self, *args):
        return self._sock.listen(*args)

    def accept(self):
        return self._sock.accept()

    def close(self):
        return self._sock.close()

    def fileno(self):
        return self._sock.fileno()

    def __getattr__(self, name):
        return getattr(self._sock, name)


socket = _GuardedSocket
