# Stands in for EuroPi's firmware folder in europi-http's tests: `run`
# needs a folder with europi.py; the test scripts use machine, ssd1306 and
# network directly.
