#!/usr/bin/env python3
"""Helpers for tests/cli/t_metrics.sh and tests/lab/t_metrics.sh.

usage:
  metrics_probe.py scrape URL
      GET URL; fail unless it is 200 with the exposition's Content-Type
      and valid text format 0.0.4 (checked line by line: every family
      has HELP then TYPE once, samples only of the family last typed,
      counters end in _total, histogram buckets cumulative and ending
      with le="+Inf" equal to _count, label values escaped); print the
      body.
  metrics_probe.py value URL SAMPLE
      print the value of one sample, e.g.
      'rasgate_sessions{protocol="sstp"}'; fail when it is absent.
  metrics_probe.py fake PATH silent|records
      a stand-in daemon on the metrics socket PATH (SOCK_SEQPACKET,
      common/ipc.h framing) that accepts and never answers, or answers
      CTL_METRICS with fixed records; runs until killed.
"""
import os
import re
import socket
import struct
import sys
import urllib.request

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LABEL = r'[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"'
SAMPLE = re.compile(r"^(%s)(\{%s(?:,%s)*\})? ([0-9]+(?:\.[0-9]+)?|\+Inf)$"
                    % (NAME, LABEL, LABEL))
LABELS = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"')


def fail(msg):
    print("metrics_probe: " + msg, file=sys.stderr)
    sys.exit(1)


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.headers.get("Content-Type"), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type"), e.read()


def validate(text):
    """Checks the exposition; returns {family: type} and the samples."""
    types, samples, fam, ftype = {}, [], None, None
    lines = text.split("\n")
    if lines[-1] != "":
        fail("the body does not end with a newline")
    lines = lines[:-1]
    i = 0
    while i < len(lines):
        line = lines[i]
        if any(ord(c) < 0x20 or ord(c) > 0x7e for c in line):
            fail("non-printable byte in: %r" % line)
        m = re.match(r"^# HELP (%s) (.+)$" % NAME, line)
        if m:
            fam = m.group(1)
            if fam in types:
                fail("family %s twice" % fam)
            i += 1
            t = re.match(r"^# TYPE (%s) (counter|gauge|histogram)$" % NAME,
                         lines[i] if i < len(lines) else "")
            if not t or t.group(1) != fam:
                fail("no TYPE right after HELP of %s" % fam)
            ftype = types[fam] = t.group(2)
            if ftype == "counter" and not fam.endswith("_total"):
                fail("counter %s does not end in _total" % fam)
            i += 1
            continue
        m = SAMPLE.match(line)
        if not m:
            fail("not a sample line: %r" % line)
        name = m.group(1)
        labels = dict(LABELS.findall(m.group(2) or ""))
        ok = name == fam
        if ftype == "histogram":
            ok = name in (fam + "_bucket", fam + "_sum", fam + "_count")
        if fam is None or not ok:
            fail("sample %s outside its family (%s)" % (name, fam))
        samples.append((name, labels, m.group(3)))
        i += 1
    check_histograms(types, samples)
    return types, samples


def check_histograms(types, samples):
    for fam, t in types.items():
        if t != "histogram":
            continue
        series = {}
        for name, labels, v in samples:
            if not name.startswith(fam + "_"):
                continue
            key = tuple(sorted((k, x) for k, x in labels.items() if k != "le"))
            series.setdefault(key, {"b": [], "sum": None, "count": None})
            s = series[key]
            if name == fam + "_bucket":
                s["b"].append((labels["le"], float(v)))
            else:
                s[name[len(fam) + 1:]] = float(v)
        for key, s in series.items():
            les = [x for x, _ in s["b"]]
            vals = [y for _, y in s["b"]]
            if not les or les[-1] != "+Inf":
                fail("%s%s: no le=\"+Inf\" bucket last" % (fam, key))
            bounds = [float(x) for x in les[:-1]]
            if bounds != sorted(bounds) or len(set(bounds)) != len(bounds):
                fail("%s%s: le not increasing" % (fam, key))
            if vals != sorted(vals):
                fail("%s%s: buckets not cumulative" % (fam, key))
            if s["count"] is None or s["sum"] is None or vals[-1] != s["count"]:
                fail("%s%s: +Inf bucket, _sum, _count disagree" % (fam, key))


def scrape(url):
    code, ctype, body = get(url)
    if code != 200:
        fail("%s: HTTP %d" % (url, code))
    if ctype != CONTENT_TYPE:
        fail("Content-Type %r, not %r" % (ctype, CONTENT_TYPE))
    text = body.decode("ascii")
    validate(text)
    sys.stdout.write(text)


def value(url, want):
    code, _, body = get(url)
    if code != 200:
        fail("%s: HTTP %d" % (url, code))
    for line in body.decode("ascii").split("\n"):
        if line.startswith(want + " "):
            print(line[len(want) + 1:])
            return
    fail("no sample %s" % want)


CTL_METRICS, CTL_RECORD, CTL_END = 0x0305, 0x0381, 0x0382
RECORDS = [
    b'daemon=sstpd pid=1 sku="we\\"ird\\x0asku" proto=sstp used=1 limit=7',
    b"sessions=1 refused_limit=2 binding_failures=3",
    b"refused_auth=4 refused_pool=5 refused_address=6 auth_denied=7 "
    b"auth_unavailable=8 auth_unsupported=9 auth_internal=10 "
    b"bytes_in=11 bytes_out=12 radius_dropped=0",
    b"radius=radius.example:1812 type=auth answered=3 timeouts=1 invalid=0 "
    b"refused=0 resolve=0 local=0 sum_ms=2510 "
    b"le_ms=5,10,25,50,100,250,500,1000,2500,5000,10000 "
    b"buckets=1,0,0,0,0,0,0,0,0,2,0",
]


def frame(t, payload=b""):
    return struct.pack("!HHIII", t, 1, len(payload), 0, 0) + payload


def fake(path, mode):
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.bind(path)
    os.chmod(path, 0o666)
    s.listen(8)
    held = []
    while True:
        c, _ = s.accept()
        if mode == "silent":
            held.append(c)
            continue
        req = c.recv(65536)
        if len(req) >= 16 and struct.unpack("!H", req[:2])[0] == CTL_METRICS:
            for r in RECORDS:
                c.send(frame(CTL_RECORD, r))
            c.send(frame(CTL_END))
        c.close()


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "scrape":
        scrape(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "value":
        value(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "fake":
        fake(sys.argv[2], sys.argv[3])
    else:
        fail("usage: see the top of this file")


if __name__ == "__main__":
    main()
