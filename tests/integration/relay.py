#!/usr/bin/env python3
"""A TCP relay that can turn into a black hole (tests/integration/mount_hang.sh).

    relay.py PORT_FILE TARGET_PORT

Listens on 127.0.0.1 (a free port, written to PORT_FILE) and forwards each
connection to 127.0.0.1:TARGET_PORT. SIGUSR1 turns it into a black hole: new
connections are accepted and never answered (a TLS handshake hangs), and
what is sent on open connections is swallowed (a request gets no answer).
SIGUSR2 forwards again (connections swallowed meanwhile stay dead).
"""
import os
import signal
import socket
import sys
import threading

hole = threading.Event()


def on_signal(sig, _frame):
    if sig == signal.SIGUSR1:
        hole.set()
    else:
        hole.clear()


def close(s):
    try:
        s.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    s.close()


def pump(src, dst, state):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            if hole.is_set():
                state["dead"] = True
            if state["dead"]:
                continue          # swallowed: no answer, ever
            dst.sendall(data)
    except OSError:
        pass
    if not state["dead"]:
        close(src)
        close(dst)


def handle(conn):
    if hole.is_set():
        try:                      # accepted, never answered
            while conn.recv(65536):
                pass
        except OSError:
            pass
        conn.close()
        return
    try:
        up = socket.create_connection(("127.0.0.1", TARGET))
    except OSError:
        conn.close()
        return
    state = {"dead": False}
    threading.Thread(target=pump, args=(conn, up, state), daemon=True).start()
    pump(up, conn, state)


signal.signal(signal.SIGUSR1, on_signal)
signal.signal(signal.SIGUSR2, on_signal)
TARGET = int(sys.argv[2])
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0))
srv.listen(128)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(srv.getsockname()[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
while True:
    c, _ = srv.accept()
    threading.Thread(target=handle, args=(c,), daemon=True).start()
