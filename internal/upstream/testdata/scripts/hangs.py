import time
from europi_script import EuroPiScript


class Hangs(EuroPiScript):
    def __init__(self):
        super().__init__()
        while True:
            time.sleep(0.05)
