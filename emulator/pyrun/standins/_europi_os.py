# europi-http: the module's flash, in the run's own folder.
#
# On the module the script's files live on its flash, whose root is "/":
# the firmware logs to /europi_log.txt, and a script may write /config or
# /saved_state_*.txt. Here the run's temporary folder (the interpreter's
# working folder) is that flash: an absolute path whose first part is on
# the flash, or does not exist on this computer ("/europi_log.txt",
# "/config/..."), lands in it, and "/" itself is it. Every other path is
# this computer's, unchanged, so the interpreter still finds its own files.
# Nothing is ever written into the user's checkout or the computer's root.

import os as _real

for _name in dir(_real):
    if not _name.startswith("__"):
        globals()[_name] = getattr(_real, _name)

_flash = _real.getcwd()
_host_root = {}


def _on_host(first):
    if first not in _host_root:
        try:
            _real.stat("/" + first)
            _host_root[first] = True
        except OSError:
            _host_root[first] = False
    return _host_root[first]


def _exists(path):
    try:
        _real.stat(path)
        return True
    except OSError:
        return False


def device_path(path):
    """The path on this computer of a path the script gives."""
    if not isinstance(path, str) or not path.startswith("/"):
        return path
    if path == "/":
        return _flash
    first = path[1:].split("/")[0]
    # The flash's own names win (config/, say, even where this computer has
    # a /config); a name neither has is created on the flash.
    if first == "" or _exists(_flash + "/" + first) or not _on_host(first):
        return _flash + path
    return path


def remove(path):
    return _real.remove(device_path(path))


def unlink(path):
    return _real.remove(device_path(path))


def rename(old, new):
    return _real.rename(device_path(old), device_path(new))


def stat(path):
    return _real.stat(device_path(path))


def listdir(path="."):
    return _real.listdir(device_path(path))


def mkdir(path, *args):
    return _real.mkdir(device_path(path), *args)


def rmdir(path):
    return _real.rmdir(device_path(path))


def chdir(path):
    return _real.chdir(device_path(path))


if hasattr(_real, "ilistdir"):

    def ilistdir(path="."):
        return _real.ilistdir(device_path(path))


if hasattr(_real, "statvfs"):

    def statvfs(path):
        return _real.statvfs(device_path(path))


def install():
    """Make open() and os see the flash; CPython's os is changed in place."""
    import sys
    import builtins

    real_open = builtins.open

    def device_open(file, *args, **kwargs):
        return real_open(device_path(file), *args, **kwargs)

    builtins.open = device_open
    if sys.implementation.name == "micropython":
        this = sys.modules[__name__]
        sys.modules["os"] = this
        sys.modules["uos"] = this
        return
    for name in ("remove", "unlink", "rename", "stat", "listdir", "mkdir", "rmdir", "chdir", "statvfs"):
        if hasattr(_real, name):
            setattr(_real, name, globals()[name])
