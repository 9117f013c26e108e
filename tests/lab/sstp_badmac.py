#!/usr/bin/env python3
"""Minimal SSTP test client for the rasgate lab (t_sstp_binding.sh).

Python is used here on purpose: sstpc always sends a correct compound MAC,
and this test needs a client that can send a wrong one. It speaks just
enough SSTP and PPP for a PAP login:

  TLS -> HTTP SSTP_DUPLEX_POST -> Call Connect Request -> Call Connect Ack
  (nonce) -> PPP in SSTP data packets (raw frames, FF 03 + protocol): LCP
  Configure-Request/Ack both ways, PAP Authenticate-Request/Ack, IPCP ->
  Call Connected with a Crypto Binding ([MS-SSTP] 2.2.7, 3.2.5.2).

After PAP there are no inner keys, so the HLAK is 32 zero bytes.

Like sstpc, it sends Call Connected only once IPCP is up, and just before
it an ICMP echo request to the server's PPP address: a data frame the
server must hold until the binding is verified. good: the echo reply must
come after Call Connected; bad: it must never come.

  sstp_badmac.py HOST PORT USER PASSWORD good|bad

good: correct compound MAC; expects no Call Abort for HOLD seconds, then
      disconnects (Call Disconnect / Disconnect Ack); exit 0.
bad:  compound MAC with one bit flipped; expects Call Abort (type 5) and
      the connection closed; exit 0.
Any other outcome exits 1 with a reason; every wait is bounded.
"""

import hashlib
import hmac
import os
import socket
import ssl
import struct
import sys
import time

DEADLINE = 40.0         # whole run, seconds
HOLD = 4.0              # good mode: how long no abort must come

# SSTP message types and attribute IDs ([MS-SSTP] 2.2)
CONNECT_REQ, CONNECT_ACK, CONNECT_NAK, CONNECTED, ABORT = 1, 2, 3, 4, 5
DISCONNECT, DISCONNECT_ACK, ECHO_REQ, ECHO_RESP = 6, 7, 8, 9
MSG_NAMES = {1: "Call Connect Request", 2: "Call Connect Ack",
             3: "Call Connect Nak", 4: "Call Connected", 5: "Call Abort",
             6: "Call Disconnect", 7: "Call Disconnect Ack",
             8: "Echo Request", 9: "Echo Response"}
A_ENCAP, A_STATUS, A_BINDING, A_BINDING_REQ = 1, 2, 3, 4
HASH_SHA256 = 2

# PPP protocols (RFC 1661, 1334, 1332)
LCP, PAP, IPCP = 0xC021, 0xC023, 0x8021
CONF_REQ, CONF_ACK, CONF_NAK, CONF_REJ = 1, 2, 3, 4
TERM_REQ, TERM_ACK, ECHO_REQUEST, ECHO_REPLY = 5, 6, 9, 10


class TestFailure(Exception):
    pass


def log(msg):
    print("sstp_badmac: " + msg, flush=True)


def control(mtype, attrs=b"", nattr=0):
    body = struct.pack("!HH", mtype, nattr) + attrs
    return struct.pack("!BBH", 0x10, 0x01, 4 + len(body)) + body


def attribute(aid, value):
    return struct.pack("!BBH", 0, aid, 4 + len(value)) + value


def call_connected(nonce, cert_hash, mac):
    """112-byte Call Connected with one Crypto Binding attribute."""
    value = b"\x00\x00\x00" + bytes([HASH_SHA256]) + nonce + cert_hash + mac
    msg = control(CONNECTED, attribute(A_BINDING, value), 1)
    assert len(msg) == 112
    return msg


def compound_mac(hlak, nonce, cert_hash):
    seed = b"SSTP inner method derived CMK" + b"\x20\x00" + b"\x01"
    cmk = hmac.new(hlak, seed, hashlib.sha256).digest()
    zeroed = call_connected(nonce, cert_hash, bytes(32))
    return cmk, hmac.new(cmk, zeroed, hashlib.sha256).digest()


