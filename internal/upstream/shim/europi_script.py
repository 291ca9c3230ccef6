# Stand-in for EuroPi's europi_script, written for the europi-http harness.
#
# Scripts subclass EuroPiScript and call its __init__; the harness never calls
# main(). Saved state lives in memory only, so a run leaves no files behind.

import time


class _NoConfig:
    """Configuration with no points: every script gets its defaults."""


class EuroPiScript:
    def __init__(self):
        self._last_saved = 0.0
        self._saved_state = None
        self.config = _NoConfig()
        self.europi_config = _NoConfig()

    def main(self):
        raise NotImplementedError

    @classmethod
    def display_name(cls):
        return cls.__name__

    @classmethod
    def config_points(cls):
        return []

    def save_state(self):
        self.save_state_json({})

    def save_state_bytes(self, state):
        self._saved_state = state
        self._last_saved = time.time()

    def save_state_json(self, state):
        self._saved_state = state
        self._last_saved = time.time()

    def load_state_bytes(self):
        return b""

    def load_state_json(self):
        return {}

    def remove_state(self):
        self._saved_state = None

    def last_saved(self):
        # Milliseconds since the last save; huge before the first one.
        return int((time.time() - self._last_saved) * 1000)
