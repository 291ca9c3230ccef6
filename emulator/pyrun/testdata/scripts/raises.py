# europi-http test script: an exception that ends the script.
def deep():
    raise ValueError("boom from the test script")


deep()
