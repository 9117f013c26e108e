#!/bin/bash
# rasgatectl client-profile: the directory it writes for each protocol
# and authentication, checked with independent tools — openssl for the
# certificates and fingerprints, Python's plistlib (and xmllint) for the
# macOS profile, a PowerShell single-quote reader for the script's
# literals (hostile connection name and PSK), pwsh's parser when it is
# installed — plus file modes, the PSK kept out of the README, and the
# errors.
set -u
B=$(cd "${1:-build}" && pwd)
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/../.." || exit 1
CTL=$B/bin/rasgatectl
c() { "$CTL" "$@"; }
mode() { stat -c %a "$1"; }
q() { "$@" >/dev/null; }
fp() { openssl x509 -noout -fingerprint -sha256 "$@" | sed 's/.*=//'; }

# ---- certificates, made with openssl --------------------------------------
ossl() { openssl "$@" >/dev/null 2>&1; }
ossl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout $T/self.key -out $T/self.crt -subj /CN=vpn.example.net \
    -addext subjectAltName=DNS:vpn.example.net -days 365
ossl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout $T/ca.key -out $T/ca.crt -subj "/O=Example/CN=Example Root" \
    -days 3650
ossl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout $T/srv.key -out $T/srv.csr -subj /CN=vpn.example.net
printf 'subjectAltName=DNS:vpn.example.net\nextendedKeyUsage=serverAuth\n' > $T/ext
ossl x509 -req -in $T/srv.csr -CA $T/ca.crt -CAkey $T/ca.key \
    -CAcreateserial -out $T/srv.crt -days 365 -extfile $T/ext
check "test certificates made" test -s $T/self.crt -a -s $T/srv.crt

# ---- SSTP with the self-signed certificate of state_dir ------------------
mkdir -p $T/state
cp $T/self.crt $T/state/sstp-selfsigned.crt
cat > $T/sstp.conf <<EOF
[global]
server_name = vpn.example.net
state_dir = $T/state
EOF
out=$(c -c $T/sstp.conf client-profile --out $T/p1 2>$T/err); rc=$?
check "sstp: exit 0" test $rc = 0
check "sstp: no warning" test ! -s $T/err
check "sstp: summary names the files" grep -q '^  windows-vpn.ps1$' <<<"$out"
P=$T/p1/windows-vpn.ps1
check "sstp: Add-VpnConnection with the SSTP parameters" grep -qF \
    "Add-VpnConnection -Name \$Name -ServerAddress 'vpn.example.net' -TunnelType Sstp -AuthenticationMethod MSChapv2 -EncryptionLevel Required" $P
check "sstp: the root goes into LocalMachine\\Root" grep -qF \
    "Import-Certificate -FilePath (Join-Path \$PSScriptRoot 'ca.cer') -CertStoreLocation 'Cert:\\LocalMachine\\Root'" $P
check "sstp: needs an administrator" grep -q '^#Requires -RunAsAdministrator' $P
check "sstp: no PSK, no NAT setting" sh -c "! grep -qE 'L2tpPsk|PolicyAgent' $P"
check "sstp: UTF-8 BOM first" test "$(head -c 3 $P | od -An -tx1 | tr -d ' ')" = efbbbf
check "sstp: CRLF line ends only" python3 -c "import sys; b=open(sys.argv[1],'rb').read(); assert b.count(b'\n') == b.count(b'\r\n') > 10" $P
check "sstp: ca.cer is the certificate in DER" test "$(fp -inform DER -in $T/p1/ca.cer)" = "$(fp -in $T/self.crt)"
check "sstp: ca.pem is the certificate in PEM" cmp -s $T/p1/ca.pem <(openssl x509 -in $T/self.crt)
check "sstp: README shows the SHA-256 fingerprint" grep -qF "$(fp -in $T/self.crt)" $T/p1/README.txt
check "sstp: README shows the hash Get-FileHash gives for ca.cer" grep -qx \
    "    $(sha256sum $T/p1/ca.cer | cut -d' ' -f1 | tr a-f A-F)"$'\r' $T/p1/README.txt
check "sstp: README shows the server address" grep -q '^Server address:  vpn.example.net' $T/p1/README.txt
check "sstp: no .mobileconfig (macOS has no SSTP)" test ! -e $T/p1/macos-vpn.mobileconfig
check "sstp: files 0644, directory 0700" test "$(mode $P)$(mode $T/p1/ca.cer)$(mode $T/p1)" = 644644700
check "sstp: no temporary file left" test "$(ls -A $T/p1 | grep -c tmp)" = 0

