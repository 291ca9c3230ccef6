# europi-http: the time module the script sees. Everything is the
# interpreter's own, except that the ticks_* clocks start at 0 when the
# interpreter does, as they start at boot on the module (so a debounce that
# compares with a timestamp of 0 behaves as on the module), and wrap as
# MicroPython's do. Under CPython the MicroPython-only names are added.

import time as _real

for _name in dir(_real):
    if not _name.startswith("__"):
        globals()[_name] = getattr(_real, _name)

_PERIOD = 1 << 30
_HALF = _PERIOD // 2

if hasattr(_real, "ticks_us"):
    _start_us = _real.ticks_us()
    _start_ms = _real.ticks_ms()

    def ticks_ms():
        return _real.ticks_diff(_real.ticks_ms(), _start_ms) & (_PERIOD - 1)

    def ticks_us():
        return _real.ticks_diff(_real.ticks_us(), _start_us) & (_PERIOD - 1)

else:
    _start_ns = _real.monotonic_ns()

    def ticks_ms():
        return ((_real.monotonic_ns() - _start_ns) // 1_000_000) & (_PERIOD - 1)

    def ticks_us():
        return ((_real.monotonic_ns() - _start_ns) // 1_000) & (_PERIOD - 1)

    def ticks_cpu():
        return ticks_us()

    def sleep_ms(ms):
        if ms > 0:
            _real.sleep(ms / 1000)

    def sleep_us(us):
        if us > 0:
            _real.sleep(us / 1_000_000)


def ticks_add(ticks, delta):
    return (ticks + delta) & (_PERIOD - 1)


def ticks_diff(ticks1, ticks2):
    return ((ticks1 - ticks2 + _HALF) & (_PERIOD - 1)) - _HALF
