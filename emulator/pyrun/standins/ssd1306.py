# europi-http's stand-in for the SSD1306 OLED driver EuroPi uses, written
# from the SSD1306 datasheet's command set and MicroPython's framebuf
# documentation. The picture is drawn with framebuf into a MONO_VLSB
# buffer, the controller's own page layout; show() sends that buffer (as
# the controller would show it: inverted, mirrored or blank as the commands
# written so far say) to the emulator's panel.

from micropython import const
import framebuf
import _europi_panel as _panel

SET_CONTRAST = const(0x81)
SET_ENTIRE_ON = const(0xA4)
SET_NORM_INV = const(0xA6)
SET_DISP = const(0xAE)
SET_MEM_ADDR = const(0x20)
SET_COL_ADDR = const(0x21)
SET_PAGE_ADDR = const(0x22)
SET_DISP_START_LINE = const(0x40)
SET_SEG_REMAP = const(0xA0)
SET_MUX_RATIO = const(0xA8)
SET_IREF_SELECT = const(0xAD)
SET_COM_OUT_DIR = const(0xC0)
SET_DISP_OFFSET = const(0xD3)
SET_COM_PIN_CFG = const(0xDA)
SET_DISP_CLK_DIV = const(0xD5)
SET_PRECHARGE = const(0xD9)
SET_VCOM_DESEL = const(0xDB)
SET_CHARGE_PUMP = const(0x8D)

# How many argument bytes follow each command that takes some.
_ARGS = {
    SET_CONTRAST: 1,
    SET_MEM_ADDR: 1,
    SET_COL_ADDR: 2,
    SET_PAGE_ADDR: 2,
    SET_MUX_RATIO: 1,
    SET_IREF_SELECT: 1,
    SET_DISP_OFFSET: 1,
    SET_COM_PIN_CFG: 1,
    SET_DISP_CLK_DIV: 1,
    SET_PRECHARGE: 1,
    SET_VCOM_DESEL: 1,
    SET_CHARGE_PUMP: 1,
}


def _reverse_bits(b):
    r = 0
    for _ in range(8):
        r = (r << 1) | (b & 1)
        b >>= 1
    return r


class SSD1306(framebuf.FrameBuffer):
    def __init__(self, width, height, external_vcc):
        self.width = width
        self.height = height
        self.external_vcc = external_vcc
        self.pages = height // 8
        self.buffer = bytearray(self.pages * width)
        super().__init__(self.buffer, width, height, framebuf.MONO_VLSB)
        self._on = False
        self._inverted = False
        self._all_on = False
        self._seg_remap = 1
        self._com_reversed = 1
        self._args = 0
        self.init_display()

    def init_display(self):
        for cmd in (
            SET_DISP,
            SET_MEM_ADDR,
            0x00,
            SET_DISP_START_LINE,
            SET_SEG_REMAP | 0x01,
            SET_MUX_RATIO,
            self.height - 1,
            SET_COM_OUT_DIR | 0x08,
            SET_DISP_OFFSET,
            0x00,
            SET_COM_PIN_CFG,
            0x02 if self.width > 2 * self.height else 0x12,
            SET_DISP_CLK_DIV,
            0x80,
            SET_PRECHARGE,
            0x22 if self.external_vcc else 0xF1,
            SET_VCOM_DESEL,
            0x30,
            SET_CONTRAST,
            0xFF,
            SET_ENTIRE_ON,
            SET_NORM_INV,
            SET_CHARGE_PUMP,
            0x10 if self.external_vcc else 0x14,
            SET_DISP | 0x01,
        ):
            self.write_cmd(cmd)
        self.fill(0)
        self.show()

    def poweroff(self):
        self.write_cmd(SET_DISP)

    def poweron(self):
        self.write_cmd(SET_DISP | 0x01)

    def contrast(self, contrast):
        self.write_cmd(SET_CONTRAST)
        self.write_cmd(contrast)

    def invert(self, invert):
        self.write_cmd(SET_NORM_INV | (invert & 1))

    def rotate(self, rotate):
        self.write_cmd(SET_COM_OUT_DIR | ((rotate & 1) << 3))
        self.write_cmd(SET_SEG_REMAP | (rotate & 1))

    def _command(self, cmd):
        # Follows the controller's state as the commands reach it.
        if self._args:
            self._args -= 1
            return
        if cmd in _ARGS:
            self._args = _ARGS[cmd]
        elif cmd & 0xFE == SET_DISP:
            self._on = bool(cmd & 1)
        elif cmd & 0xFE == SET_NORM_INV:
            self._inverted = bool(cmd & 1)
        elif cmd & 0xFE == SET_ENTIRE_ON:
            self._all_on = bool(cmd & 1)
        elif cmd & 0xFE == SET_SEG_REMAP:
            self._seg_remap = cmd & 1
        elif cmd & 0xF7 == SET_COM_OUT_DIR:
            self._com_reversed = (cmd >> 3) & 1

    def _shown(self):
        n = len(self.buffer)
        if not self._on:
            return bytes(n)
        if self._all_on:
            return b"\xff" * n
        frame = bytearray(self.buffer)
        w = self.width
        if not self._seg_remap:
            for p in range(self.pages):
                frame[p * w : (p + 1) * w] = bytes(reversed(frame[p * w : (p + 1) * w]))
        if not self._com_reversed:
            pages = [frame[p * w : (p + 1) * w] for p in range(self.pages)]
            frame = bytearray()
            for page in reversed(pages):
                frame += bytes([_reverse_bits(b) for b in page])
        if self._inverted:
            for i in range(n):
                frame[i] ^= 0xFF
        return frame

    def show(self):
        if self.width == 128 and self.height == 32:
            if self._on and not self._inverted and not self._all_on and self._seg_remap and self._com_reversed:
                _panel.send_frame(self.buffer)
            else:
                _panel.send_frame(self._shown())


class SSD1306_I2C(SSD1306):
    def __init__(self, width, height, i2c, addr=0x3C, external_vcc=False):
        self.i2c = i2c
        self.addr = addr
        self.temp = bytearray(2)
        self.write_list = [b"\x40", None]
        super().__init__(width, height, external_vcc)

    def write_cmd(self, cmd):
        self._command(cmd)

    def write_data(self, buf):
        pass


class SSD1306_SPI(SSD1306):
    def __init__(self, width, height, spi, dc, res, cs, external_vcc=False):
        self.spi = spi
        super().__init__(width, height, external_vcc)

    def write_cmd(self, cmd):
        self._command(cmd)

    def write_data(self, buf):
        pass
