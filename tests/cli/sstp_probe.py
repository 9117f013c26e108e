#!/usr/bin/env python3
"""A tiny SSTP test client for the host-side tests: TLS, the HTTP head and
the first SSTP messages. Real clients (sstpc) run in the lab; this probes
the cases they cannot produce (bad requests, holding a slot open).

usage: sstp_probe.py HOST PORT MODE [HOLD]
  MODE ok     send the SSTP request, print the status line, hold the
              connection open (HOLD: seconds, or @FILE: until FILE exists,
              at most 50 s, so a test decides when the slot is given
              back whatever the machine's load), then send a Call
              Connect Request and print the reply's message type
  MODE path   send a request for a wrong URI, print the status line
  MODE method send a GET, print the status line
"""
import socket, ssl, sys, time

import os, struct
host, port, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
hold = sys.argv[4] if len(sys.argv) > 4 else "0"
# PROXY=v1|v2 (environment): send a PROXY protocol header claiming the
# client is 203.0.113.7:4242 before TLS, as a load balancer would.
proxy = os.environ.get("PROXY", "")
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
raw = socket.create_connection((host, port), timeout=10)
if proxy == "v1":
    raw.sendall(b"PROXY TCP4 203.0.113.7 127.0.0.1 4242 443\r\n")
elif proxy == "v2":
    body = socket.inet_aton("203.0.113.7") + socket.inet_aton("127.0.0.1") + struct.pack("!HH", 4242, 443)
    raw.sendall(b"\r\n\r\n\x00\r\nQUIT\n" + bytes([0x21, 0x11]) + struct.pack("!H", len(body)) + body)
# PLAIN=1: no TLS, as behind a TLS-offloading front end
s = raw if os.environ.get("PLAIN") else ctx.wrap_socket(raw)
uri = "/sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/"
method = "SSTP_DUPLEX_POST"
if mode == "path":
    uri = "/other/"
if mode == "method":
    method = "GET"
s.sendall((f"{method} {uri} HTTP/1.1\r\nHost: {host}\r\n"
           "Content-Length: 18446744073709551615\r\n"
           "SSTPCORRELATIONID: {11111111-2222-3333-4444-555555555555}\r\n\r\n").encode())
head = b""
while b"\r\n\r\n" not in head:
    d = s.recv(4096)
    if not d:
        break
    head += d
print(head.split(b"\r\n")[0].decode(errors="replace"), flush=True)
if mode == "ok" and head.startswith(b"HTTP/1.1 200"):
    if hold.startswith("@"):
        end = time.monotonic() + 50
        while not os.path.exists(hold[1:]) and time.monotonic() < end:
            time.sleep(0.05)
    else:
        time.sleep(float(hold))
    s.sendall(bytes.fromhex("1001000e00010001000100060001"))
    rest = head.split(b"\r\n\r\n", 1)[1]
    while len(rest) < 8:
        d = s.recv(4096)
        if not d:
            break
        rest += d
    print("sstp-reply-type", int.from_bytes(rest[4:6], "big") if len(rest) >= 8 else -1)
s.close()
