# europi-http test script: a server on the device's port 80, reached
# through the port the emulator chose; it answers "pong" and the address
# the wifi reports.
import socket
import network

address = network.WLAN().ifconfig()[0]
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(socket.getaddrinfo("0.0.0.0", 80)[0][-1])
s.listen(5)
while True:
    conn, _ = s.accept()
    conn.recv(1024)
    conn.send(b"pong " + address.encode())
    conn.close()
