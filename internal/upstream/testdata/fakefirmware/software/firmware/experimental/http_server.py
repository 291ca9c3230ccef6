# A stand-in for upstream's http_server.py, used only by this package's own
# tests so the runner can be checked without a EuroPi checkout. It is not
# HTTP: it answers "pong:" plus what it read, and raises on "boom" outside
# any handler, the way upstream's error path can.

import socket


class HttpServer:
    def __init__(self, port=80):
        self.socket = socket.socket()
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # Deliberately binds every interface with a plain tuple, bypassing
        # getaddrinfo; the harness must still keep it on loopback.
        self.socket.bind(("0.0.0.0", port))
        self.socket.settimeout(0)
        self.socket.listen(5)

    def check_requests(self):
        try:
            conn, _ = self.socket.accept()
        except OSError:
            return
        try:
            data = conn.recv(1024)
            if data.startswith(b"boom"):
                raise ValueError("boom\nsecond line")
            conn.send(b"pong:" + data)
        finally:
            conn.close()
