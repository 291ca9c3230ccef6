# europi-http load script: what a script's main loop costs on the emulator.
#
#   europi-http run emulator/pyrun/testdata/scripts/loop_rate.py \
#       --firmware emulator/pyrun/testdata/firmware --no-dashboard
#
# (or --firmware a EuroPi checkout, to add the firmware's own knob and
# output calls). Each line runs one loop body for a second and prints its
# rate; reads are local, a changed PWM duty or OLED frame is one message
# on the panel's channel.
import time
from machine import ADC, I2C, PWM, Pin
import ssd1306


def rate(name, body, seconds=1.0):
    n = 0
    start = time.ticks_us()
    while time.ticks_diff(time.ticks_us(), start) < seconds * 1_000_000:
        body(n)
        n += 1
    took = time.ticks_diff(time.ticks_us(), start)
    print("%-44s %10d loops/s %9.2f us/loop" % (name, n * 1_000_000 // took, took / n))


k1 = ADC(Pin(27))
b1 = Pin(4, Pin.IN)
pwm = PWM(Pin(21))
oled = ssd1306.SSD1306_I2C(128, 32, I2C(0))

rate("empty loop", lambda n: None)
rate("ADC.read_u16 (knob, local)", lambda n: k1.read_u16())
rate("Pin.value (button, local)", lambda n: b1.value())
rate("PWM.duty_u16, same duty (no message)", lambda n: pwm.duty_u16(1000))
rate("PWM.duty_u16, new duty (one message)", lambda n: pwm.duty_u16(n & 0xFFFF))
rate("show(), same frame (no message)", lambda n: oled.show())


def draw(n):
    oled.pixel(n & 127, 0, (n >> 7) & 1)
    oled.show()


rate("pixel + show(), new frame (512-byte message)", draw)

try:
    from europi import cv1, k1 as knob
except ImportError:
    knob = None
if knob is not None:
    rate("firmware: cv1.voltage(k1.percent() * 10)", lambda n: cv1.voltage(knob.percent() * 10))
