#!/usr/bin/env python3
"""A minimal IKEv1 Main Mode initiator for the host-side tests of
rasgate-ikesvc (standard library only). It sends hand-built first and
third Main Mode messages and prints what came back, one line per probe.

usage: ike_probe.py HOST MODE [COUNT]
  mm1      MM1 (AES256-SHA1-MODP2048, PSK, NAT-T and DPD VIDs) to port
           500: prints "MM2 rcookie=.. xf=encr:7,keylen:256,.. vids=.."
           or "NOTIFY <type>" or "TIMEOUT"
  repeat   the same MM1 twice from one socket: "SAME" if both answers
           carry the same responder cookie
  natt     MM1 to port 4500 behind the non-ESP marker: "MM2 ..." when the
           answer also starts with the marker
  aggr     an Aggressive Mode first message: "NOTIFY 7" expected
  weak     MM1 offering only 3DES-SHA1-MODP1024
  mm3      MM1, then MM3 (KE, nonce, NAT-D): "MM4 payloads=.." on success
  flood    COUNT MM1s, each from its own socket: "MM2=n NOTIFY=m OTHER=k"
"""
import hashlib, os, socket, struct, sys

# RFC 3526 section 3: the 2048-bit MODP group (group 14), generator 2.
P2048 = int(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74"
    "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437"
    "4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05"
    "98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB"
    "9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718"
    "3995497CEA956AE515D2261898FA051015728E5A8AACAA68FFFFFFFFFFFFFFFF",
    16)
VID_NATT = bytes.fromhex("4a131c81070358455c5728f20e95452f")
VID_DPD = bytes.fromhex("afcad71368a1f1c96b8696fc77570100")
PL_SA, PL_KE, PL_NONCE, PL_N, PL_VID, PL_NATD = 1, 4, 10, 11, 13, 20
TIMEOUT = 3.0


def payloads(chain):
    """[(type, body)] from a list of (type, body), Next Payload chained."""
    out = b""
    for i, (t, body) in enumerate(chain):
        nxt = chain[i + 1][0] if i + 1 < len(chain) else 0
        out += struct.pack("!BBH", nxt, 0, 4 + len(body)) + body
    return out


def message(ci, cr, exch, chain, msgid=0):
    body = payloads(chain)
    first = chain[0][0] if chain else 0
    return ci + cr + struct.pack("!BBBBII", first, 0x10, exch, 0, msgid,
                                 28 + len(body)) + body


def tv(t, v):
    return struct.pack("!HH", 0x8000 | t, v)


def sa_body(encr, keylen, hash_, group):
    attrs = tv(1, encr) + (tv(14, keylen) if keylen else b"") + \
        tv(2, hash_) + tv(3, 1) + tv(4, group) + tv(11, 1) + tv(12, 28800)
    xf = struct.pack("!BBH", 1, 1, 0) + attrs           # #1, KEY_IKE
    xf = struct.pack("!BBH", 0, 0, 4 + len(xf)) + xf    # last transform
    prop = struct.pack("!BBBB", 1, 1, 0, 1) + xf        # ISAKMP, 1 xform
    prop = struct.pack("!BBH", 0, 0, 4 + len(prop)) + prop
    return struct.pack("!II", 1, 1) + prop              # DOI, situation


def mm1(ci, weak=False, exch=2):
    sa = sa_body(5, 0, 2, 2) if weak else sa_body(7, 256, 2, 14)
    return message(ci, bytes(8), exch,
                   [(PL_SA, sa), (PL_VID, VID_NATT), (PL_VID, VID_DPD)])


def parse(msg):
    """(header tuple, [(type, body)]) or None."""
    if len(msg) < 28:
        return None
    ci, cr = msg[:8], msg[8:16]
    np_, ver, exch, flags, msgid, length = struct.unpack("!BBBBII",
                                                         msg[16:28])
    pls, off, t = [], 28, np_
    while t != 0 and off + 4 <= len(msg) and not flags & 1:
        nxt, _, ln = struct.unpack("!BBH", msg[off:off + 4])
        if ln < 4 or off + ln > len(msg):
            return None
        pls.append((t, msg[off + 4:off + ln]))
        off, t = off + ln, nxt
    return (ci, cr, exch, flags, msgid), pls


