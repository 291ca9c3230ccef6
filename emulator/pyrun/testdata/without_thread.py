# europi-http test bootstrap: runs _europi_boot.py, its first argument, in
# an interpreter whose _thread cannot be imported, as in a MicroPython port
# built without threads, after saying whether the module is hidden.
#
#   INTERPRETER without_thread.py _europi_boot.py ARGS...
import sys

sys.modules["_thread"] = None
try:
    import _thread

    hidden = _thread is None  # MicroPython imports the None it finds
except ImportError:
    hidden = True  # CPython refuses it
print("europi-http test: _thread hidden" if hidden else "europi-http test: _thread still importable")
sys.argv.pop(0)
boot = sys.argv[0]
with open(boot) as f:
    source = f.read()
exec(compile(source, boot, "exec"), {"__name__": "__main__", "__file__": boot})
