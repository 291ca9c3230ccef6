# europi-http's stand-in for MicroPython's framebuf module under CPython,
# written from its documentation (MicroPython itself uses its own). Text
# is drawn in europi-http's own 8×8 font (_europi_font), so its glyphs
# differ from MicroPython's; positions and cell sizes are the same.

import _europi_font

MONO_VLSB = 0
RGB565 = 1
GS4_HMSB = 2
MONO_HLSB = 3
MONO_HMSB = 4
GS2_HMSB = 5
GS8 = 6
MVLSB = MONO_VLSB


class FrameBuffer:
    def __init__(self, buffer, width, height, format, stride=None):
        self.buf = buffer
        self.width = width
        self.height = height
        self.format = format
        self.stride = width if stride is None else stride
        if format == MONO_VLSB:
            self._get, self._set = self._get_vlsb, self._set_vlsb
        elif format in (MONO_HLSB, MONO_HMSB):
            self._stride_bytes = (self.stride + 7) // 8
            self._get, self._set = self._get_hmono, self._set_hmono
        elif format == GS8:
            self._get, self._set = self._get_gs8, self._set_gs8
        elif format == RGB565:
            self._get, self._set = self._get_rgb565, self._set_rgb565
        elif format in (GS2_HMSB, GS4_HMSB):
            self._bits = 2 if format == GS2_HMSB else 4
            self._get, self._set = self._get_gsn, self._set_gsn
        else:
            raise ValueError("invalid format")

    # Pixel access for each format; (x, y) is inside the buffer.
    def _get_vlsb(self, x, y):
        return (self.buf[(y >> 3) * self.stride + x] >> (y & 7)) & 1

    def _set_vlsb(self, x, y, c):
        i = (y >> 3) * self.stride + x
        if c & 1:
            self.buf[i] |= 1 << (y & 7)
        else:
            self.buf[i] &= ~(1 << (y & 7)) & 0xFF

    def _hmono_bit(self, x, y):
        i = y * self._stride_bytes + (x >> 3)
        shift = (x & 7) if self.format == MONO_HMSB else 7 - (x & 7)
        return i, shift

    def _get_hmono(self, x, y):
        i, shift = self._hmono_bit(x, y)
        return (self.buf[i] >> shift) & 1

    def _set_hmono(self, x, y, c):
        i, shift = self._hmono_bit(x, y)
        if c & 1:
            self.buf[i] |= 1 << shift
        else:
            self.buf[i] &= ~(1 << shift) & 0xFF

    def _get_gs8(self, x, y):
        return self.buf[y * self.stride + x]

    def _set_gs8(self, x, y, c):
        self.buf[y * self.stride + x] = c & 0xFF

    def _get_rgb565(self, x, y):
        i = 2 * (y * self.stride + x)
        return self.buf[i] | (self.buf[i + 1] << 8)

    def _set_rgb565(self, x, y, c):
        i = 2 * (y * self.stride + x)
        self.buf[i] = c & 0xFF
        self.buf[i + 1] = (c >> 8) & 0xFF

    def _get_gsn(self, x, y):
        per = 8 // self._bits
        i = (y * self.stride + x) // per
        shift = ((x % per) * self._bits)
        return (self.buf[i] >> shift) & ((1 << self._bits) - 1)

    def _set_gsn(self, x, y, c):
        per = 8 // self._bits
        i = (y * self.stride + x) // per
        shift = ((x % per) * self._bits)
        mask = ((1 << self._bits) - 1) << shift
        self.buf[i] = (self.buf[i] & ~mask & 0xFF) | ((c << shift) & mask)

    def _put(self, x, y, c):
        if 0 <= x < self.width and 0 <= y < self.height:
            self._set(x, y, c)

    def fill(self, c):
        if self.format == MONO_VLSB or self.format in (MONO_HLSB, MONO_HMSB):
            value = 0xFF if c & 1 else 0
            for i in range(len(self.buf)):
                self.buf[i] = value
            return
        self.fill_rect(0, 0, self.width, self.height, c)

    def pixel(self, x, y, c=None):
        if not (0 <= x < self.width and 0 <= y < self.height):
            return None
        if c is None:
            return self._get(x, y)
        self._set(x, y, c)
        return None

    def fill_rect(self, x, y, w, h, c):
        x0, y0 = max(x, 0), max(y, 0)
        x1, y1 = min(x + w, self.width), min(y + h, self.height)
        for yy in range(y0, y1):
            for xx in range(x0, x1):
                self._set(xx, yy, c)

    def hline(self, x, y, w, c):
        self.fill_rect(x, y, w, 1, c)

    def vline(self, x, y, h, c):
        self.fill_rect(x, y, 1, h, c)

    def rect(self, x, y, w, h, c, f=False):
        if f:
            self.fill_rect(x, y, w, h, c)
            return
        self.fill_rect(x, y, w, 1, c)
        self.fill_rect(x, y + h - 1, w, 1, c)
        self.fill_rect(x, y, 1, h, c)
        self.fill_rect(x + w - 1, y, 1, h, c)

    def line(self, x1, y1, x2, y2, c):
        dx, dy = abs(x2 - x1), -abs(y2 - y1)
        sx = 1 if x1 < x2 else -1
        sy = 1 if y1 < y2 else -1
        err = dx + dy
        while True:
            self._put(x1, y1, c)
            if x1 == x2 and y1 == y2:
                return
            e2 = 2 * err
            if e2 >= dy:
                err += dy
                x1 += sx
            if e2 <= dx:
                err += dx
                y1 += sy

    def ellipse(self, x, y, xr, yr, c, f=False, m=0xF):
        # The quadrants of m: 1 upper right, 2 upper left, 4 lower left,
        # 8 lower right.
        def plot(dx, dy):
            for bit, sx, sy in ((1, 1, -1), (2, -1, -1), (4, -1, 1), (8, 1, 1)):
                if m & bit:
                    if f:
                        if sx > 0:
                            self.fill_rect(x, y + sy * dy, dx + 1, 1, c)
                        else:
                            self.fill_rect(x - dx, y + sy * dy, dx + 1, 1, c)
                    else:
                        self._put(x + sx * dx, y + sy * dy, c)

        if xr == 0 and yr == 0:
            if m & 0xF:
                self._put(x, y, c)
            return
        steps = max(xr, yr) * 8
        import math

        seen = set()
        for i in range(steps + 1):
            a = (math.pi / 2) * i / steps
            point = (int(round(xr * math.cos(a))), int(round(yr * math.sin(a))))
            if point not in seen:
                seen.add(point)
                plot(*point)

    def poly(self, x, y, coords, c, f=False):
        n = len(coords) // 2
        if n == 0:
            return
        pts = [(x + coords[2 * i], y + coords[2 * i + 1]) for i in range(n)]
        if f:
            ys = [p[1] for p in pts]
            for yy in range(min(ys), max(ys) + 1):
                xs = []
                for i in range(n):
                    (ax, ay), (bx, by) = pts[i], pts[(i + 1) % n]
                    if (ay <= yy < by) or (by <= yy < ay):
                        xs.append(ax + (yy - ay) * (bx - ax) / (by - ay))
                xs.sort()
                for j in range(0, len(xs) - 1, 2):
                    a, b = int(round(xs[j])), int(round(xs[j + 1]))
                    self.fill_rect(a, yy, b - a + 1, 1, c)
        for i in range(n):
            (ax, ay), (bx, by) = pts[i], pts[(i + 1) % n]
            self.line(ax, ay, bx, by, c)

    def text(self, s, x, y, c=1):
        glyphs = _europi_font.GLYPHS
        first, last = _europi_font.FIRST, _europi_font.LAST
        for ch in str(s).encode():
            if ch < first or ch > last:
                ch = last
            base = (ch - first) * 8
            for j in range(8):
                column = glyphs[base + j]
                k = 0
                while column:
                    if column & 1:
                        self._put(x + j, y + k, c)
                    column >>= 1
                    k += 1
            x += 8
            if x >= self.width:
                return

    def scroll(self, xstep, ystep):
        w, h = self.width, self.height
        old = [[self._get(xx, yy) for xx in range(w)] for yy in range(h)]
        for yy in range(h):
            for xx in range(w):
                sx, sy = xx - xstep, yy - ystep
                if 0 <= sx < w and 0 <= sy < h:
                    self._set(xx, yy, old[sy][sx])

    def blit(self, fbuf, x, y, key=-1, palette=None):
        if isinstance(fbuf, tuple):
            fbuf = FrameBuffer(*fbuf)
        for sy in range(fbuf.height):
            ty = y + sy
            if not 0 <= ty < self.height:
                continue
            for sx in range(fbuf.width):
                tx = x + sx
                if not 0 <= tx < self.width:
                    continue
                c = fbuf._get(sx, sy)
                if c == key:
                    continue
                if palette is not None:
                    c = palette._get(c, 0)
                self._set(tx, ty, c)


FrameBuffer1 = FrameBuffer
