from europi import *
from europi_script import EuroPiScript
from experimental.http_server import HttpServer


class Pong(EuroPiScript):
    def __init__(self):
        super().__init__()
        self.server = HttpServer(80)

    def main(self):
        raise Exception("the harness must not call main()")


if __name__ == "__main__":
    Pong().main()
