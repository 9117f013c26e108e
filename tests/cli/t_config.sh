#!/bin/bash
# Configuration errors, secret-file permissions, the local user database
# and the SKU / IPsec policy views, through the real programs.
set -u
B=$(cd "${1:-build}" && pwd)
. "$(dirname "$0")/lib.sh"
SSTPD=$B/bin/rasgate-sstpd
CTL=$B/bin/rasgatectl

cat > $T/typo.conf <<EOT
[global]
sku = VpnGw1
[sstp]
listn = 0.0.0.0:443
EOT
out=$($SSTPD -n -c $T/typo.conf 2>&1); rc=$?
check "misspelled key: exit code 1" test "$rc" = 1
check "misspelled key: FILE:LINE: [section] key" grep -q "^$T/typo.conf:4: \[sstp\] listn: unknown key" <<<"$out"

cat > $T/range.conf <<EOT
[ppp]
mtu = 1501
EOT
out=$($SSTPD -n -c $T/range.conf 2>&1); rc=$?
check "out-of-range value: exit 1 and names line and key" \
    sh -c "[ $rc = 1 ] && echo '$out' | grep -q 'range.conf:2: \[ppp\] mtu'"

openssl req -x509 -newkey rsa:2048 -nodes -keyout $T/key.pem -out $T/crt.pem \
    -days 2 -subj /CN=t 2>/dev/null
cat > $T/tls.conf <<EOT
[global]
run_dir = $T/run
state_dir = $T/state
[sstp]
certificate = $T/crt.pem
key = $T/key.pem
[users]
file = $T/users
EOT
chmod 644 $T/key.pem
out=$($SSTPD -n -c $T/tls.conf 2>&1); rc=$?
check "world-readable key refused (exit 1)" test "$rc" = 1
check "refusal names the key file" grep -q "$T/key.pem" <<<"$out"
chmod 600 $T/key.pem
check "0600 key accepted" $SSTPD -n -c $T/tls.conf

out=$(printf 'clientPass\n' | $CTL -c $T/tls.conf user add User --password-stdin 2>&1)
check "user add" grep -q 'added user User' <<<"$out"
check "users file is 0600" test "$(stat -c %a $T/users)" = 600
check "stores the RFC 2759 NT hash" grep -qi '^User:44EBBA8D5312B8D611474411F56989AE$' $T/users
check "no plaintext password in the file" sh -c "! grep -q clientPass $T/users"
printf 'pw2\n' | $CTL -c $T/tls.conf user add bob --password-stdin >/dev/null
check "user list" sh -c "[ \"\$($CTL -c $T/tls.conf user list | tr '\n' ' ')\" = 'User bob ' ]"
check "user del" $CTL -c $T/tls.conf user del bob
check "user del of a missing user fails" sh -c "! $CTL -c $T/tls.conf user del bob 2>/dev/null"
chmod 644 $T/users
check "world-readable user database refused" sh -c "! $SSTPD -n -c $T/tls.conf 2>/dev/null"
chmod 600 $T/users

out=$($CTL -c $T/tls.conf sku)
check "sku table: VpnGw1 128 SSTP / 250 L2TP" grep -qE '^VpnGw1 +128 +250 +250$' <<<"$out"
check "sku table: Basic has no IPsec" grep -qE '^Basic +128 +0 +0$' <<<"$out"
out=$($CTL -c $T/tls.conf ipsec-policy)
check "ipsec-policy: inbound UDP 1701 requires ESP" \
    grep -qE 'proto udp dport 1701 dir in .*tmpl proto esp mode transport level required' <<<"$out"
check "ipsec-policy: IKE bypass on 500 and 4500" \
    sh -c "echo '$out' | grep -q 'dport 500 dir in' && echo '$out' | grep -q 'dport 4500 dir in'"
printf '[ipsec]\nrequire_ipsec = no\n' > $T/clear.conf
out=$($CTL -c $T/clear.conf ipsec-policy)
check "require_ipsec = no makes ESP optional" grep -qE 'dport 1701 dir in .*level use' <<<"$out"
check "example config passes the schema" sh -c "$CTL -c packaging/rasgate.conf.example sku >/dev/null"
summary
