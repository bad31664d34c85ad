#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""hold_lock.py SECONDS READY TAKE RELEASE CLIENT...: hold a database lock
through a command-line client (psql, mariadb) for SECONDS, for
online_helpers.bash's hold_lock.

CLIENT... is started with its standard input and output as pipes, one
query a line. TAKE is the query that takes the lock and prints the
holder's session id (an empty line when the lock was not taken); the id
is written to READY once the lock is held. When the time is up or on
SIGTERM, RELEASE is sent and the client ends, so that the server session
never outlives this process.
"""
import signal
import subprocess
import sys
import time

secs, ready, take, release = (float(sys.argv[1]), sys.argv[2], sys.argv[3],
                              sys.argv[4])
p = subprocess.Popen(sys.argv[5:], stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE, text=True)


def ask(sql):
    p.stdin.write(sql + "\n")
    p.stdin.flush()
    return p.stdout.readline().strip()


def stop(*_):
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        ask(release)
        p.stdin.close()
    except OSError:
        pass
    p.wait()
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
holder = ask(take)
if not holder:
    sys.exit("hold_lock: %s did not take the lock" % sys.argv[5])
with open(ready, "w") as f:
    f.write(holder + "\n")
time.sleep(secs)
stop()
