from europi_script import EuroPiScript


class First(EuroPiScript):
    pass


class Second(EuroPiScript):
    pass
