# europi-http test script: a periodic machine.Timer, which the stand-in
# runs on a thread of its own.
from machine import Timer

Timer(period=10, callback=lambda timer: None)
