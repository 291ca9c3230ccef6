// Command europi-http emulates EuroPi's experimental.http_server on a
// desktop and checks implementations of it against recorded scenarios.
//
// Each subcommand lives in its own file, built by a NewCmdX function that
// takes an optional run function (so tests can check flag parsing apart
// from running) and fills an options struct with its flags alone; the run
// function is runX(ctx, opts), ctx from cmd.Context(). Only main calls
// os.Exit. The in-process emulator that conform, record and clients start
// is internal/emutarget's.
//
//	europi-http serve      run a handler script in the emulator
//	europi-http run        run a real EuroPi script and firmware on the emulator's panel
//	europi-http scripts    list the embedded example scripts
//	europi-http conform    run the conformance suite against targets
//	europi-http record     capture device traffic as scenarios
//	europi-http clients    which HTTP clients accept the device's responses
//	europi-http profiles   list the device profiles and their rules
//	europi-http bench      load-test a target
//	europi-http version    print the version
package main
