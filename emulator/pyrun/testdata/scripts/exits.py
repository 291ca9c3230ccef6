# europi-http test script: ends with its own exit code.
import sys

sys.exit(3)
