# Reports the stand-in hardware's state in its constructor so a test can
# check what Config.Inputs and the output arithmetic give.
import json
import sys

from europi import *
from europi_script import EuroPiScript
from experimental.http_server import HttpServer


class Inputs(EuroPiScript):
    def __init__(self):
        super().__init__()
        cv1.voltage(7.071)
        cv2.voltage(12)
        cv3.voltage(-1)
        cv4.on()
        state = {
            "k1": k1.percent(),
            "k2": k2.percent(),
            "ain": ain.read_voltage(),
            "din": din.value(),
            "b1": b1.value(),
            "b2": b2.value(),
            "cv": [cv.voltage() for cv in cvs],
            "num_cvs": NUM_CVS,
        }
        sys.stderr.write("STATE " + json.dumps(state) + "\n")
        log_info("logged", "inputs")
        self.server = HttpServer(80)
