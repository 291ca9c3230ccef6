# europi-http test script: it does not compile.
def broken(:
    pass
