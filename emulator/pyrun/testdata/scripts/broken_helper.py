# europi-http test module: imported by imports_broken.py, it imports a module
# that is not there.
from no_such_package_for_the_test import anything
