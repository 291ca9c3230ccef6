package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/europi-http/europi-http/conformance"
	"github.com/europi-http/europi-http/conformance/clients"
	"github.com/europi-http/europi-http/conformance/scenario/scenariotest"
	"github.com/europi-http/europi-http/internal/testnet"
)

func TestConformClientsOptions(t *testing.T) {
	tests := []struct {
		name    string
		opts    ConformOptions
		names   []string
		want    ClientsOptions
		wantErr string
	}{
		{"every client", ConformOptions{Run: "^get/", Scenarios: "dir", Verbose: true}, clients.Names,
			ClientsOptions{Target: "127.0.0.1:9000", targetAddr: "127.0.0.1:9000", Clients: clients.Names, Run: "^get/", Scenarios: "dir",
				Timeout: clients.DefaultTimeout, Verbose: true}, ""},
		{"named clients", ConformOptions{}, []string{"go"},
			ClientsOptions{Target: "127.0.0.1:9000", targetAddr: "127.0.0.1:9000", Clients: []string{"go"}, Timeout: clients.DefaultTimeout}, ""},
		{"unknown client", ConformOptions{}, []string{"wget"}, ClientsOptions{}, `unknown client "wget"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.opts.clientsOptions(conformance.Target{Name: "device", Addr: "127.0.0.1:9000"}, tt.names)
			if tt.wantErr != "" {
				assert.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, *got)
		})
	}
}

func TestRunConformClients(t *testing.T) {
	addr := testnet.Serve(t, testnet.Answer(scenariotest.TextAnswer))
	var out bytes.Buffer
	o := conformOpts(writeScenarios(t, map[string]string{"get/text.scenario": passing}), &out, addr)
	o.Clients = true
	require.NoError(t, runConformWith(t.Context(), o, conformSeams{clients: []string{"go"}}), out.String())
	text := out.String()
	summary := strings.Index(text, "ok "+addr+": 1 scenarios")
	table := strings.Index(text, "== clients on "+addr)
	require.GreaterOrEqual(t, summary, 0, text)
	require.Greater(t, table, summary, "the clients' table comes after the suite's summary:\n%s", text)
	assert.Contains(t, text, "clients: 1 scenario(s) through go against "+addr)
	assert.Regexp(t, `get/text +200 text/plain +refused: malformed MIME header`, text[table:])
}

func TestRunConformClientsFailure(t *testing.T) {
	// The suite passes, but no scenario is a request a client can send
	// (only get/ and post/ are, without --run): the report's error fails
	// the command.
	addr := testnet.Serve(t, testnet.Answer(scenariotest.TextAnswer))
	var out bytes.Buffer
	o := conformOpts(writeScenarios(t, map[string]string{"x/text.scenario": passing}), &out, addr)
	o.Clients = true
	err := runConformWith(t.Context(), o, conformSeams{clients: []string{"go"}})
	var ee *exitError
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, 1, ee.code)
	assert.Contains(t, err.Error(), "clients report on "+addr+": no selected scenario is a request a real client can send")
	assert.Contains(t, out.String(), "ok "+addr+": 1 scenarios")
}