class Client:
    def __init__(self, host, port):
        self.end = time.monotonic() + DEADLINE
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE     # lab self-signed certificate
        raw = socket.create_connection((host, port), timeout=10)
        self.sock = ctx.wrap_socket(raw)
        self.der = self.sock.getpeercert(binary_form=True)
        if not self.der:
            raise TestFailure("no server certificate")
        self.buf = b""
        self.closed = False

    def left(self):
        t = self.end - time.monotonic()
        if t <= 0:
            raise TestFailure("overall deadline of %.0f s passed" % DEADLINE)
        return t

    def fill(self, timeout):
        """Reads more bytes; False on timeout; sets closed on EOF."""
        self.sock.settimeout(max(0.05, min(timeout, self.left())))
        try:
            data = self.sock.recv(65536)
        except socket.timeout:
            return False
        except (ssl.SSLError, ConnectionError, OSError) as e:
            log("read ended: %s" % e)
            data = b""
        if not data:
            self.closed = True
            return False
        self.buf += data
        return True

    def send(self, data):
        self.sock.sendall(data)

    def http(self):
        self.send(b"SSTP_DUPLEX_POST /sra_{BA195980-CD49-458b-9E23-"
                  b"C84EE0ADCD75}/ HTTP/1.1\r\nHost: rasgate-lab\r\n"
                  b"SSTPCORRELATIONID: {6A1D4C8E-2B7F-4E09-9C35-"
                  b"D0E1F2A3B4C5}\r\n"
                  b"Content-Length: 18446744073709551615\r\n\r\n")
        while b"\r\n\r\n" not in self.buf:
            if not self.fill(self.left()) and self.closed:
                raise TestFailure("connection closed during HTTP")
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        status = head.split(b"\r\n", 1)[0].decode("latin-1")
        log("HTTP answer: " + status)
        if not status.startswith("HTTP/1.1 200"):
            raise TestFailure("HTTP answer is not 200: " + status)

    def packet(self, timeout):
        """Next SSTP packet (control, payload) or None on timeout/EOF."""
        end = min(time.monotonic() + timeout, self.end)
        while True:
            if len(self.buf) >= 4:
                if self.buf[0] != 0x10:
                    raise TestFailure("bad SSTP version 0x%02x" % self.buf[0])
                plen = ((self.buf[2] & 0x0F) << 8) | self.buf[3]
                if plen < 4:
                    raise TestFailure("bad SSTP length %d" % plen)
                if len(self.buf) >= plen:
                    pkt, self.buf = self.buf[:plen], self.buf[plen:]
                    return bool(pkt[1] & 1), pkt[4:]
            if self.closed:
                return None
            t = end - time.monotonic()
            if t <= 0:
                return None
            self.fill(t)


def parse_attrs(body):
    mtype, nattr = struct.unpack("!HH", body[:4])
    attrs, off = [], 4
    for _ in range(nattr):
        aid = body[off + 1]
        alen = struct.unpack("!H", body[off + 2:off + 4])[0] & 0x0FFF
        attrs.append((aid, body[off + 4:off + alen]))
        off += alen
    return mtype, attrs


def ppp_frame(proto, code, ident, data):
    return (b"\xff\x03" + struct.pack("!H", proto) +
            struct.pack("!BBH", code, ident, 4 + len(data)) + data)


def ppp_parse(frame):
    """(protocol, code, id, data) of a raw PPP frame; ACFC/PFC tolerated."""
    if frame[:2] == b"\xff\x03":
        frame = frame[2:]
    if frame[0] & 1:
        proto, frame = frame[0], frame[1:]
    else:
        proto, frame = struct.unpack("!H", frame[:2])[0], frame[2:]
    if len(frame) < 4:
        return proto, None, None, b""
    code, ident, length = struct.unpack("!BBH", frame[:4])
    return proto, code, ident, frame[4:length]


IPV4 = 0x0021


