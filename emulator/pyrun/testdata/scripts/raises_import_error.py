# europi-http test script: an ImportError its top level raises itself, not
# an import statement.
raise ImportError("raised by the test script")
