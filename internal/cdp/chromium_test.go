package cdp

import (
	"context"
	"errors"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// With a real Chromium: a page runs JavaScript, and Close leaves no
// process of the browser's behind.
func TestChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("cdp: skipped with -short (it starts Chromium)")
	}
	path, err := Find()
	if err != nil {
		t.Skip("cdp: " + err.Error())
	}
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout*3)
	defer cancel()
	b, err := Launch(ctx, path, t.TempDir())
	require.NoError(t, err)
	pgid := b.cmd.Process.Pid

	p, err := b.NewPage(ctx, 400, 300)
	require.NoError(t, err)
	require.NoError(t, p.Navigate(ctx, "data:text/html,<p id=x>hi</p>"))
	var got struct {
		Text  string
		Width int
	}
	require.NoError(t, p.Eval(ctx, `({Text: document.getElementById("x").textContent, Width: innerWidth})`, &got))
	assert.Equal(t, "hi", got.Text)
	assert.Equal(t, 400, got.Width)
	err = p.Eval(ctx, `(() => { throw new Error("boom") })()`, nil)
	assert.ErrorContains(t, err, "Error: boom")
	png, err := p.Screenshot(ctx)
	require.NoError(t, err)
	assert.Equal(t, "\x89PNG", string(png[:4]))

	b.Close()
	err = syscall.Kill(-pgid, 0)
	assert.True(t, errors.Is(err, syscall.ESRCH), "the browser's processes are gone: %v", err)
}
