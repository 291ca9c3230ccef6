# europi-http test script, for a checkout's real firmware: the firmware's
# own Display.centre_text draws the text http_control shows once its wifi
# is up (the default SSID, the loopback address, "Connected"), so a test
# can compare http_control's OLED with it pixel for pixel. cv6's duty
# 12345 then says the frame has been sent (the channel keeps order).
import time
from europi import oled
from machine import PWM, Pin

oled.centre_text("EuroPi\n127.0.0.1\nConnected")
PWM(Pin(19)).duty_u16(12345)
while True:
    time.sleep_ms(100)
