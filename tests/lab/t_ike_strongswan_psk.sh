#!/bin/bash
# rasgate-ikesvc against a real IKEv1 initiator: strongSwan's charon in
# namespace cli, set up like Windows' L2TP/IPsec client (Main Mode with
# Windows' proposal list, pre-shared key, ESP transport for UDP 1701, no
# PFS), rasgate-ikesvc in namespace srv (rasgate-l2tpd is not needed)
# with three keys: [ipsec] psk_file and two [psk.NAME] subnets.
#  1. start: the generic policies (IKE bypass, L2TP protection) are in the
#     kernel;
#  2. `swanctl --initiate --child l2tp` succeeds; srv has two ESP SAs with
#     a reqid of ours and the per-peer policy pair; `rasgatectl sessions`
#     lists the pair (proto=ipsec, the same SPIs); the log has ike-sa-up
#     and ipsec-sa-up;
#  3. UDP 1701 datagrams cross in both directions and the kernel's
#     counters of our SAs rise (our keys are the client's);
#  4. the client terminates (Deletes): our SAs and per-peer policies are
#     gone, no session listed;
#  5. `rasgatectl kill ID` on a new connection: the client's SAs go too;
#  6. a wrong pre-shared key (the [ipsec] default key, while a more
#     specific [psk.NAME] applies to this client): the client fails, we
#     log auth-failed, no SA is left and the daemon runs on;
#  7. a client behind NAT (namespace nat masquerades cli2): NAT detected,
#     the float to 4500, ESP-in-UDP SAs (our 4500 <-> the NAT's port),
#     UDP 1701 both ways through the NAT;
#  8. DPD: that client announced DPD; its charon is killed, our
#     R-U-THEREs go unanswered and everything of it is removed;
#  9. SIGTERM: exit 0, nothing of ours left in the kernel.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rasgate.sh"
IKESVC=$B/bin/rasgate-ikesvc
[ -x "$IKESVC" ] || fail "$IKESVC missing: build first"
# unpacked by `lab.sh setup` (libstrongswan-standard-plugins)
SSL_PLUGIN=${LAB_GUEST_PEERS:-$(cd "$(dirname "$0")/../.." &&
    pwd)/.cache/lab/peers}/usr/lib/ipsec/plugins/libstrongswan-openssl.so
[ -f "$SSL_PLUGIN" ] ||
    fail "strongSwan's openssl plugin (ECP groups) missing: tests/lab/lab.sh setup"
command -v swanctl >/dev/null && [ -x /usr/lib/ipsec/charon ] ||
    fail "strongSwan (charon, swanctl) is not installed (lab.sh setup)"
need_mod xfrm_user esp4
SRV=10.9.2.1
CLI=10.9.2.2
SRV2=10.9.3.1		# srv's side of the link to the NAT
NATPUB=10.9.3.2		# the NAT's public address
CLI2=192.168.50.2	# behind the NAT
# [ipsec] psk_file, [psk.wide] 10.9.0.0/16, [psk.cli] 10.9.2.2/32: the
# most specific subnet wins (cli uses PSK_CLI, the NAT client PSK_WIDE)
PSK=lab-ike-psk-7Hq2
PSK_WIDE=lab-wide-psk-K3s9
PSK_CLI=lab-cli-psk-Vb81
REQ_LO=$((0x52470000)); REQ_HI=$((0x52480000))
SW=/tmp/sw-cli SW_NS=cli

ns_pair srv $SRV cli $CLI

