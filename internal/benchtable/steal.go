package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// cpuTimes is the machine's CPU time so far, from the first line of
// /proc/stat (in clock ticks): all of it, and the part "stolen", when a
// virtual machine's CPUs wanted to run and the hypervisor ran another
// guest instead. On a shared host that time comes and goes in bursts,
// and a server measured through a burst loses its round; the table says
// how much of a run it was, so that a reader knows what the figures are
// worth.
type cpuTimes struct {
	total, steal uint64
}

// readCPUTimes reads /proc/stat; ok is false where there is none.
func readCPUTimes() (cpuTimes, bool) {
	f, err := os.Open("/proc/stat")
	if err != nil {
		return cpuTimes{}, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	if !sc.Scan() {
		return cpuTimes{}, false
	}
	t, err := parseCPULine(sc.Text())
	return t, err == nil
}

// parseCPULine parses /proc/stat's "cpu" line: user nice system idle
// iowait irq softirq steal, then guest times that user and nice already
// count.
func parseCPULine(line string) (cpuTimes, error) {
	fields := strings.Fields(line)
	if len(fields) < 9 || fields[0] != "cpu" {
		return cpuTimes{}, errors.New("not /proc/stat's cpu line with a steal column")
	}
	var t cpuTimes
	for i, f := range fields[1:9] {
		v, err := strconv.ParseUint(f, 10, 64)
		if err != nil {
			return cpuTimes{}, fmt.Errorf("/proc/stat: %w", err)
		}
		t.total += v
		if i == 7 {
			t.steal = v
		}
	}
	return t, nil
}

// add accumulates the time between from and to.
func (t *cpuTimes) add(from, to cpuTimes) {
	if to.total >= from.total && to.steal >= from.steal {
		t.total += to.total - from.total
		t.steal += to.steal - from.steal
	}
}

// stealShare is the stolen part of t, 0 to 1 (0 when t is empty).
func (t cpuTimes) stealShare() float64 {
	if t.total == 0 {
		return 0
	}
	return float64(t.steal) / float64(t.total)
}
