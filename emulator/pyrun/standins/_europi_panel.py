# europi-http: the interpreter's end of the channel to the emulator's panel.
#
# The stand-ins (machine, ssd1306) read inputs from this module and send
# outputs through it. The messages are described in CHANNEL.md beside the
# Go code that embeds this file. Inputs arrive from the emulator and are
# kept here, so reading a knob or a button costs a dictionary lookup, not a
# round trip; outputs are sent only when they change.

import sys

try:
    import _thread
except ImportError:
    _thread = None

# Message kinds, one byte each.
HELLO = 0x48  # H: secret and interpreter, the first message
DUTY = 0x50  # P: pin, 16-bit PWM duty
FRAME = 0x46  # F: the OLED's 512-byte frame
LISTEN = 0x4C  # L: device port, real port
STARTED = 0x53  # S: the script imported; its main loop starts
NOT_IMPORTED = 0x4E  # N: a plain module's top level failed on an import
IRQ = 0x49  # I: pin, trigger: a Pin.irq handler was set (trigger 0: removed)
ANALOGUE = 0x41  # A: pin, 16-bit ADC reading
DIGITAL = 0x44  # D: pin, level 0 or 1
READY = 0x52  # R: the inputs' first values have all arrived

IRQ_FALLING = 4
IRQ_RISING = 8

# The inputs as the emulator last set them: pin -> value.
adc = {}
level = {}
# The handlers Pin.irq registered: pin -> (handler, trigger, pin object).
irqs = {}

_sock = None
_send_lock = None
_irq_lock = None
_buf = b""
_pending = []  # edges to deliver, when no thread delivers them
_last_duty = {}
_last_frame = None


def _print_exception(err):
    if hasattr(sys, "print_exception"):
        sys.print_exception(err)
    else:
        import traceback

        traceback.print_exception(type(err), err, err.__traceback__)


def connect(port, secret, interpreter):
    """Connect to the emulator and wait for the inputs' first values."""
    global _sock, _send_lock, _irq_lock
    import socket

    s = socket.socket()
    s.connect(socket.getaddrinfo("127.0.0.1", port)[0][-1])
    try:
        s.setsockopt(6, 1, 1)  # IPPROTO_TCP, TCP_NODELAY: small messages go at once
    except Exception:
        pass
    _sock = s
    if _thread:
        _send_lock = _thread.allocate_lock()
        _irq_lock = _thread.allocate_lock()
    send(HELLO, (secret + " " + interpreter).encode())
    while not _receive(True):
        pass
    if _thread:
        _thread.start_new_thread(_reader, ())
    else:
        s.setblocking(False)


def send(kind, payload):
    n = len(payload)
    data = bytes((kind, n >> 8, n & 0xFF)) + payload
    if _send_lock:
        _send_lock.acquire()
    try:
        while data:
            sent = _sock.send(data)
            data = data[sent:]
    finally:
        if _send_lock:
            _send_lock.release()


def send_duty(pin, duty):
    if _last_duty.get(pin) == duty:
        return
    _last_duty[pin] = duty
    send(DUTY, bytes((pin, duty >> 8, duty & 0xFF)))


def send_frame(frame):
    global _last_frame
    frame = bytes(frame)
    if frame == _last_frame:
        return
    _last_frame = frame
    send(FRAME, frame)


def _receive(blocking):
    """Read what has arrived and apply it; True once READY was seen."""
    global _buf
    try:
        data = _sock.recv(4096)
    except OSError:
        if blocking:
            raise
        return False
    if not data:
        raise OSError("europi-http: the emulator closed the panel's channel")
    _buf += data
    ready = False
    while len(_buf) >= 3:
        n = (_buf[1] << 8) | _buf[2]
        if len(_buf) < 3 + n:
            break
        kind, payload = _buf[0], _buf[3 : 3 + n]
        _buf = _buf[3 + n :]
        if kind == ANALOGUE:
            adc[payload[0]] = (payload[1] << 8) | payload[2]
        elif kind == DIGITAL:
            _set_level(payload[0], payload[1])
        elif kind == READY:
            ready = True
    return ready


def _set_level(pin, value):
    old = level.get(pin, 1)
    level[pin] = value
    if old == value or pin not in irqs:
        return
    edge = IRQ_RISING if value else IRQ_FALLING
    if _thread:
        _deliver(pin, edge)
    else:
        _pending.append((pin, edge))


def _deliver(pin, edge):
    entry = irqs.get(pin)
    if entry is None or not entry[1] & edge:
        return
    handler, _, obj = entry
    if _irq_lock:
        _irq_lock.acquire()
    try:
        handler(obj)
    except Exception as err:
        print("Unhandled exception in IRQ callback handler")
        _print_exception(err)
    finally:
        if _irq_lock:
            _irq_lock.release()


def _reader():
    # Inputs and IRQs arrive here, as interrupts would on the module.
    try:
        while True:
            _receive(True)
    except Exception as err:
        print("europi-http: the panel's channel failed:", err)


def poll():
    """Without threads: take in what arrived and run the IRQs it caused."""
    if _thread or _sock is None:
        return
    try:
        _receive(False)
    except OSError:
        pass
    while _pending:
        pin, edge = _pending.pop(0)
        _deliver(pin, edge)
