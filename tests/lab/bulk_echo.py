#!/usr/bin/env python3
"""Bulk data both ways through a tunnel, for the lab.

  bulk_echo.py serve ADDR PORT      echo every byte back (one connection)
  bulk_echo.py send ADDR PORT BYTES send BYTES of pseudo-random data while
                                    reading the echo; exit 0 only if every
                                    byte came back in order within 120 s
"""
import hashlib
import socket
import sys
import threading
import time


def serve(addr, port):
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    ls = socket.socket(fam, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, port))
    ls.listen(1)
    c, _ = ls.accept()
    while True:
        b = c.recv(65536)
        if not b:
            break
        c.sendall(b)
    c.close()


def block(i):
    return hashlib.sha256(i.to_bytes(8, "big")).digest() * 512  # 16 KB


def send(addr, port, total):
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.create_connection((addr, port), timeout=120)
    sent_hash = hashlib.sha256()

    def writer():
        left, i = total, 0
        while left > 0:
            b = block(i)[:left]
            sent_hash.update(b)
            s.sendall(b)
            left -= len(b)
            i += 1
        s.shutdown(socket.SHUT_WR)

    t = threading.Thread(target=writer)
    t0 = time.time()
    t.start()
    got, h = 0, hashlib.sha256()
    while got < total:
        b = s.recv(65536)
        if not b:
            break
        h.update(b)
        got += len(b)
    t.join()
    dt = time.time() - t0
    ok = got == total and h.digest() == sent_hash.digest()
    print("bulk: sent %d, echoed %d, %s, %.1f s" %
          (total, got, "intact" if ok else "CORRUPT OR SHORT", dt))
    return 0 if ok else 1


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit(send(sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))
