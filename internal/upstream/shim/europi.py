# Stand-in for EuroPi's europi module, written for the europi-http harness.
#
# A script does `from europi import *` and gets the jacks, knobs and buttons
# of the module. Here there is no hardware: inputs hold the values the
# harness was given (Config.Inputs in Go), and outputs keep the duty cycle the
# real module would write to its PWM pin, so reading an output back gives the
# same number a Pico would report with the default calibration.

from europi_log import *

HIGH = 1
LOW = 0

MAX_UINT16 = 65535
NUM_CVS = 6

# Defaults of europi_config; the harness runs without a config file.
MIN_OUTPUT_VOLTAGE = 0
MAX_OUTPUT_VOLTAGE = 10.0
MIN_INPUT_VOLTAGE = 0
MAX_INPUT_VOLTAGE = 10.0
GATE_VOLTAGE = 5.0

# Duty cycle at 0 V, 1 V, ... 10 V: the firmware's fallback when no
# calibration has been run, which is what a fresh module uses.
_DEFAULT_CALIBRATION = [0, 6300, 12575, 19150, 25375, 31625, 38150, 44225, 50525, 56950, 63475]
OUTPUT_CALIBRATION_VALUES = [_DEFAULT_CALIBRATION] * NUM_CVS

OLED_WIDTH = 128
OLED_HEIGHT = 32
CHAR_WIDTH = 8
CHAR_HEIGHT = 8


def clamp(value, low, high):
    # min first, then max: the same order as the firmware, so odd values
    # (None, strings) fail with the same exception type.
    return max(min(value, high), low)


class Output:
    """A CV output: volts in, PWM duty cycle kept, volts read back from the duty."""

    def __init__(self, calibration_values=_DEFAULT_CALIBRATION):
        self.MIN_VOLTAGE = MIN_OUTPUT_VOLTAGE
        self.MAX_VOLTAGE = MAX_OUTPUT_VOLTAGE
        self.gate_voltage = GATE_VOLTAGE
        self._calibration_values = calibration_values
        # Steps between calibration points; the last step repeats so that
        # exactly 10 V (index 10) still has one.
        steps = []
        for i in range(len(calibration_values) - 1):
            steps.append(calibration_values[i + 1] - calibration_values[i])
        steps.append(steps[-1])
        self._gradients = steps
        self._duty = 0
        self.pin_duty = 0

    def _set_duty(self, cycle):
        # Quirk: the firmware truncates the duty with int() and remembers it
        # unclamped (only the pin gets 0..65535), and voltage() reads back
        # from that number, so a read-back is a little below what was set.
        cycle = int(cycle)
        self.pin_duty = clamp(cycle, 0, MAX_UINT16)
        self._duty = cycle

    def voltage(self, voltage=None):
        if voltage is None:
            return self._duty / MAX_UINT16 * self.MAX_VOLTAGE
        voltage = clamp(voltage, self.MIN_VOLTAGE, self.MAX_VOLTAGE)
        index = int(voltage // 1)
        fraction = voltage % 1
        self._set_duty(self._calibration_values[index] + self._gradients[index] * fraction)

    def on(self):
        self.voltage(self.gate_voltage)

    def off(self):
        self._set_duty(0)

    def toggle(self):
        if self._duty > 500:
            self.off()
        else:
            self.on()

    def value(self, value):
        if value:
            self.on()
        else:
            self.off()


class Knob:
    """A knob whose position is whatever the harness set (0.0 fully left, 1.0 fully right)."""

    def __init__(self):
        self._percent = 0.0

    def percent(self, samples=None, deadzone=None):
        return self._percent

    def range(self, steps=100, samples=None, deadzone=None):
        position = self.percent()
        if position >= 1.0:
            return steps - 1
        return int(position * steps)

    def read_position(self, steps=100, samples=None, deadzone=None):
        return self.range(steps)

    def choice(self, values, samples=None, deadzone=None):
        position = self.percent()
        if position >= 1.0:
            return values[-1]
        return values[int(position * len(values))]


class AnalogueInput(Knob):
    """The analogue input jack, holding a voltage set by the harness."""

    def __init__(self):
        Knob.__init__(self)
        self._volts = 0.0
        self.MIN_VOLTAGE = MIN_INPUT_VOLTAGE
        self.MAX_VOLTAGE = MAX_INPUT_VOLTAGE

    def percent(self, samples=None, deadzone=None):
        return self._volts / self.MAX_VOLTAGE

    def read_voltage(self, samples=None):
        return self._volts


class DigitalInput:
    """A gate input or button: value() is 1 while it is high or pressed."""

    def __init__(self):
        self._value = LOW
        self._rising = None
        self._falling = None

    def value(self):
        return self._value

    def handler(self, func):
        if not callable(func):
            raise ValueError("handler must be callable")
        self._rising = func

    def handler_falling(self, func):
        if not callable(func):
            raise ValueError("handler must be callable")
        self._falling = func

    def reset_handler(self):
        self._rising = None
        self._falling = None

    def last_triggered(self):
        return 0

    def last_pressed(self):
        return 0


class _Display:
    """A display that draws nothing; scripts may call it freely."""

    width = OLED_WIDTH
    height = OLED_HEIGHT

    def _nothing(self, *args, **kwargs):
        return None

    fill = text = show = centre_text = rect = fill_rect = _nothing
    hline = vline = line = pixel = blit = scroll = invert = _nothing
    contrast = poweroff = poweron = ellipse = poly = _nothing


class _Thermometer:
    def read_temperature(self):
        return None


class _UsbConnection:
    def value(self):
        return 0


class WifiError(Exception):
    pass


din = DigitalInput()
ain = AnalogueInput()
k1 = Knob()
k2 = Knob()
b1 = DigitalInput()
b2 = DigitalInput()

cv1 = Output(OUTPUT_CALIBRATION_VALUES[0])
cv2 = Output(OUTPUT_CALIBRATION_VALUES[1])
cv3 = Output(OUTPUT_CALIBRATION_VALUES[2])
cv4 = Output(OUTPUT_CALIBRATION_VALUES[3])
cv5 = Output(OUTPUT_CALIBRATION_VALUES[4])
cv6 = Output(OUTPUT_CALIBRATION_VALUES[5])
cvs = [cv1, cv2, cv3, cv4, cv5, cv6]

oled = _Display()
thermometer = _Thermometer()
usb_connected = _UsbConnection()

# No network on the harness: scripts that need wifi see what a module
# without a wifi chip sees.
wifi_connection = None


def turn_off_all_cvs():
    for cv in cvs:
        cv.off()


def reset_state():
    for button in (b1, b2, din):
        button.reset_handler()
    turn_off_all_cvs()


def _set_inputs(values):
    """Sets the input state; called by the harness before the script is imported."""
    k1._percent = float(values.get("k1", 0.0))
    k2._percent = float(values.get("k2", 0.0))
    ain._volts = float(values.get("ain", 0.0))
    din._value = int(values.get("din", LOW))
    b1._value = int(values.get("b1", LOW))
    b2._value = int(values.get("b2", LOW))
