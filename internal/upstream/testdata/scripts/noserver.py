from europi_script import EuroPiScript


class NoServer(EuroPiScript):
    pass