# nat_setup: cli2 (192.168.50.2) -> nat (masquerade) -> srv (10.9.3.1)
nat_setup() {
	ip netns add nat || fail "netns add nat"
	ip netns add cli2 || fail "netns add cli2"
	ip link add v-cli2 netns cli2 type veth peer name l-nat netns nat
	ip link add w-nat netns nat type veth peer name w-srv netns srv
	ip -n cli2 addr add $CLI2/24 dev v-cli2
	ip -n nat addr add 192.168.50.1/24 dev l-nat
	ip -n nat addr add $NATPUB/24 dev w-nat
	ip -n srv addr add $SRV2/24 dev w-srv
	for l in "cli2 v-cli2" "nat l-nat" "nat w-nat" "srv w-srv"; do
		set -- $l
		ip -n "$1" link set "$2" up
	done
	for l in "cli2 v-cli2" "nat l-nat" "nat w-nat" "srv w-srv"; do
		set -- $l
		wait_or_fail 5 "$2 up" ip_up "$1" "$2"
	done
	ip -n cli2 link set lo up
	ip -n nat link set lo up
	ip -n cli2 route add default via 192.168.50.1
	ip netns exec nat sysctl -qw net.ipv4.ip_forward=1
	ip netns exec nat nft -f - <<EOT || fail "nft masquerade"
table ip nat {
	chain post {
		type nat hook postrouting priority srcnat;
		oifname "w-nat" counter masquerade
	}
}
EOT
}

# ---- rasgate-ikesvc in srv ------------------------------------------------

ike_config() {
	rm -rf $RG; mkdir -p $RG; chmod 700 $RG
	(umask 077; printf '%s\n' "$PSK" > $RG/ipsec.psk
	 printf '%s\n' "$PSK_WIDE" > $RG/wide.psk
	 printf '%s\n' "$PSK_CLI" > $RG/cli.psk)
	cat > $RG/rasgate.conf <<EOT
[global]
log_level = debug
run_dir = $RG/run
state_dir = $RG/state
[sstp]
enabled = no
[l2tp]
enabled = yes
listen = 0.0.0.0:1701
[ipsec]
psk_file = $RG/ipsec.psk
dpd_delay = 10
[users]
file = $RG/users
[psk.wide]
subnet = 10.9.0.0/16
psk_file = $RG/wide.psk
[psk.cli]
subnet = $CLI/32
psk_file = $RG/cli.psk
EOT
	chmod 600 $RG/rasgate.conf
}

ikesvc_start() {
	ip netns exec srv "$IKESVC" -d -c $RG/rasgate.conf > $RG/ikesvc.log 2>&1 &
	IKESVC_PID=$!
	wait_until 20 test -S $RG/run/ikesvc.ctl ||
	    { cat $RG/ikesvc.log; fail "rasgate-ikesvc did not start"; }
}

logged() { grep -q -- "$1" $RG/ikesvc.log; }

# srv_states: ESP states in srv; srv_reqids: their reqids, one a line
srv_states() { ip -n srv xfrm state | grep -c '^src '; }
srv_reqids() { ip -n srv xfrm state | sed -n 's/.* reqid \([0-9]*\) .*/\1/p'; }
peer_pols() { ip -n srv xfrm policy | grep -c 'priority 1500 '; }
no_ipsec_session() { ! $CTL sessions 2>/dev/null | grep -q 'proto=ipsec'; }

# ---- strongSwan --------------------------------------------------------------
# One charon per namespace: SW (its directory), SW_NS, SW_PID.

