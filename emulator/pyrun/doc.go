// Package pyrun runs a real EuroPi script, unmodified, with the firmware
// of the user's EuroPi checkout under a real interpreter (MicroPython's
// unix port, or python3), and wires it to the emulator's panel: only the
// hardware is replaced.
//
// The project's own stand-ins for the hardware-facing modules (machine,
// ssd1306, network, rp2; under CPython also framebuf and micropython, and
// the time.ticks_* names) are embedded here and written to the run's
// folder, ahead of the firmware on the module path. A small bootstrap
// connects them to the panel over a loopback channel that only a process
// knowing the run's secret may use (CHANNEL.md describes its messages),
// then imports the script and starts it as EuroPi's menu does.
//
// Inputs flow to the interpreter as they change (emulator.IO.WatchInputs),
// so a script reads knobs and buttons from local state at no cost, and
// every edge reaches its Pin.irq handler in order; PWM duty on a CV pin
// and every OLED frame flow back. The script's own HTTP server binds a
// loopback port the Runner chose (DeviceAddr), which the CLI relays from
// --listen. The run's folder stands in for the module's flash: the
// firmware's configuration, log and state files land there, never in the
// checkout.
package pyrun
