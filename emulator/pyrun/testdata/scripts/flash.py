# europi-http test script: files the script writes land in the run's
# flash folder, "/" included, and it counts its loop for a rate figure.
with open("/europi_log.txt", "w") as f:
    f.write("log\n")
with open("state.txt", "w") as f:
    f.write("state\n")
import os

print("flash", sorted(os.listdir("/")))
