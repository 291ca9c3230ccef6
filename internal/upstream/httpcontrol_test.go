package upstream

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHTTPControl runs upstream's only user of the server,
// software/contrib/http_control.py, and checks that a slider change (a POST
// of JSON output voltages) sets the outputs and answers with the input and
// output state the device would report.
func TestHTTPControl(t *testing.T) {
	fw := FirmwareFromEnv(t)
	app := filepath.Join(fw, "software", "contrib", "http_control.py")
	if _, err := os.Stat(app); err != nil {
		t.Skipf("this checkout has no http_control.py: %v", err)
	}
	inputs := map[string]float64{"k1": 0.25, "k2": 0.75, "ain": 3.3, "din": 1, "b1": 0, "b2": 1}

	for _, rt := range runtimes {
		t.Run(rt.name, func(t *testing.T) {
			needInterpreter(t, rt)
			p := startT(t, Config{Firmware: fw, Python: rt.python, App: app, Inputs: inputs})

			t.Run("page", func(t *testing.T) {
				gotHead, body := splitResponse(t, exchange(t, p.Addr(), "GET / HTTP/1.1\r\nHost: europi\r\n\r\n"))
				assert.Equal(t, head(200, "OK", "text/html"), gotHead)
				assert.Contains(t, string(body), "<input")
			})

			t.Run("set cv1", func(t *testing.T) {
				const body = `{"cv1": 7.071}`
				raw := exchange(t, p.Addr(), "POST / HTTP/1.1\r\nHost: europi\r\nContent-Type: text/json\r\n\r\n"+body)
				gotHead, resp := splitResponse(t, raw)
				require.Equal(t, head(200, "OK", "text/json"), gotHead)

				got := jsonValue(t, resp)
				require.Equal(t, map[string]any{
					"ain": 3.3, "din": 1.0, "k1": 0.25, "k2": 0.75, "b1": 0.0, "b2": 1.0,
				}, got["inputs"])
				outputs, ok := got["outputs"].(map[string]any)
				require.True(t, ok, "outputs: %v", got["outputs"])
				require.Len(t, outputs, 6)
				assert.InDelta(t, outputVolts(7.071), outputs["cv1"], 1e-9)
				assert.InDelta(t, 6.816, outputs["cv1"], 0.001, "cv1 reads back below 7.071 V with the default calibration")
				for _, cv := range []string{"cv2", "cv3", "cv4", "cv5", "cv6"} {
					assert.Equal(t, 0.0, outputs[cv], cv)
				}
			})

			t.Run("bad json", func(t *testing.T) {
				// Quirk: upstream's script calls an undefined log_warn in
				// its error branch, so bad JSON is a 500, not its 400.
				gotHead, body := splitResponse(t, exchange(t, p.Addr(), "POST / HTTP/1.1\r\n\r\n{nope"))
				assert.Equal(t, page(500), gotHead)
				assertErrorPage(t, string(body), page(500), "log_warn")
			})

			require.Empty(t, p.Escapes())
		})
	}
}