# sw_setup DIR SECRET LOCAL REMOTE [DPD]: charon's configuration in DIR,
# Windows-like (DPD: dpd_delay of the client, e.g. 10s; Windows sends none)
sw_setup() {
	local p
	SW=$1
	rm -rf $SW
	mkdir -p $SW/plugins $SW/{x509,x509ca,x509crl,pubkey,private,rsa,ecdsa,pkcs8}
	# charon runs with $SW/plugins bound over /usr/lib/ipsec/plugins:
	# the host's plugins it needs plus the openssl one (ECP groups)
	for p in random nonce kernel-netlink socket-default vici; do
		cp /usr/lib/ipsec/plugins/libstrongswan-$p.so $SW/plugins/ ||
		    fail "strongSwan plugin $p missing"
	done
	cp "$SSL_PLUGIN" $SW/plugins/
	cat > $SW/strongswan.conf <<EOT
swanctl {
	load = pem pkcs1 x509 pubkey random nonce sha1 sha2 gmp
}
charon {
	load_modular = no
	load = random nonce openssl kernel-netlink socket-default vici
	plugins {
		vici { socket = unix://$SW/charon.vici }
	}
	install_routes = no
	retransmit_tries = 3
	retransmit_timeout = 2.5
	retransmit_base = 1.5
	filelog {
		main { path = $SW/charon.log
		       time_format = %T
		       flush_line = yes
		       default = 1
		       ike = 2
		       knl = 1 }
	}
}
EOT
	cat > $SW/swanctl.conf <<EOT
connections {
	win {
		version = 1
		aggressive = no
		local_addrs = $3
		remote_addrs = $4
		proposals = aes256-sha1-ecp384, aes128-sha1-ecp256, aes256-sha1-modp2048, 3des-sha1-modp2048, 3des-sha1-modp1024
		encap = no
		dpd_delay = ${5:-0s}
		local { auth = psk
			id = $3 }
		remote { auth = psk
			 id = $4 }
		children {
			l2tp {
				mode = transport
				local_ts = dynamic[udp/1701]
				remote_ts = dynamic[udp/1701]
				esp_proposals = aes256-sha1, aes128-sha1, 3des-sha1
				start_action = none
			}
		}
	}
}
secrets {
	ike-win { secret = "$2" }
}
EOT
}

# sw_start NS: start the charon of $SW in NS, load its configuration
sw_start() {
	SW_NS=$1
	rm -f $SW/charon.vici $SW/charon.log
	ip netns exec $SW_NS sh -c "mount -t tmpfs none /run &&
	    mount --bind $SW/plugins /usr/lib/ipsec/plugins &&
	    STRONGSWAN_CONF=$SW/strongswan.conf exec /usr/lib/ipsec/charon" \
	    > $SW/charon.out 2>&1 &
	SW_PID=$!
	wait_until 30 test -S $SW/charon.vici ||
	    { cat $SW/charon.out $SW/charon.log 2>/dev/null
	      fail "charon in $SW_NS did not start"; }
	sw load-all --file $SW/swanctl.conf > $SW/load.out 2>&1 ||
	    { cat $SW/load.out; fail "swanctl --load-all"; }
}

sw_stop() {
	kill "$SW_PID" 2>/dev/null
	rg_wait_exit 10 "$SW_PID" "charon"
}

# sw OP [ARG..]: swanctl --OP against charon of $SW (--uri after the command)
sw() {
	local op=$1
	shift
	SWANCTL_DIR=$SW STRONGSWAN_CONF=$SW/strongswan.conf \
	    swanctl "--$op" --uri "unix://$SW/charon.vici" "$@"
}

sw_initiate() { sw initiate --child l2tp --timeout 30 > $SW/initiate.out 2>&1; }

dump() {
	echo "--- swanctl"; tail -n 15 $SW/initiate.out 2>/dev/null
	echo "--- charon"; tail -n 30 $SW/charon.log 2>/dev/null
	echo "--- rasgate-ikesvc"; tail -n 40 $RG/ikesvc.log
	echo "--- srv xfrm"; ip -n srv -s xfrm state; ip -n srv xfrm policy
	echo "--- $SW_NS xfrm"; ip -n $SW_NS -s xfrm state; ip -n $SW_NS xfrm policy
	echo "--- xfrm errors (srv, $SW_NS)"
	ip netns exec srv grep -v ' 0$' /proc/net/xfrm_stat
	ip netns exec $SW_NS grep -v ' 0$' /proc/net/xfrm_stat
}

# udp_cross FROM_NS TO_NS TO_ADDR TEXT: a datagram 1701 -> 1701 arrives
# (sent up to three times once the receiver is bound)
udp_cross() {
	local rx rc=1 i
	rm -f /tmp/ike-rx.txt
	ip netns exec "$2" timeout 15 socat -u UDP4-RECV:1701,reuseaddr \
	    OPEN:/tmp/ike-rx.txt,creat,append &
	rx=$!
	wait_until 5 sh -c "ip netns exec $2 ss -Huln | grep -q ':1701 '" ||
	    fail "no UDP 1701 receiver in $2"
	for i in 1 2 3; do
		echo "$4" | ip netns exec "$1" socat -u - \
		    UDP4-SENDTO:"$3":1701,sourceport=1701
		wait_until 2 grep -q "$4" /tmp/ike-rx.txt && { rc=0; break; }
	done
	kill $rx 2>/dev/null
	wait $rx 2>/dev/null
	return $rc
}

# esp_bytes NS SPI: the kernel's byte counter of SA SPI (hex, 8 digits),
# from the line after "lifetime current:" in `ip -s xfrm state`
esp_bytes() {
	ip -n "$1" -s xfrm state | awk -v spi="0x$2" '
	    /^src / { f = 0 }
	    $0 ~ "spi " spi "[ (]" { f = 1 }
	    f && c { sub(/\(bytes\).*/, ""); print $1; exit }
	    f && /lifetime current:/ { c = 1 }'
}

# ---- 1. start ---------------------------------------------------------------
step "rasgate-ikesvc in srv with a pre-shared key"
ike_config
ikesvc_start
wait_until 5 logged 'rasgate-ikesvc ready' || fail "no ready line"
[ "$(ip -n srv xfrm policy | grep -c 'priority 1000 ')" = 4 ] ||
    { ip -n srv xfrm policy; fail "the four IKE bypass policies are missing"; }
[ "$(ip -n srv xfrm policy | grep -c 'priority 2000 ')" = 2 ] ||
    { ip -n srv xfrm policy; fail "the two L2TP protection policies are missing"; }
[ "$(srv_states)" = 0 ] || fail "ESP states before any client"

# ---- 2. Main Mode + Quick Mode ----------------------------------------------
step "strongSwan (Windows' proposals) initiates"
sw_setup /tmp/sw-cli "$PSK_CLI" $CLI $SRV
sw_start cli
sw_initiate || { dump; fail "swanctl --initiate --child l2tp failed"; }
grep -q 'CHILD_SA l2tp{[0-9]*} established' $SW/initiate.out ||
    { dump; fail "the client reports no CHILD_SA"; }
wait_or_fail 5 "two ESP SAs in srv" sh -c "[ \$(ip -n srv xfrm state | grep -c '^src ') = 2 ]"
for r in $(srv_reqids); do
	[ "$r" -ge $REQ_LO ] && [ "$r" -lt $REQ_HI ] ||
	    { dump; fail "ESP SA with reqid $r, not ours"; }
done
[ "$(srv_reqids | sort -u | wc -l)" = 1 ] || fail "the pair has two reqids"
ip -n srv xfrm state | grep -q "src $CLI dst $SRV" || fail "no inbound SA"
ip -n srv xfrm state | grep -q "src $SRV dst $CLI" || fail "no outbound SA"
ip -n srv xfrm policy | grep -A1 "src $SRV/32 dst $CLI/32 proto udp sport 1701 dport 1701" |
    grep -q 'dir out priority 1500' || { dump; fail "no per-peer out policy"; }
ip -n srv xfrm policy | grep -A1 "src $CLI/32 dst $SRV/32 proto udp sport 1701 dport 1701" |
    grep -q 'dir in priority 1500' || { dump; fail "no per-peer in policy"; }
logged "event=ike-sa-up peer=$CLI:500" || { dump; fail "no ike-sa-up line"; }
grep "event=ike-sa-up" $RG/ikesvc.log | grep -q 'suite=aes256-sha1-ecp384' ||
    fail "Windows' first proposal (aes256-sha1-ecp384) was not chosen"
logged "event=ipsec-sa-up peer=$CLI:500" || fail "no ipsec-sa-up line"
rec=$($CTL sessions | grep 'proto=ipsec')
echo "$rec"
echo "$rec" | grep -q 'state=up' || fail "rasgatectl sessions: no IPsec SA up"
echo "$rec" | grep -q 'esp=aes256-sha1' || fail "sessions: ESP suite"
SPI_IN=$(echo "$rec" | sed -n 's/.*spi_in=\([0-9a-f]*\).*/\1/p')
SPI_OUT=$(echo "$rec" | sed -n 's/.*spi_out=\([0-9a-f]*\).*/\1/p')
ip -n srv xfrm state | grep -q "spi 0x$SPI_IN " || fail "spi_in $SPI_IN not in the kernel"
ip -n srv xfrm state | grep -q "spi 0x$SPI_OUT " || fail "spi_out $SPI_OUT not in the kernel"
$CTL status | grep -q 'daemon=ikesvc .* used=1 ' || { $CTL status; fail "SKU usage"; }

# ---- 3. data through our SAs --------------------------------------------------
step "UDP 1701 through the ESP SAs, both ways"
udp_cross cli srv $SRV "to-server-via-esp" || { dump; fail "client -> server datagram lost"; }
udp_cross srv cli $CLI "to-client-via-esp" || { dump; fail "server -> client datagram lost"; }
bin=$(esp_bytes srv "$SPI_IN"); bout=$(esp_bytes srv "$SPI_OUT")
echo "srv ESP bytes: in=$bin out=$bout"
[ "${bin:-0}" -gt 0 ] && [ "${bout:-0}" -gt 0 ] || { dump; fail "ESP counters did not rise"; }
$CTL sessions | grep 'proto=ipsec' | grep -q 'bytes_in=[1-9]' ||
    fail "rasgatectl sessions shows no inbound bytes"

# ---- 4. the client terminates --------------------------------------------------
step "client terminates: Deletes, our SAs go"
sw terminate --ike win --timeout 10 > $SW/terminate.out 2>&1 ||
    { cat $SW/terminate.out; fail "swanctl --terminate"; }
wait_until 10 sh -c "[ \$(ip -n srv xfrm state | grep -c '^src ') = 0 ]" ||
    { dump; fail "ESP SAs left in srv after the client's Delete"; }
wait_or_fail 5 "per-peer policies gone" sh -c "[ \$(ip -n srv xfrm policy | grep -c 'priority 1500 ') = 0 ]"
wait_or_fail 5 "no session listed" no_ipsec_session
logged 'reason=peer-delete' || fail "no deleted line for the peer's Delete"
$CTL status | grep -q 'daemon=ikesvc .* used=0 ' || { $CTL status; fail "SKU slot not released"; }

# ---- 5. rasgatectl kill ---------------------------------------------------------
step "rasgatectl kill ends a connection on both sides"
sw_initiate || { dump; fail "second initiate failed"; }
wait_or_fail 5 "ESP pair again" sh -c "[ \$(ip -n srv xfrm state | grep -c '^src ') = 2 ]"
id=$($CTL sessions | grep 'proto=ipsec' | grep 'state=up' | sed -n 's/^id=\([0-9]*\) .*/\1/p' | head -n 1)
[ -n "$id" ] || fail "no session id"
$CTL kill "$id" || fail "rasgatectl kill $id"
wait_or_fail 5 "srv SAs gone after kill" sh -c "[ \$(ip -n srv xfrm state | grep -c '^src ') = 0 ]"
wait_until 10 sh -c "[ \$(ip -n cli xfrm state | grep -c '^src ') = 0 ]" ||
    { dump; ip -n cli xfrm state; fail "the client kept its SAs after our Delete"; }
logged 'reason=admin-reset' || fail "no admin-reset line"
sw_stop

# ---- 6. wrong pre-shared key -------------------------------------------------------
step "wrong pre-shared key (the [ipsec] default, not this peer's): clean failure"
sw_setup /tmp/sw-cli "$PSK" $CLI $SRV
sw_start cli
if sw_initiate; then dump; fail "a wrong PSK was accepted"; fi
wait_until 20 logged 'event=auth-failed' || { dump; fail "no auth-failed line"; }
grep 'event=auth-failed' $RG/ikesvc.log | tail -n 1
grep -qE -- "$PSK|$PSK_WIDE|$PSK_CLI" $RG/ikesvc.log && fail "a PSK appears in the log"
[ "$(srv_states)" = 0 ] || { dump; fail "ESP states after a failed authentication"; }
[ "$(peer_pols)" = 0 ] || fail "per-peer policies after a failed authentication"
kill -0 "$IKESVC_PID" || fail "rasgate-ikesvc died"
$CTL status | grep -q 'auth_failed=[1-9]' || { $CTL status; fail "auth_failed not counted"; }
sw_stop

# ---- 7. behind NAT -----------------------------------------------------------------
step "a client behind NAT: NAT-T float to 4500, ESP in UDP"
nat_setup
sw_setup /tmp/sw-cli2 "$PSK_WIDE" $CLI2 $SRV2 10s
sw_start cli2
sw_initiate || { dump; fail "initiate from behind the NAT failed"; }
wait_or_fail 5 "two ESP SAs in srv" sh -c "[ \$(ip -n srv xfrm state | grep -c '^src ') = 2 ]"
up=$(grep "event=ike-sa-up peer=$NATPUB:" $RG/ikesvc.log | tail -n 1)
echo "$up"
grep -q 'natt=yes' <<<"$up" || { dump; fail "NAT not detected"; }
grep -q 'dpd=yes' <<<"$up" || fail "the client's DPD VID was not seen"
grep -q "peer=$NATPUB:500 " <<<"$up" && fail "no float to 4500"
logged "event=ipsec-sa-up peer=$NATPUB:[0-9]* .*encap=udp" ||
    { dump; fail "ESP SAs without UDP encapsulation"; }
[ "$(ip -n srv xfrm state | grep -c 'encap type espinudp sport ')" = 2 ] ||
    { dump; fail "the kernel SAs are not ESP-in-UDP"; }
ip -n srv xfrm state | grep -A8 "src $SRV2 dst $NATPUB" |
    grep -q 'encap type espinudp sport 4500 ' ||
    { dump; fail "outbound SA not from our port 4500"; }
ip -n srv xfrm policy | grep -A1 "src $SRV2/32 dst $NATPUB/32 proto udp sport 1701 dport 1701" |
    grep -q 'dir out priority 1500' || { dump; fail "no per-peer policy for the NAT"; }
$CTL sessions | grep "peer=$NATPUB:" | grep -q 'natt=yes .*state=up' ||
    { $CTL sessions; fail "sessions: the NAT client"; }
udp_cross cli2 srv $SRV2 "nat-client-to-server" || { dump; fail "NAT client -> server lost"; }
udp_cross srv cli2 $NATPUB "server-to-nat-client" || { dump; fail "server -> NAT client lost"; }

# ---- 8. dead peer detection ---------------------------------------------------------
step "DPD: the client behind NAT vanishes (charon killed)"
kill -9 "$SW_PID"; wait "$SW_PID" 2>/dev/null
wait_until 75 logged 'event=dpd-dead' || { dump; fail "DPD did not find the peer dead"; }
grep 'event=dpd-dead' $RG/ikesvc.log
wait_or_fail 5 "srv SAs gone after DPD" sh -c "[ \$(ip -n srv xfrm state | grep -c '^src ') = 0 ]"
[ "$(peer_pols)" = 0 ] || fail "per-peer policies left after DPD"
wait_or_fail 5 "no session after DPD" no_ipsec_session
$CTL status | grep -q 'dpd_dead=1' || { $CTL status; fail "dpd_dead not counted"; }
$CTL status | grep -q 'daemon=ikesvc .* used=0 ' || { $CTL status; fail "SKU slot kept after DPD"; }

# ---- 9. shutdown ---------------------------------------------------------------------
step "SIGTERM: exit 0, our kernel state removed"
kill -TERM "$IKESVC_PID"
wait_until 10 sh -c "! kill -0 $IKESVC_PID 2>/dev/null" || fail "rasgate-ikesvc ignored SIGTERM"
wait "$IKESVC_PID"; rc=$?
[ "$rc" = 0 ] || { tail -n 20 $RG/ikesvc.log; fail "exit code $rc after SIGTERM"; }
wait_or_fail 5 "no policy of ours left" sh -c "! ip -n srv xfrm policy | grep -qE 'priority (1000|1500|2000) '"
[ "$(srv_states)" = 0 ] || fail "ESP states left after exit"
echo "OK: $(elapsed) s"
