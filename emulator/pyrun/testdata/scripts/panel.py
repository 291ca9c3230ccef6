# europi-http test script: the panel through machine, ssd1306 and network.
#
# Every edge of b1 (GPIO 4) counts, and cv1 (GPIO 21) shows the count as
# its duty; cv2 (GPIO 20) follows k1's ADC (GPIO 27); the OLED shows a
# filled box and "OK" once wifi reports itself up.
import time
from machine import ADC, I2C, PWM, Pin
import network
import ssd1306

edges = [0]
cv1 = PWM(Pin(21))
cv2 = PWM(Pin(20))


def on_edge(pin):
    edges[0] += 1
    cv1.duty_u16(edges[0])


b1 = Pin(4, Pin.IN)
b1.irq(handler=on_edge, trigger=Pin.IRQ_FALLING | Pin.IRQ_RISING)
k1 = ADC(Pin(27))

wlan = network.WLAN(network.WLAN.IF_STA)
wlan.active(True)
assert wlan.isconnected() and wlan.status() == network.STAT_GOT_IP
print("address", wlan.ifconfig()[0])

oled = ssd1306.SSD1306_I2C(128, 32, I2C(0))
oled.fill(0)
oled.fill_rect(0, 0, 8, 8, 1)
oled.text("OK", 16, 0)
oled.show()

start = time.ticks_ms()
while True:
    cv2.duty_u16(k1.read_u16())
    time.sleep_ms(1)
