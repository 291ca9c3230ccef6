from europi_script import EuroPiScript


class Raises(EuroPiScript):
    def __init__(self):
        super().__init__()
        raise RuntimeError("constructor failed on purpose")
