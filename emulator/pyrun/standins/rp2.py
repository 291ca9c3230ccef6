# europi-http's stand-in for MicroPython's rp2 module, written from its
# documentation: enough for a script that imports it or declares a PIO
# program; nothing runs on a state machine.


class PIO:
    IN_LOW = 0
    IN_HIGH = 1
    OUT_LOW = 2
    OUT_HIGH = 3
    SHIFT_LEFT = 0
    SHIFT_RIGHT = 1
    IRQ_SM0 = 0x100
    IRQ_SM1 = 0x200
    IRQ_SM2 = 0x400
    IRQ_SM3 = 0x800
    JOIN_NONE = 0
    JOIN_TX = 1
    JOIN_RX = 2

    def __init__(self, id):
        self.id = id

    def add_program(self, program):
        pass

    def remove_program(self, program=None):
        pass

    def state_machine(self, id, *args, **kwargs):
        return StateMachine(id, *args, **kwargs)

    def irq(self, handler=None, trigger=None, hard=False):
        return None


class StateMachine:
    def __init__(self, id, program=None, *args, **kwargs):
        self.id = id
        self._active = 0
        self._fifo = []

    def init(self, *args, **kwargs):
        pass

    def active(self, value=None):
        if value is None:
            return self._active
        self._active = 1 if value else 0

    def restart(self):
        pass

    def exec(self, instr):
        pass

    def put(self, value, shift=0):
        pass

    def get(self, buf=None, shift=0):
        return 0

    def rx_fifo(self):
        return 0

    def tx_fifo(self):
        return 0

    def irq(self, handler=None, trigger=None, hard=False):
        return None


def asm_pio(*args, **kwargs):
    def decorator(program):
        return program

    return decorator


def asm_pio_encode(instr, sideset_count, sideset_opt=False):
    return 0


def bootsel_button():
    return 0


class Flash:
    def readblocks(self, *args):
        pass

    def writeblocks(self, *args):
        pass

    def ioctl(self, *args):
        return 0


class DMA:
    def __init__(self):
        pass

    def close(self):
        pass
