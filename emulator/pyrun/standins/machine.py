# europi-http's stand-in for MicroPython's machine module on the RP2040,
# written from MicroPython's documentation of machine. Pins, ADCs and PWM
# outputs are the emulator's panel: ADC.read_u16 and Pin.value read what
# the panel's knobs, buttons and inputs are set to, PWM.duty_u16 on a CV
# pin moves the panel's CV, and Pin.irq handlers run when the panel's
# button or digital input changes.

import _europi_panel as _panel

try:
    import _thread
except ImportError:
    _thread = None

import time as _time

_CPU_FREQ = [125_000_000]

# ADC channels 0..3 are GPIO 26..29; channel 4 is the temperature sensor.
_ADC_CHANNEL_PINS = (26, 27, 28, 29)
_TEMPERATURE = 4
# The sensor's 0.706 V at 27 °C, read against the 3.3 V reference.
_TEMPERATURE_READING = 14020


def _pin_id(pin):
    if isinstance(pin, Pin):
        return pin.id
    if isinstance(pin, str) and pin.startswith("GPIO"):
        return int(pin[4:])
    return pin


class Pin:
    IN = 0
    OUT = 1
    OPEN_DRAIN = 2
    ALT = 3
    PULL_UP = 1
    PULL_DOWN = 2
    IRQ_FALLING = _panel.IRQ_FALLING
    IRQ_RISING = _panel.IRQ_RISING
    IRQ_LOW_LEVEL = 1
    IRQ_HIGH_LEVEL = 2

    def __init__(self, id, mode=-1, pull=-1, *, value=None, drive=0, alt=-1):
        self.id = _pin_id(id)
        self._mode = mode
        self._out = 0
        if value is not None:
            self._out = 1 if value else 0

    def init(self, mode=-1, pull=-1, *, value=None, drive=0, alt=-1):
        if mode != -1:
            self._mode = mode
        if value is not None:
            self._out = 1 if value else 0

    def value(self, x=None):
        if x is not None:
            self._out = 1 if x else 0
            return None
        _panel.poll()
        if self._mode == Pin.OUT:
            return self._out
        return _panel.level.get(self.id, 1)

    def __call__(self, x=None):
        return self.value(x)

    def on(self):
        self._out = 1

    def off(self):
        self._out = 0

    def high(self):
        self._out = 1

    def low(self):
        self._out = 0

    def toggle(self):
        self._out ^= 1

    def irq(self, handler=None, trigger=IRQ_FALLING | IRQ_RISING, *, priority=1, wake=None, hard=False):
        if handler is None:
            _panel.irqs.pop(self.id, None)
            trigger = 0
        else:
            _panel.irqs[self.id] = (handler, trigger, self)
        _panel.send(_panel.IRQ, bytes((self.id, trigger)))
        return None

    def __repr__(self):
        return "Pin(GPIO%d)" % self.id


class Signal:
    def __init__(self, pin, *args, invert=False, **kwargs):
        self._pin = pin if isinstance(pin, Pin) else Pin(pin, *args, **kwargs)
        self._invert = invert

    def value(self, x=None):
        if x is None:
            return self._pin.value() ^ self._invert
        self._pin.value((1 if x else 0) ^ self._invert)

    def on(self):
        self.value(1)

    def off(self):
        self.value(0)


class ADC:
    CORE_TEMP = _TEMPERATURE

    def __init__(self, pin, *, atten=None):
        pin = _pin_id(pin)
        if isinstance(pin, int) and 0 <= pin < len(_ADC_CHANNEL_PINS):
            pin = _ADC_CHANNEL_PINS[pin]
        self._pin = pin

    def read_u16(self):
        _panel.poll()
        if self._pin == _TEMPERATURE:
            return _TEMPERATURE_READING
        return _panel.adc.get(self._pin, 0)


