# Stand-in for EuroPi's europi_log, written for the europi-http harness.
#
# Each call prints one line to stderr. Nothing is written to disk: the real
# module appends to /europi_log.txt, which on a computer is the root of the
# file system.

import sys


def _write(level, message, tag):
    if tag:
        line = "[%s] [%s] %s" % (level, tag, message)
    else:
        line = "[%s] %s" % (level, message)
    sys.stderr.write(line.replace("\r", "\\r").replace("\n", "\\n") + "\n")


def log_info(message, tag=None):
    _write("INFO", message, tag)


def log_warning(message, tag=None):
    _write("WARN", message, tag)


def log_error(message, tag=None):
    _write("ERR ", message, tag)


def log_debug(message, tag=None):
    _write("DBUG", message, tag)


def init_log():
    pass
