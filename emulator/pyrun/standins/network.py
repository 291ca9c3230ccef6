# europi-http's stand-in for MicroPython's network module on a Pico W,
# written from its documentation of network.WLAN. The emulator has no
# radio: every WLAN is up and connected at once, on the loopback address,
# and the script's server is reached through the emulator's --listen.

STAT_IDLE = 0
STAT_CONNECTING = 1
STAT_WRONG_PASSWORD = -3
STAT_NO_AP_FOUND = -2
STAT_CONNECT_FAIL = -1
STAT_GOT_IP = 3

STA_IF = 0
AP_IF = 1

_ADDRESS = ("127.0.0.1", "255.0.0.0", "127.0.0.1", "127.0.0.1")
_hostname = ["europi"]
_country = ["XX"]


class WLAN:
    IF_STA = STA_IF
    IF_AP = AP_IF
    SEC_OPEN = 0
    SEC_WEP = 1
    SEC_WPA = 2
    SEC_WPA2 = 3
    SEC_WPA_WPA2 = 4
    SEC_WPA3 = 5
    PM_NONE = 0x10
    PM_PERFORMANCE = 0xA11142
    PM_POWERSAVE = 0x111022

    def __init__(self, interface=IF_STA):
        self._interface = interface
        self._config = {"ssid": "europi-http", "channel": 1, "security": 0, "mac": b"\x02\x00\x00\x00\x00\x01"}

    def active(self, is_active=None):
        if is_active is None:
            return True
        return None

    def connect(self, ssid=None, key=None, *, bssid=None, security=None, **kwargs):
        if ssid is not None:
            self._config["ssid"] = ssid

    def disconnect(self):
        pass

    def isconnected(self):
        return True

    def status(self, param=None):
        if param == "rssi":
            return -40
        if param is not None:
            return 0
        return STAT_GOT_IP

    def scan(self):
        return []

    def ifconfig(self, config=None):
        if config is None:
            return _ADDRESS
        return None

    def ipconfig(self, *args, **kwargs):
        if args:
            return {"addr4": (_ADDRESS[0], _ADDRESS[1]), "gw4": _ADDRESS[2], "dhcp4": False}.get(args[0])
        return None

    def config(self, *args, **kwargs):
        if args:
            if args[0] == "hostname":
                return _hostname[0]
            return self._config.get(args[0])
        self._config.update(kwargs)
        return None


def hostname(name=None):
    if name is None:
        return _hostname[0]
    _hostname[0] = name


def country(code=None):
    if code is None:
        return _country[0]
    _country[0] = code


def ipconfig(*args, **kwargs):
    if args and args[0] == "dns":
        return _ADDRESS[3]
    return None