# ---- L2TP/IPsec with a PSK, a hostile name, NAT and split routes ----------
PSK='p'"'"'s$k`"x;y\z'
printf '%s\n' "$PSK" > $T/ipsec.psk
chmod 600 $T/ipsec.psk
NAME="O'Brien & <Co> \"VPN\" ‘x’ \$(calc) \`n; é"
cat > $T/l2tp.conf <<EOF
[global]
server_name = vpn.example.net
state_dir = $T/state
[l2tp]
enabled = yes
[ipsec]
psk_file = $T/ipsec.psk
behind_nat = yes
[profile]
routes = 10.20.0.0/16, 192.168.5.0/24
EOF
c -c $T/l2tp.conf client-profile --out $T/p2 --protocol l2tp --name "$NAME" >/dev/null 2>$T/err
check "l2tp: exit 0" test $? = 0
P=$T/p2/windows-vpn.ps1
M=$T/p2/macos-vpn.mobileconfig
check "l2tp: Add-VpnConnection with the L2TP parameters and the PSK" grep -qE \
    "^Add-VpnConnection -Name \\\$Name -ServerAddress 'vpn.example.net' -TunnelType L2tp -AuthenticationMethod MSChapv2 -EncryptionLevel Required .*-SplitTunneling -L2tpPsk '.*' -Force" $P
# PowerShell's rules: a quote character (' or U+2018..U+201B) doubled is
# one literal character; one alone ends the string.
cat > $T/psq.py <<'EOF'
import re, sys
Q = "'\u2018\u2019\u201a\u201b"
def lit(s, i):
    assert s[i] in Q, s[i:i+20]
    i += 1; out = ""
    while True:
        if s[i] in Q:
            if i + 1 < len(s) and s[i + 1] in Q:
                out += s[i + 1]; i += 2; continue
            return out, i + 1
        out += s[i]; i += 1
t = open(sys.argv[1], encoding="utf-8-sig", newline="").read()
a = t.index("$Name = ") + 8
name, end = lit(t, a)
assert t[end:end + 2] == "\r\n", repr(t[end:end + 10])
assert name == sys.argv[2], (name, sys.argv[2])
b = t.index("-L2tpPsk ") + 9
psk, end = lit(t, b)
assert psk == sys.argv[3], (psk, sys.argv[3])
assert t[end:].startswith(" -Force\r\n")
# the name is never written outside its literal
assert t.count("calc") == 1
EOF
check "l2tp: name and PSK read back whole as PowerShell literals" python3 $T/psq.py $P "$NAME" "$PSK"
check "l2tp: behind NAT: the registry value 2" grep -qF -- \
    "-Name 'AssumeUDPEncapsulationContextOnSendRule' -PropertyType DWord -Value 2" $P
check "l2tp: behind NAT: a reboot is asked for" grep -q "^Write-Warning 'Restart Windows" $P
check "l2tp: one route per prefix" test "$(grep -c '^Add-VpnConnectionRoute -ConnectionName \$Name -DestinationPrefix' $P)" = 2
check "l2tp: no certificate to import" sh -c "! grep -q Import-Certificate $P"
check "l2tp: the .mobileconfig is well-formed XML" xmllint --noout $M
cat > $T/plist.py <<'EOF'
import plistlib, sys
p = plistlib.load(open(sys.argv[1], "rb"))
name, psk, auth, ca = sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
assert p["PayloadType"] == "Configuration" and p["PayloadVersion"] == 1
pl = p["PayloadContent"]
vpn = [x for x in pl if x["PayloadType"] == "com.apple.vpn.managed"]
roots = [x for x in pl if x["PayloadType"] == "com.apple.security.root"]
assert len(vpn) == 1 and len(pl) == 1 + len(roots)
v = vpn[0]
assert v["VPNType"] == "L2TP"
assert v["UserDefinedName"] == name and p["PayloadDisplayName"] == name
assert v["PPP"]["AuthName"] == ""
assert "AuthPassword" not in v["PPP"]
assert v["PPP"]["CommRemoteAddress"] == "vpn.example.net"
assert v["IPSec"]["AuthenticationMethod"] == auth
if auth == "SharedSecret":
    assert v["IPSec"]["SharedSecret"] == psk.encode()
    assert v["IPSec"]["LocalIdentifierType"] == "KeyID"
else:
    assert "SharedSecret" not in v["IPSec"]
uuids = [p["PayloadUUID"]] + [x["PayloadUUID"] for x in pl]
assert len(set(uuids)) == len(uuids)
import uuid
assert all(uuid.UUID(u).version == 4 for u in uuids)
if ca == "-":
    assert roots == []
else:
    assert len(roots) == 1 and roots[0]["PayloadContent"] == open(ca, "rb").read()
