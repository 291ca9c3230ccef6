package dashboard

import (
	"encoding/hex"
	"encoding/json"
	"net/http"

	"github.com/europi-http/europi-http/emulator"
)

// DisplayReply is what GET /api/display answers and the "display" event
// carries: the frame the script last showed on the OLED.
type DisplayReply struct {
	// Version counts the frames that changed the picture (0: blank, never
	// shown), so a reader can tell a new frame from the last.
	Version uint64 `json:"version"`
	// Width and Height are the display's size in pixels, 128 and 32.
	Width  int `json:"width"`
	Height int `json:"height"`
	// Rows holds one string per row, top first: the row's pixels as hex
	// digits, four pixels to a digit with the leftmost pixel in the
	// digit's highest bit, so "8" followed by 31 "0"s lights only x = 0.
	Rows []string `json:"rows"`
	// Frame is the frame as the SSD1306 receives it (MONO_VLSB: four
	// pages of eight rows, byte i of page p holding column i, bit 0 at
	// the top), base64 in JSON.
	Frame []byte `json:"frame"`
}

// newDisplayReply renders a frame and its version.
func newDisplayReply(frame []byte, version uint64) DisplayReply {
	rows := make([]string, emulator.DisplayHeight)
	line := make([]byte, emulator.DisplayWidth/8)
	for y := range rows {
		clear(line)
		for x := range emulator.DisplayWidth {
			if emulator.FramePixel(frame, x, y) {
				line[x/8] |= 0x80 >> (x % 8)
			}
		}
		rows[y] = hex.EncodeToString(line)
	}
	return DisplayReply{Version: version, Width: emulator.DisplayWidth, Height: emulator.DisplayHeight, Rows: rows, Frame: frame}
}

func (d *Dashboard) getDisplay(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, newDisplayReply(d.src.IO().Display().Snapshot()))
}

// displayJSON returns the display's JSON and version, marshalled once per
// frame for every stream.
func (d *Dashboard) displayJSON(io *emulator.IO) (json.RawMessage, uint64) {
	frame, version := io.Display().Snapshot()
	return d.displayCache.get(version, func() any { return newDisplayReply(frame, version) }), version
}
