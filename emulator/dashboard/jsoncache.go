package dashboard

import (
	"encoding/json"
	"sync"
	"sync/atomic"
)

// jsonCache keeps the JSON of the latest value of something every event
// stream sends, keyed by what identifies that value (the panel's version,
// the status itself), so any number of streams marshal it once.
type jsonCache[K comparable] struct {
	mu   sync.Mutex
	key  K
	data json.RawMessage
	// marshals counts the values marshalled, for tests.
	marshals atomic.Int64
}

// get returns the JSON of the value identified by key, calling value and
// marshalling it only when key differs from the last one.
func (c *jsonCache[K]) get(key K, value func() any) json.RawMessage {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.data != nil && c.key == key {
		return c.data
	}
	data, err := json.Marshal(value())
	if err != nil {
		// The dashboard's own types always marshal; say so rather than
		// sending nothing.
		data, _ = json.Marshal(ErrorReply{Error: "dashboard: " + err.Error()})
	}
	c.key, c.data = key, data
	c.marshals.Add(1)
	return data
}
