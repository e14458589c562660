#!/usr/bin/env python3
"""Runs a command on a pseudo-terminal, as a person at a terminal would: waits
for each expected prompt, then types the answer. Prints everything the
terminal showed (the transcript) on stdout and exits with the command's exit
code (124 when it timed out or a prompt never came).

  PTY_STEPS='[["Passphrase", "secret\\r"], ...]' pty-driver.py TIMEOUT_S sh -c 'command'
"""
import json
import os
import pty
import select
import sys
import time

timeout = float(sys.argv[1])
argv = sys.argv[2:]
steps = json.loads(os.environ.get("PTY_STEPS", "[]"))
deadline = time.monotonic() + timeout

pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)

transcript = b""
seen = 0  # how far the transcript has been matched


def read_some(wait):
    """'data', 'idle' (nothing within wait) or 'eof'."""
    global transcript
    ready, _, _ = select.select([fd], [], [], wait)
    if not ready:
        return "idle"
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        return "eof"
    if not chunk:
        return "eof"
    transcript += chunk
    return "data"


alive = True
for expect, send in steps:
    needle = expect.encode()
    while transcript.find(needle, seen) < 0:
        if time.monotonic() > deadline or not alive:
            sys.stdout.buffer.write(transcript)
            sys.stdout.write("\n[pty-driver: never saw %r]\n" % expect)
            os.kill(pid, 9)
            sys.exit(124)
        alive = read_some(0.1) != "eof"
    seen = transcript.find(needle, seen) + len(needle)
    time.sleep(0.05)  # let the program switch the terminal to raw mode after printing
    os.write(fd, send.encode())

while alive and time.monotonic() < deadline:
    alive = read_some(0.1) != "eof"
    done, status = os.waitpid(pid, os.WNOHANG)
    if done:
        while read_some(0.05) == "data":
            pass
        break
else:
    if alive:
        os.kill(pid, 9)
        sys.stdout.buffer.write(transcript)
        sys.stdout.write("\n[pty-driver: timed out]\n")
        sys.exit(124)
    _, status = os.waitpid(pid, 0)

sys.stdout.buffer.write(transcript)
sys.exit(os.waitstatus_to_exitcode(status))
