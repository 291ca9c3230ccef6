# europi-http test script: its top level imports a module that is not there.
import sys
import no_such_module_for_the_test

sys.exit(0)