def chosen_transform(sa):
    """The attributes of the single transform of a reply SA body."""
    prop = sa[8 + 4:]
    nspi = prop[2]
    xf = prop[4 + nspi + 4:]
    attrs, off, out = xf[4:], 0, []
    while off + 4 <= len(attrs):
        t, v = struct.unpack("!HH", attrs[off:off + 4])
        if t & 0x8000:
            out.append((t & 0x7fff, v))
            off += 4
        else:
            off += 4 + v
    names = {1: "encr", 14: "keylen", 2: "hash", 3: "auth", 4: "group",
             11: "lifetype", 12: "life"}
    return ",".join("%s:%d" % (names.get(t, str(t)), v) for t, v in out)


def describe(reply):
    p = parse(reply)
    if p is None:
        return "BAD"
    (ci, cr, exch, flags, msgid), pls = p
    for t, body in pls:
        if t == PL_N and len(body) >= 8:
            return "NOTIFY %d" % struct.unpack("!H", body[6:8])[0]
    if exch == 2 and pls and pls[0][0] == PL_SA:
        vids = ",".join(b.hex()[:8] for t, b in pls if t == PL_VID)
        return "MM2 rcookie=%s xf=%s vids=%s" % (
            cr.hex(), chosen_transform(pls[0][1]), vids or "-")
    if exch == 2 and pls and pls[0][0] == PL_KE:
        return "MM4 payloads=%s" % ",".join(str(t) for t, _ in pls)
    return "OTHER exch=%d payloads=%s" % (exch, [t for t, _ in pls])


def sock(host):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", 0))
    s.settimeout(TIMEOUT)
    return s


def ask(s, host, port, msg, marker=False):
    s.sendto((bytes(4) if marker else b"") + msg, (host, port))
    try:
        data = s.recv(65535)
    except socket.timeout:
        return None
    if marker:
        if data[:4] != bytes(4):
            return b""
        data = data[4:]
    return data


def natd(ci, cr, addr, port):
    return hashlib.sha1(ci + cr + socket.inet_aton(addr) +
                        struct.pack("!H", port)).digest()


def run_mm3(host):
    s, ci = sock(host), os.urandom(8)
    r = ask(s, host, 500, mm1(ci))
    if r is None or not describe(r).startswith("MM2"):
        return "NO-MM2 " + (describe(r) if r else "TIMEOUT")
    cr = r[8:16]
    x = int.from_bytes(os.urandom(32), "big")
    gx = pow(2, x, P2048).to_bytes(256, "big")
    laddr, lport = s.getsockname()
    if laddr == "0.0.0.0":
        laddr = host
    m3 = message(ci, cr, 2, [(PL_KE, gx), (PL_NONCE, os.urandom(32)),
                             (PL_NATD, natd(ci, cr, host, 500)),
                             (PL_NATD, natd(ci, cr, laddr, lport))])
    r = ask(s, host, 500, m3)
    return describe(r) if r is not None else "TIMEOUT"


def main():
    host, mode = sys.argv[1], sys.argv[2]
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    if mode in ("mm1", "weak", "aggr"):
        s = sock(host)
        r = ask(s, host, 500, mm1(os.urandom(8), weak=mode == "weak",
                                  exch=4 if mode == "aggr" else 2))
        print(describe(r) if r is not None else "TIMEOUT")
    elif mode == "repeat":
        s, m = sock(host), mm1(os.urandom(8))
        a, b = ask(s, host, 500, m), ask(s, host, 500, m)
        if a is None or b is None:
            print("TIMEOUT")
        else:
            print("SAME" if a[8:16] == b[8:16] and a[8:16] != bytes(8)
                  else "DIFFERENT")
    elif mode == "natt":
        s = sock(host)
        r = ask(s, host, 4500, mm1(os.urandom(8)), marker=True)
        print("TIMEOUT" if r is None else "NO-MARKER" if r == b"" else
              describe(r))
    elif mode == "mm3":
        print(run_mm3(host))
    elif mode == "flood":
        n = {"MM2": 0, "NOTIFY": 0, "OTHER": 0}
        socks = []
        for _ in range(count):
            s = sock(host)
            socks.append(s)
            r = ask(s, host, 500, mm1(os.urandom(8)))
            d = describe(r) if r is not None else "OTHER"
            n[d.split()[0] if d.split()[0] in n else "OTHER"] += 1
        print("MM2=%d NOTIFY=%d OTHER=%d" % (n["MM2"], n["NOTIFY"],
                                             n["OTHER"]))
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