print("split" if v["IPv4"]["OverridePrimary"] == 0 else "full")
EOF
check "l2tp: plistlib reads the expected payloads" q python3 $T/plist.py $M "$NAME" "$PSK" SharedSecret -
check "l2tp: split tunnel in the .mobileconfig" test "$(python3 $T/plist.py $M "$NAME" "$PSK" SharedSecret -)" = split
check "l2tp: PSK files 0600, README 0644" test "$(mode $P)$(mode $M)$(mode $T/p2/README.txt)" = 600600644
check "l2tp: the README never holds the PSK" sh -c "! grep -qF 's\$k' $T/p2/README.txt"
check "l2tp: the README names the routes" grep -q 'only 10.20.0.0/16, 192.168.5.0/24' $T/p2/README.txt
check "l2tp: summary says the PSK is inside" grep -q 'pre-shared key (mode 0600)' <<<"$(c -c $T/l2tp.conf client-profile --out $T/p2 --protocol l2tp 2>/dev/null)"
check "l2tp: default name from the server" grep -q '^\$Name = .VPN vpn.example.net.' $P
if command -v pwsh >/dev/null; then
	check "pwsh parses the scripts" pwsh -NoProfile -Command "foreach (\$f in '$T/p1/windows-vpn.ps1','$P') { \$e = \$null; [void][System.Management.Automation.Language.Parser]::ParseFile(\$f, [ref]\$null, [ref]\$e); if (\$e) { exit 1 } }"
else
	echo "note - pwsh is not installed: the scripts are not parsed by PowerShell"
fi

# ---- L2TP/IPsec with certificates from a private CA ---------------------
cat > $T/cert.conf <<EOF
[global]
server_name = vpn.example.net
[sstp]
enabled = no
[l2tp]
enabled = yes
[ipsec]
certificate = $T/srv.crt
key = $T/srv.key
ca = $T/ca.crt
EOF
c -c $T/cert.conf client-profile --out $T/p3 >/dev/null 2>$T/err
check "cert: exit 0 (L2TP chosen: SSTP is off)" test $? = 0
P=$T/p3/windows-vpn.ps1
M=$T/p3/macos-vpn.mobileconfig
check "cert: -TunnelType L2tp without a PSK" sh -c "grep -q -- '-TunnelType L2tp ' $P && ! grep -q L2tpPsk $P"
check "cert: the private root is imported" grep -q '^Import-Certificate' $P
check "cert: ca.cer is the root, not the server certificate" test "$(fp -inform DER -in $T/p3/ca.cer)" = "$(fp -in $T/ca.crt)"
check "cert: the .mobileconfig carries the root (com.apple.security.root)" \
    q python3 $T/plist.py $M "VPN vpn.example.net" - Certificate $T/p3/ca.cer
check "cert: full tunnel without routes" test "$(python3 $T/plist.py $M "VPN vpn.example.net" - Certificate $T/p3/ca.cer)" = full
check "cert: no PSK: files 0644" test "$(mode $P)$(mode $M)" = 644644
check "cert: README gives the server certificate's fingerprint" grep -qF "$(fp -in $T/srv.crt)" $T/p3/README.txt
# Asking for the PSK variant without a PSK file.
out=$(c -c $T/cert.conf client-profile --out $T/p3 --auth psk 2>&1)
check "cert: --auth psk without psk_file: refused" grep -q 'no \[ipsec\] psk_file' <<<"$out"

# ---- errors -----------------------------------------------------------------
out=$(c -c $T/sstp.conf client-profile 2>&1); rc=$?
check "no --out: refused" test $rc = 1
check "no --out: says so" grep -q 'needs --out DIR' <<<"$out"
check "--protocol bogus: refused" sh -c "! $CTL -c $T/sstp.conf client-profile --out $T/x --protocol ipsec 2>/dev/null"
out=$(c -c $T/sstp.conf client-profile --out $T/x --protocol l2tp 2>&1)
check "a protocol that is off: refused" grep -q 'L2TP/IPsec is off' <<<"$out"
check "nothing written on failure" test ! -e $T/x
chmod 644 $T/ipsec.psk
out=$(c -c $T/l2tp.conf client-profile --out $T/p4 --protocol l2tp 2>&1)
check "PSK file readable by others: refused" grep -q 'mode 0644 is too open' <<<"$out"
chmod 600 $T/ipsec.psk
out=$(c -c $T/sstp.conf client-profile --out $T/p5 --name "$(printf 'a\tb')" 2>&1)
check "a name with a control character: refused" grep -q 'control character' <<<"$out"
sed 's|^routes = .*|routes = 10.20.0.1/16|' $T/l2tp.conf > $T/bad.conf
out=$(c -c $T/bad.conf check-config 2>&1)
check "check-config: bad [profile] routes with file:line" grep -qF \
    "$T/bad.conf:10: [profile] routes: route \"10.20.0.1/16\" has host bits set" <<<"$out"
rm $T/state/sstp-selfsigned.crt
out=$(c -c $T/sstp.conf client-profile --out $T/p6 2>&1)
check "sstpd never started: says how to get a certificate" grep -q 'start it once, or set \[sstp\] certificate' <<<"$out"
printf '[global]\nserver_name = other.example.net\n[sstp]\ncertificate = %s\nkey = %s\n' $T/self.crt $T/self.key > $T/w.conf
c -c $T/w.conf client-profile --out $T/p7 >/dev/null 2>$T/err
check "a certificate that does not name the server: warned" grep -q 'warning: the server certificate does not name "other.example.net": Windows will refuse' $T/err
summary
