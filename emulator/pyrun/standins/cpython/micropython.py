# europi-http's stand-in for MicroPython's micropython module under
# CPython, written from its documentation.

import sys


def const(expr):
    return expr


def native(fn):
    return fn


viper = native
asm_thumb = native


def opt_level(level=None):
    return 0 if level is None else None


def alloc_emergency_exception_buf(size):
    pass


def mem_info(verbose=None):
    print("mem: total=0, current=0, peak=0")


def qstr_info(verbose=None):
    print("qstr pool: n_pool=0, n_qstr=0, n_str_data_bytes=0, n_total_bytes=0")


def stack_use():
    return 0


def heap_lock():
    return 0


def heap_unlock():
    return 0


def kbd_intr(chr):
    pass


def schedule(func, arg):
    # Called soon, in the thread that runs the script's interrupts.
    try:
        func(arg)
    except Exception as err:
        sys.print_exception(err)