def checksum(b):
    if len(b) % 2:
        b += b"\x00"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def echo_request(src, dst, ident):
    """An IPv4 ICMP echo request (type 8) as a PPP frame."""
    icmp = struct.pack("!BBHHH", 8, 0, 0, ident, 1) + b"rasgate-lab-held"
    icmp = icmp[:2] + struct.pack("!H", checksum(icmp)) + icmp[4:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(icmp), ident, 0,
                     64, 1, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    return b"\xff\x03" + struct.pack("!H", IPV4) + ip + icmp


def options(data):
    out, off = [], 0
    while off + 2 <= len(data) and data[off + 1] >= 2:
        out.append((data[off], data[off + 2:off + data[off + 1]]))
        off += data[off + 1]
    return out


class Session:
    def __init__(self, c, user, password):
        self.c = c
        self.user = user.encode()
        self.password = password.encode()
        self.nonce = None
        self.lcp_peer_acked = False     # we acked the server's request
        self.lcp_our_acked = False      # the server acked ours
        self.lcp_id = 0
        self.pap_sent = False
        self.pap_ok = False
        self.ipcp_addr = b"\x00\x00\x00\x00"
        self.ipcp_id = 1
        self.ip = None
        self.server_ip = None
        self.echo_reply = False
        self.connected_sent = False
        self.abort = False

    def data(self, frame):
        self.c.send(struct.pack("!BBH", 0x10, 0x00, 4 + len(frame)) + frame)

    def connect(self):
        self.c.send(control(CONNECT_REQ, attribute(A_ENCAP, b"\x00\x01"), 1))
        while self.nonce is None:
            p = self.c.packet(self.c.left())
            if p is None:
                raise TestFailure("no Call Connect Ack")
            ctl, body = p
            if not ctl:
                continue
            mtype, attrs = parse_attrs(body)
            if mtype != CONNECT_ACK:
                raise TestFailure("expected Call Connect Ack, got %s" %
                                  MSG_NAMES.get(mtype, mtype))
            for aid, val in attrs:
                if aid == A_BINDING_REQ and len(val) == 36:
                    if not val[3] & HASH_SHA256:
                        raise TestFailure("server does not offer SHA-256")
                    self.nonce = val[4:36]
            if self.nonce is None:
                raise TestFailure("Call Connect Ack without a nonce")
        log("Call Connect Ack, nonce %s" % self.nonce.hex())
        self.lcp_request()

    def lcp_request(self):
        """Our LCP Configure-Request: no options (all defaults)."""
        self.lcp_id += 1
        self.data(ppp_frame(LCP, CONF_REQ, self.lcp_id, b""))

    def on_control(self, body):
        mtype, attrs = parse_attrs(body)
        log("received %s" % MSG_NAMES.get(mtype, "type %d" % mtype))
        if mtype == ECHO_REQ:
            self.c.send(control(ECHO_RESP))
        elif mtype == ABORT:
            for aid, val in attrs:
                if aid == A_STATUS and len(val) >= 8:
                    log("  status attribute %d, status %d" %
                        (val[3], struct.unpack("!I", val[4:8])[0]))
            self.abort = True
        elif mtype == DISCONNECT:
            self.c.send(control(DISCONNECT_ACK))
        return mtype

    def on_ppp(self, frame):
        proto, code, ident, data = ppp_parse(frame)
        if proto == IPV4:
            ip = frame[4:] if frame[:2] == b"\xff\x03" else frame[2:]
            if len(ip) >= 28 and ip[9] == 1 and ip[20] == 0:
                log("ICMP echo reply from %s%s" % (socket.inet_ntoa(ip[12:16]),
                    "" if self.connected_sent else
                    " BEFORE Call Connected"))
                if not self.connected_sent:
                    raise TestFailure("data crossed before Call Connected")
                self.echo_reply = True
            return
        if proto == LCP:
            if code == CONF_REQ:
                log("LCP Configure-Request from the server: %s" %
                    " ".join("%d:%s" % (t, v.hex()) for t, v in options(data)))
                for t, v in options(data):
                    if t == 3 and v[:2] != b"\xc0\x23":
                        raise TestFailure("server asks for auth %s, not PAP"
                                          % v.hex())
                self.data(ppp_frame(LCP, CONF_ACK, ident, data))
                self.lcp_peer_acked = True
                if not self.lcp_our_acked:
                    # ours may have gone before pppd was there: again
                    self.lcp_request()
            elif code == CONF_ACK and ident == self.lcp_id:
                self.lcp_our_acked = True
            elif code in (CONF_NAK, CONF_REJ):
                raise TestFailure("server refused our empty LCP request")
            elif code == ECHO_REQUEST:
                self.data(ppp_frame(LCP, ECHO_REPLY, ident,
                                    b"\x00\x00\x00\x00" + data[4:]))
            elif code == TERM_REQ:
                log("LCP Terminate-Request from the server")
                self.data(ppp_frame(LCP, TERM_ACK, ident, b""))
        elif proto == PAP:
            if code == 2:
                log("PAP Authenticate-Ack")
                self.pap_ok = True
            elif code == 3:
                raise TestFailure("PAP Authenticate-Nak")
        elif proto == IPCP:
            if code == CONF_REQ:
                for t, v in options(data):
                    if t == 3:
                        self.server_ip = v
                self.data(ppp_frame(IPCP, CONF_ACK, ident, data))
            elif code == CONF_NAK:
                for t, v in options(data):
                    if t == 3:
                        self.ipcp_addr = v
                self.ipcp_id += 1
                self.ipcp_request()
            elif code == CONF_ACK:
                self.ip = socket.inet_ntoa(self.ipcp_addr)
                log("IPCP up, address %s" % self.ip)
        elif proto == 0xC223 or proto == 0x80FD:
            pass
        else:
            # unknown protocol: LCP Protocol-Reject (RFC 1661 5.7)
            self.data(ppp_frame(LCP, 8, 1, frame[2:]))
        if (self.lcp_peer_acked and self.lcp_our_acked and
                not self.pap_sent):
            self.pap_sent = True
            req = (bytes([len(self.user)]) + self.user +
                   bytes([len(self.password)]) + self.password)
            log("LCP open; PAP Authenticate-Request for %s" %
                self.user.decode())
            self.data(ppp_frame(PAP, 1, 1, req))

    def ipcp_request(self):
        self.data(ppp_frame(IPCP, CONF_REQ, self.ipcp_id,
                            b"\x03\x06" + self.ipcp_addr))

    def pump(self, timeout):
        """Handles packets for up to timeout s; the last control type."""
        p = self.c.packet(timeout)
        if p is None:
            return None
        ctl, body = p
        if ctl:
            return self.on_control(body)
        self.on_ppp(body)
        return 0


def main():
    if len(sys.argv) != 6 or sys.argv[5] not in ("good", "bad"):
        sys.exit("usage: sstp_badmac.py HOST PORT USER PASSWORD good|bad")
    host, port, user, password, mode = sys.argv[1:]
    c = Client(host, int(port))
    cert_hash = hashlib.sha256(c.der).digest()
    log("TLS %s, server certificate SHA-256 %s" % (c.sock.version(),
                                                   cert_hash.hex()))
    c.http()
    s = Session(c, user, password)
    s.connect()
    while not s.pap_ok:
        if s.pump(c.left()) is None and c.closed:
            raise TestFailure("connection closed before PAP succeeded")
        if s.abort:
            raise TestFailure("Call Abort before PAP succeeded")
    s.ipcp_request()
    while s.ip is None or s.server_ip is None:
        if s.pump(c.left()) is None and c.closed:
            raise TestFailure("connection closed before IPCP was up")
        if s.abort:
            raise TestFailure("Call Abort before IPCP was up")
    log("ICMP echo request to %s before Call Connected" %
        socket.inet_ntoa(s.server_ip))
    s.data(echo_request(s.ipcp_addr, s.server_ip, 0x5247))
    t = time.monotonic() + 1.0
    while time.monotonic() < t:
        s.pump(max(0.05, t - time.monotonic()))
    cmk, mac = compound_mac(bytes(32), s.nonce, cert_hash)
    log("CMK %s" % cmk.hex())
    log("correct compound MAC %s" % mac.hex())
    if mode == "bad":
        mac = bytes([mac[0] ^ 0x01]) + mac[1:]
    log("sending Call Connected with the %s MAC %s" %
        ("WRONG" if mode == "bad" else "correct", mac.hex()))
    c.send(call_connected(s.nonce, cert_hash, mac))
    s.connected_sent = True

    if mode == "bad":
        while not s.abort:
            if s.pump(c.left()) is None and c.closed:
                raise TestFailure("closed without a Call Abort")
        t = time.monotonic()
        while not c.closed:
            s.pump(min(10.0, c.left()))
            if time.monotonic() - t > 10:
                raise TestFailure("connection still open 10 s after "
                                  "the Call Abort")
        if s.echo_reply:
            raise TestFailure("echo reply after a wrong compound MAC")
        log("RESULT: Call Abort received, connection closed")
        return 0

    hold_end = time.monotonic() + HOLD
    while time.monotonic() < hold_end or not s.echo_reply:
        if time.monotonic() > hold_end + 5:
            raise TestFailure("no echo reply to the data held before "
                              "Call Connected")
        s.pump(max(0.05, hold_end - time.monotonic()))
        if s.abort:
            raise TestFailure("Call Abort after a correct compound MAC")
        if c.closed:
            raise TestFailure("connection closed after a correct MAC")
    log("RESULT: no Call Abort for %.0f s after Call Connected; the echo "
        "sent before it was answered" % HOLD)
    c.send(control(DISCONNECT, b"", 0))
    while True:
        r = s.pump(c.left())
        if r == DISCONNECT_ACK:
            log("Call Disconnect Ack received")
            return 0
        if r is None and c.closed:
            log("connection closed after Call Disconnect")
            return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except TestFailure as e:
        log("FAIL: %s" % e)
        sys.exit(1)
    except (OSError, ssl.SSLError) as e:
        log("FAIL: %s" % e)
        sys.exit(1)