class PWM:
    def __init__(self, dest, *, freq=None, duty_u16=None, duty_ns=None, invert=False):
        self._pin = _pin_id(dest)
        self._freq = 1000
        self._duty = 0
        self.init(freq=freq, duty_u16=duty_u16, duty_ns=duty_ns)

    def init(self, *, freq=None, duty_u16=None, duty_ns=None, invert=False):
        if freq is not None:
            self.freq(freq)
        if duty_u16 is not None:
            self.duty_u16(duty_u16)
        if duty_ns is not None:
            self.duty_ns(duty_ns)

    def deinit(self):
        self.duty_u16(0)

    def freq(self, value=None):
        if value is None:
            return self._freq
        self._freq = int(value)

    def duty_u16(self, value=None):
        if value is None:
            return self._duty
        value = int(value)
        if value < 0 or value > 65535:
            raise ValueError("duty_u16 must be from 0 to 65535")
        self._duty = value
        _panel.send_duty(self._pin, value)

    def duty_ns(self, value=None):
        period = 1_000_000_000 // self._freq
        if value is None:
            return self._duty * period // 65535
        self.duty_u16(min(65535, int(value) * 65535 // period))


class I2C:
    def __init__(self, id=0, *, scl=None, sda=None, freq=400_000, timeout=50_000):
        self._id = id

    def init(self, *args, **kwargs):
        pass

    def deinit(self):
        pass

    def scan(self):
        # The OLED answers at 0x3C; nothing else is on the bus.
        return [0x3C]

    def writeto(self, addr, buf, stop=True):
        return len(buf)

    def writevto(self, addr, vector, stop=True):
        return sum(len(b) for b in vector)

    def readfrom(self, addr, nbytes, stop=True):
        return bytes(nbytes)

    def readfrom_into(self, addr, buf, stop=True):
        for i in range(len(buf)):
            buf[i] = 0

    def writeto_mem(self, addr, memaddr, buf, *, addrsize=8):
        pass

    def readfrom_mem(self, addr, memaddr, nbytes, *, addrsize=8):
        return bytes(nbytes)

    def readfrom_mem_into(self, addr, memaddr, buf, *, addrsize=8):
        for i in range(len(buf)):
            buf[i] = 0


class SoftI2C(I2C):
    pass


class Timer:
    ONE_SHOT = 0
    PERIODIC = 1

    def __init__(self, id=-1, *, mode=PERIODIC, freq=-1, period=-1, callback=None):
        self._generation = 0
        if callback is not None:
            self.init(mode=mode, freq=freq, period=period, callback=callback)

    def init(self, *, mode=PERIODIC, freq=-1, period=-1, callback=None):
        self.deinit()
        if freq > 0:
            period = 1000 / freq
        if callback is None or period < 0:
            return
        if _thread is None:
            raise OSError("europi-http: machine.Timer needs _thread in this interpreter")
        generation = self._generation
        _thread.start_new_thread(self._run, (generation, mode, period, callback))

    def _run(self, generation, mode, period, callback):
        while self._generation == generation:
            _time.sleep_ms(int(period))
            if self._generation != generation:
                return
            try:
                callback(self)
            except Exception as err:
                print("Unhandled exception in Timer callback")
                _panel._print_exception(err)
            if mode == Timer.ONE_SHOT:
                return

    def deinit(self):
        self._generation += 1


class WDT:
    def __init__(self, id=0, timeout=5000):
        pass

    def feed(self):
        pass


class _Memory:
    def __init__(self):
        self._words = {}

    def __getitem__(self, addr):
        return self._words.get(addr, 0)

    def __setitem__(self, addr, value):
        self._words[addr] = value


mem8 = _Memory()
mem16 = _Memory()
mem32 = _Memory()

PWRON_RESET = 1
WDT_RESET = 3


def freq(hz=None):
    if hz is None:
        return _CPU_FREQ[0]
    _CPU_FREQ[0] = int(hz)


def reset():
    # The module would reboot; here the script ends and the run's exit code
    # says why.
    raise SystemExit("machine.reset()")


def soft_reset():
    reset()


def reset_cause():
    return PWRON_RESET


def unique_id():
    return b"europi\x00\x01"


def idle():
    pass


def lightsleep(ms=None):
    if ms:
        _time.sleep_ms(ms)


deepsleep = lightsleep


def disable_irq():
    return 0


def enable_irq(state=0):
    pass


def bootloader(*args):
    reset()


def time_pulse_us(pin, pulse_level, timeout_us=1_000_000):
    return -1
