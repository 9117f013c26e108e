#!/usr/bin/env python3
"""TCP clients for tests/cli/t_metrics_conncap.sh (rasgate-metrics'
connection cap).

usage:
  conncap_probe.py hold PORT N RELEASE
      open N idle connections to 127.0.0.1:PORT (sending nothing), print
      how many connected, then hold them until the file RELEASE exists
      and close them all.
  conncap_probe.py get PORT SECONDS
      GET /metrics over HTTP/1.1 with "Connection: close"; print the
      status code, "timeout" if no complete answer came within SECONDS,
      or "closed" if the server closed without one.
  conncap_probe.py mixed PORT N
      N connections ended every way evhttp frees one: closed at once,
      reset, a partial request then closed, garbage (400), HTTP/1.0 and
      "Connection: close" GETs (server closes), a keep-alive GET then
      closed by the client. Fails unless every GET got a whole 200.
"""
import os
import socket
import struct
import sys
import time


def connect(port, timeout=5.0):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    return s


def read_reply(s, deadline):
    """Reads until EOF or a complete response; returns (status, body)."""
    data = b""
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return ("timeout", data)
        s.settimeout(left)
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            return ("timeout", data)
        except ConnectionResetError:
            chunk = b""
        if not chunk:
            break
        data += chunk
        head, sep, body = data.partition(b"\r\n\r\n")
        if sep:
            for line in head.split(b"\r\n")[1:]:
                k, _, v = line.partition(b":")
                if k.strip().lower() == b"content-length":
                    if len(body) >= int(v):
                        return (head.split(b" ")[1].decode(), body)
    if not data:
        return ("closed", data)
    head, sep, body = data.partition(b"\r\n\r\n")
    return (head.split(b" ")[1].decode() if sep else "closed", body)


def whole_200(status, body):
    return status == "200" and b"rasgate_up" in body


def hold(port, n, release):
    socks = []
    for _ in range(n):
        try:
            socks.append(connect(port, 3.0))
        except OSError:
            break
    print(len(socks), flush=True)
    while not os.path.exists(release):
        time.sleep(0.05)
    for s in socks:
        s.close()


def get(port, seconds):
    deadline = time.monotonic() + seconds
    try:
        s = connect(port, seconds)
        s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n"
                  b"Connection: close\r\n\r\n")
        status, _ = read_reply(s, deadline)
        s.close()
    except OSError:
        status = "timeout"
    print(status)


def mixed(port, n):
    bad = 0
    for i in range(n):
        kind = i % 7
        s = connect(port)
        deadline = time.monotonic() + 5
        if kind == 0:           # connect, close at once
            pass
        elif kind == 1:         # reset
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                         struct.pack("ii", 1, 0))
        elif kind == 2:         # a partial request, then gone
            s.sendall(b"GET /metr")
        elif kind == 3:         # not HTTP: 400 and the server closes
            s.sendall(b"\x16\x03\x01 hello\r\n\r\n")
            read_reply(s, deadline)
        elif kind in (4, 5):    # the server closes after the reply
            req = (b"GET /metrics HTTP/1.0\r\n\r\n" if kind == 4 else
                   b"GET /metrics HTTP/1.1\r\nHost: x\r\n"
                   b"Connection: close\r\n\r\n")
            s.sendall(req)
            status, body = read_reply(s, deadline)
            if not whole_200(status, body):
                print("kind %d: %s, %d bytes" % (kind, status, len(body)),
                      file=sys.stderr)
                bad += 1
        else:                   # keep-alive: the client closes
            s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
            status, body = read_reply(s, deadline)
            if not whole_200(status, body):
                bad += 1
        s.close()
    print("%d bad" % bad)
    sys.exit(1 if bad else 0)


def main():
    a = sys.argv[1:]
    if len(a) == 4 and a[0] == "hold":
        hold(int(a[1]), int(a[2]), a[3])
    elif len(a) == 3 and a[0] == "get":
        get(int(a[1]), float(a[2]))
    elif len(a) == 3 and a[0] == "mixed":
        mixed(int(a[1]), int(a[2]))
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
