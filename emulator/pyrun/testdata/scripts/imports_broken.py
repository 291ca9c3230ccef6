# europi-http test script: a module it imports fails on an import of its own.
import broken_helper
