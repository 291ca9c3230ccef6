# europi-http: starts a EuroPi script on the emulator's panel.
#
#   INTERPRETER _europi_boot.py STANDINS FIRMWARE SCRIPT PANEL_PORT DEVICE_PORT
#
# with the channel's secret in $EUROPI_HTTP_SECRET and the run's folder (the
# module's flash) as the working folder. It puts the stand-ins ahead of the
# firmware on the module path, connects to the panel, imports SCRIPT (a .py
# file) and starts it as EuroPi's menu does: a script with a EuroPiScript
# subclass is constructed and its main() called; any other runs as
# __main__. A script that does not import exits with code 2 before the
# STARTED message, and so does a plain module whose top level fails on an
# import statement (after STARTED: it sends NOT_IMPORTED first); otherwise
# an exception ends the interpreter with its own traceback and exit code.

import sys


def _path_setup(standins, firmware, script_dir):
    path = [standins]
    if sys.implementation.name != "micropython":
        path.append(standins + "/cpython")
    path.append(firmware)
    # Beside the firmware's folder lies the checkout's software/, whose
    # contrib/ and tools/ a script may import as packages.
    software = firmware.rsplit("/", 1)[0]
    for extra in (script_dir, software):
        if extra and extra not in path:
            path.append(extra)
    for entry in sys.path:
        if entry not in path and entry != "" and entry != standins:
            path.append(entry)
    while sys.path:
        sys.path.pop()
    for entry in path:
        sys.path.append(entry)


def _cpython_setup():
    # CPython plays the module's interpreter: the firmware asks
    # sys.implementation whether it runs on the module, and uses names only
    # MicroPython has.
    import gc
    import traceback

    sys.implementation.name = "micropython"

    def print_exception(err, file=sys.stderr):
        traceback.print_exception(type(err), err, err.__traceback__, file=file)

    sys.print_exception = print_exception
    gc.mem_free = lambda: 200_000
    gc.mem_alloc = lambda: 64_000
    gc.threshold = lambda *args: -1
    for name in ("json", "random", "struct", "select", "errno", "binascii", "collections", "hashlib", "io", "re", "heapq", "array", "zlib"):
        try:
            sys.modules["u" + name] = __import__(name)
        except ImportError:
            pass


def _start_script(path):
    """Import the script; return what runs it, or exit with code 2."""
    folder, _, filename = path.rpartition("/")
    name = filename[:-3] if filename.endswith(".py") else filename
    with open(path) as f:
        source = f.read()
    if "EuroPiScript" not in source:
        # A plain module: it runs as __main__, as when it is the main file.
        try:
            code = compile(source, path, "exec")
        except Exception as err:
            sys.print_exception(err)
            sys.exit(2)
        scope = {"__name__": "__main__", "__file__": path}
        return lambda: _run_module(code, scope, path, source)
    try:
        module = __import__(name)
    except Exception as err:
        sys.print_exception(err)
        sys.exit(2)
    from europi_script import EuroPiScript

    found = []
    for value in module.__dict__.values():
        if isinstance(value, type) and value is not EuroPiScript and issubclass(value, EuroPiScript):
            if getattr(value, "__module__", name) == name:
                found.append(value)
    # A base class of another script in the file is not the one to start.
    leaves = [c for c in found if not [d for d in found if d is not c and issubclass(d, c)]]
    if len(leaves) != 1:
        print("europi-http: %s defines %d EuroPiScript classes to start; want one" % (path, len(leaves)))
        sys.exit(2)
    script_class = leaves[0]
    return lambda: script_class().main()


def _run_module(code, scope, path, source):
    """Run a plain module. Its top level is its import: an import statement
    there that fails is a script that does not import (exit code 2), as an
    EuroPiScript's module that fails to import is; an ImportError raised at
    run time, by a call, keeps its own traceback and exit code."""
    try:
        exec(code, scope)
    except ImportError as err:
        if not _raised_by_top_level_import(err, path, source):
            raise
        import _europi_panel

        sys.print_exception(err)
        _europi_panel.send(_europi_panel.NOT_IMPORTED, b"")
        sys.exit(2)


def _raised_by_top_level_import(err, path, source):
    """Whether the last frame of the script in err's traceback is its top
    level, on an import statement. The traceback is read as text, the one
    form both MicroPython and CPython give."""
    import io

    text = io.StringIO()
    sys.print_exception(err, text)
    prefix = '  File "%s", line ' % path
    last = None
    for line in text.getvalue().split("\n"):
        if line.startswith(prefix):
            last = line[len(prefix) :]
    if last is None or not last.endswith(", in <module>"):
        return False
    number = int(last.split(",")[0])
    lines = source.split("\n")
    statement = lines[number - 1].strip() if 0 < number <= len(lines) else ""
    return statement.startswith("import ") or statement.startswith("from ")


def main():
    standins, firmware, script, panel_port, device_port = sys.argv[1:6]
    interpreter = sys.implementation.name
    _path_setup(standins, firmware, script.rpartition("/")[0])
    if interpreter != "micropython":
        _cpython_setup()

    import _europi_time

    sys.modules["time"] = _europi_time
    sys.modules["utime"] = _europi_time

    import _europi_os

    _europi_os.install()

    import os
    import _europi_panel

    _europi_panel.connect(int(panel_port), os.getenv("EUROPI_HTTP_SECRET") or "", interpreter)

    import _europi_socket

    _europi_socket.DEVICE_PORT = int(device_port)
    sys.modules["socket"] = _europi_socket
    sys.modules["usocket"] = _europi_socket

    run = _start_script(script)
    _europi_panel.send(_europi_panel.STARTED, b"")
    run()


main()
