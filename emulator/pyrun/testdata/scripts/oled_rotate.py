# europi-http test script: the OLED turned by 180° through the ssd1306
# stand-in. It shows a picture a turn changes, then, at each press of b1
# (GPIO 4), the next step; cv1's duty (GPIO 21) says which step's frame is
# on the panel (the channel keeps order): 1 the picture, 2 turned by the
# driver's rotate(0) (what europi_display's rotate(True) sends), 3 turned
# and inverted, 4 back with rotate(1) and invert(0).
import time
from machine import I2C, PWM, Pin
import ssd1306

cv1 = PWM(Pin(21))
presses = [0]


def on_press(pin):
    presses[0] += 1


Pin(4, Pin.IN).irq(handler=on_press, trigger=Pin.IRQ_FALLING)


def step(n):
    cv1.duty_u16(n)
    while presses[0] < n:
        time.sleep_ms(1)


oled = ssd1306.SSD1306_I2C(128, 32, I2C(0))
oled.fill(0)
oled.fill_rect(0, 0, 10, 3, 1)
oled.vline(20, 5, 20, 1)
oled.hline(40, 16, 30, 1)
oled.pixel(126, 30, 1)
oled.pixel(127, 12, 1)
oled.show()
step(1)
oled.rotate(0)
oled.show()
step(2)
oled.invert(1)
oled.show()
step(3)
oled.rotate(1)
oled.invert(0)
oled.show()
cv1.duty_u16(4)
while True:
    time.sleep_ms(100)
