# europi-http test script: the import that fails is made at run time, by a
# call, so it ends the script as any exception does.
def start():
    import no_such_module_at_run_time


start()
