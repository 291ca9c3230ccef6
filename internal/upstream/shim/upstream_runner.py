# Runs a EuroPi script's HttpServer on loopback, written for the europi-http
# harness (internal/upstream). Works under CPython 3 and MicroPython's unix
# port.
#
#   upstream_runner.py SHIM_DIR FIRMWARE_DIR APP_MODULE APP_DIR PORT INPUTS_JSON
#
# SHIM_DIR holds this file, the stand-in europi modules and the script as
# module APP_MODULE; APP_DIR (may be empty) is the script's own folder, for
# the modules beside it.
#
# It imports the script without running its main() (a script's main usually
# waits for wifi), creates its EuroPiScript subclass, finds the HttpServer
# among the instance's attributes, prints "READY 127.0.0.1:PORT" on stdout
# and calls check_requests() forever. An exception that escapes
# check_requests() would end the script on a device; here it is reported as
# one "ESCAPED: <type>: <message>" line on stderr and serving goes on.

import sys
import time


def fail(message):
    sys.stderr.write("RUNNER: " + message + "\n")
    sys.exit(2)


def one_line(text):
    return str(text).replace("\r", "\\r").replace("\n", "\\n")


def install_sigterm_exit():
    # CPython would die on SIGTERM without unwinding; exit through
    # SystemExit instead so sockets are closed. MicroPython's unix port has
    # no signal module, and its default SIGTERM action is already an exit.
    try:
        import signal
    except ImportError:
        return

    def on_term(signum, frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, on_term)


def find_script_class(module, base):
    found = []
    for name in dir(module):
        value = getattr(module, name)
        if isinstance(value, type) and value is not base and issubclass(value, base):
            found.append(value)
    if not found:
        fail("the script defines no EuroPiScript subclass")
    if len(found) > 1:
        fail("the script defines several EuroPiScript subclasses: " + ", ".join([c.__name__ for c in found]))
    return found[0]


def find_server(script, module, server_type):
    for owner in (script, module):
        for name in dir(owner):
            if name.startswith("__"):
                continue
            try:
                value = getattr(owner, name)
            except Exception:
                continue
            if isinstance(value, server_type):
                return value
    fail("no HttpServer found among the script's attributes")


def main():
    if len(sys.argv) != 7:
        fail("usage: upstream_runner.py SHIM_DIR FIRMWARE_DIR APP_MODULE APP_DIR PORT INPUTS_JSON")
    shim_dir, firmware, app_module, app_dir, port, inputs = sys.argv[1:7]

    # The stand-ins must win over the firmware's own europi modules, which
    # need real hardware; the script's folder comes last so it cannot shadow
    # either.
    path = [shim_dir, firmware]
    if app_dir:
        path.append(app_dir)
    for entry in sys.path:
        if entry not in path:
            path.append(entry)
    while sys.path:
        sys.path.pop()
    for entry in path:
        sys.path.append(entry)

    import json
    import loopback_socket

    loopback_socket.PORT = int(port)
    sys.modules["socket"] = loopback_socket

    import europi

    europi._set_inputs(json.loads(inputs))

    install_sigterm_exit()

    from europi_script import EuroPiScript
    from experimental.http_server import HttpServer

    module = __import__(app_module)
    script = find_script_class(module, EuroPiScript)()
    server = find_server(script, module, HttpServer)

    sys.stdout.write("READY 127.0.0.1:%d\n" % int(port))
    try:
        sys.stdout.flush()
    except AttributeError:
        pass

    while True:
        try:
            server.check_requests()
        except Exception as err:
            sys.stderr.write("ESCAPED: %s: %s\n" % (type(err).__name__, one_line(err)))
        time.sleep(0.001)


main()
