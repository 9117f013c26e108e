#!/bin/bash
# rasgate real-kernel test lab.
#
# Boots Debian's stock kernel (the linux-image-amd64 flavour of this release)
# under qemu (TCG), with this machine's root filesystem shared read-only over
# 9p plus a RAM overlay, runs one command inside, powers off and returns the
# command's exit code. The guest sees every host path at the same place, so
# absolute paths (the repo, a build dir) work unchanged inside.
#
#   lab.sh setup            apt installs + kernel download/extract + vmlinux +
#                           initramfs; idempotent, cheap when nothing is missing
#   lab.sh run CMD [ARG..]  boot, run "CMD ARG.." with bash inside the guest (in
#                           the caller's working directory), exit with its rc
#   lab.sh shell            interactive guest shell on the serial console
#                           (Ctrl-a x quits qemu)
#
# LAB_INIT=systemd (or a line "# lab: init=systemd" in a test script
# named in CMD) boots with systemd as PID 1 and runs the command as a
# service of a minimal target (write_stage2_systemd); the default, bash,
# runs it from stage 2 as PID 1.
#
# All downloads and build products live in LAB_CACHE (default
# <repo>/.cache/lab, git-ignored). See tests/lab/README.md for the knobs.
set -euo pipefail

LAB_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$LAB_SRC/../.." && pwd)
LAB_CACHE=${LAB_CACHE:-$REPO_ROOT/.cache/lab}
KDIR=$LAB_CACHE/kernel            # extracted linux-image package (dpkg -x)
VMLINUX=$LAB_CACHE/vmlinux        # ELF kernel, booted through its PVH entry
INITRD=$LAB_CACHE/initrd.cpio.gz
RUNS=$LAB_CACHE/runs
LAB_MEM=${LAB_MEM:-1024}
LAB_SMP=${LAB_SMP:-2}
LAB_TIMEOUT=${LAB_TIMEOUT:-300}
LAB_BOOT_TIMEOUT=${LAB_BOOT_TIMEOUT:-90}
LAB_ACCEL=${LAB_ACCEL:-tcg}
QBOOT=/usr/share/qemu/qboot.rom

# Packages the guest uses (it runs the host's binaries through the shared root).
LAB_PKGS="qemu-system-x86 busybox-static kmod cpio socat iproute2 ppp
	strongswan-starter strongswan-swanctl strongswan-charon xl2tpd
	sstp-client iputils-ping tcpdump freeradius freeradius-utils nftables"

# IKE peers that apt must not install here: libreswan conflicts with
# strongSwan, and the ECP groups Windows proposes need strongSwan's openssl
# plugin (libstrongswan-standard-plugins, the installed strongSwan's exact
# version). `setup` downloads them (apt-get download) and unpacks them
# (dpkg -x) into $PEERS; tests/lab/ike.sh uses them from there.
PEERS=$LAB_CACHE/peers
PEER_DEBS="libreswan libnss3-tools libldns3 libstrongswan-standard-plugins"
LAB_GUEST_PEERS=${LAB_GUEST_PEERS:-$PEERS}	# passed into the guest (write_cmd)

# Modules needed before the root is mounted; all others are loaded later
# from the extracted tree, bind-mounted on /lib/modules/<kver> in the guest.
EARLY_MODS="virtio_pci 9p 9pnet_virtio overlay"

log() { echo "lab: $*" >&2; }
die() { echo "lab: ERROR: $*" >&2; exit 2; }
kver() { ls "$KDIR/lib/modules" 2>/dev/null | head -n1; }

setup_pkgs() {
	local missing=() p
	for p in $LAB_PKGS ${LAB_PKGS_EXTRA:-}; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		    grep -q 'install ok installed' || missing+=("$p")
	done
	((${#missing[@]})) || return 0
	log "apt-get install ${missing[*]}"
	apt-get update -qq || die "apt-get update failed"
	# freeradius' postinst starts the service; that is harmless but not wanted
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends "${missing[@]}" >/dev/null ||
	    die "apt-get install ${missing[*]} failed"
}

kernel_pkg() {
	apt-cache depends linux-image-amd64 2>/dev/null |
	    awk '/Depends: linux-image-[0-9]/{print $2; exit}'
}

setup_kernel() {
	local dl=$LAB_CACHE/dl pkg km v
	if [ -z "$(kver)" ]; then
		mkdir -p "$dl"
		# linux-image-amd64 is a metapackage; resolve the versioned image
		pkg=$(kernel_pkg)
		if [ -z "$pkg" ]; then
			apt-get update -qq || die "apt-get update failed"
			pkg=$(kernel_pkg)
		fi
		[ -n "$pkg" ] || die "cannot resolve linux-image-amd64 to a kernel package"
		log "downloading $pkg"
		rm -f "$dl"/*.deb
		(cd "$dl" && apt-get download -q "$pkg" >/dev/null 2>&1) ||
		    die "apt-get download $pkg failed"
		rm -rf "$KDIR.tmp"; mkdir -p "$KDIR.tmp"
		dpkg -x "$dl/${pkg}"_*.deb "$KDIR.tmp"
		km=$(echo "$KDIR.tmp"/lib/modules/*/kernel)
		[ -d "$km" ] || die "no modules in $pkg"
		if [ "${LAB_PRUNE:-1}" = 1 ]; then
			# hardware drivers a virtio guest never loads
			(cd "$km" && rm -rf sound drivers/{gpu,media,scsi,usb,infiniband,iio,hwmon,input,hid,staging,mtd,bluetooth,isdn,net/wireless,net/ethernet,net/can,net/usb,net/wwan,net/ieee802154})
		fi
		v=$(ls "$KDIR.tmp/lib/modules")
		depmod -b "$KDIR.tmp" "$v"     # the package ships no modules.dep
		rm -rf "$KDIR"; mv "$KDIR.tmp" "$KDIR"
		rm -f "$dl/${pkg}"_*.deb
		rm -f "$VMLINUX" "$INITRD"
	fi
	[ -f "$VMLINUX" ] && return 0
	# Cut the ELF kernel out of the bzImage (xz payload): booting it through
	# its PVH entry skips the real-mode setup and the decompressor.
	python3 - "$KDIR/boot/vmlinuz-$(kver)" "$VMLINUX.tmp" <<'EOF' || die "vmlinux extraction failed"
import lzma, sys
data = open(sys.argv[1], 'rb').read()
off = data.find(b'\xfd7zXZ\x00')
while off >= 0:
    try:
        out = lzma.LZMADecompressor(format=lzma.FORMAT_XZ).decompress(data[off:])
        if out[:4] == b'\x7fELF':
            open(sys.argv[2], 'wb').write(out)
            sys.exit(0)
    except lzma.LZMAError:
        pass
    off = data.find(b'\xfd7zXZ\x00', off + 1)
sys.exit("no xz-compressed ELF kernel in " + sys.argv[1])
EOF
	mv "$VMLINUX.tmp" "$VMLINUX"
}

# Peer packages into $PEERS (see PEER_DEBS). A failure is a warning, not an
# error: only the IKE tests need them, and they say so when they are missing.
setup_peers() {
	local dl=$LAB_CACHE/dl-peers v want f
	v=$(dpkg-query -W -f='${Version}' libstrongswan 2>/dev/null) ||
	    { log "WARNING: libstrongswan not installed: no IKE peers"; return 0; }
	want=${PEER_DEBS/libstrongswan-standard-plugins/libstrongswan-standard-plugins=$v}
	[ "$(cat "$PEERS/.pkgs" 2>/dev/null)" = "$want" ] && return 0
	log "downloading IKE peers: $want"
	rm -rf "$dl" "$PEERS.tmp"
	mkdir -p "$dl" "$PEERS.tmp"
	# shellcheck disable=SC2086
	if ! (cd "$dl" && apt-get download -q $want >/dev/null 2>&1); then
		apt-get update -qq >/dev/null 2>&1
		# shellcheck disable=SC2086
		(cd "$dl" && apt-get download -q $want >/dev/null 2>&1) ||
		    { log "WARNING: apt-get download $want failed: the IKE tests will fail"
		      rm -rf "$dl" "$PEERS.tmp"; return 0; }
	fi
	for f in "$dl"/*.deb; do
		dpkg -x "$f" "$PEERS.tmp" ||
		    { log "WARNING: dpkg -x $f failed: the IKE tests will fail"
		      rm -rf "$dl" "$PEERS.tmp"; return 0; }
	done
	echo "$want" > "$PEERS.tmp/.pkgs"
	rm -rf "$PEERS" "$dl"
	mv "$PEERS.tmp" "$PEERS"
}

write_init() { # $1 = initramfs tree
	cat > "$1/init" <<'EOF'
#!/bin/busybox sh
# stage 1: load virtio/9p/overlay, host root read-only + RAM overlay, switch_root
B=/bin/busybox
$B mount -t proc proc /proc
$B mount -t sysfs sys /sys
$B mount -t devtmpfs dev /dev
for m in $($B cat /mods/order); do $B insmod /mods/$m || echo "init: insmod $m failed"; done
T=/sys/bus/virtio/drivers/9pnet_virtio/*/mount_tag
i=0
while [ $i -lt 250 ] && ! { $B grep -qs hostroot $T && $B grep -qs lab $T; }; do
	$B usleep 20000; i=$((i+1))
done
halt() { echo "init: $*"; $B poweroff -f; }
$B mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=512000 hostroot /lower || halt "9p root mount failed"
$B mount -t tmpfs -o mode=755 tmpfs /upper
$B mkdir -p /upper/u /upper/w
$B mount -t overlay overlay -o lowerdir=/lower,upperdir=/upper/u,workdir=/upper/w /newroot || halt "overlay mount failed"
$B mkdir -p /newroot/lab
$B mount -t 9p -o trans=virtio,version=9p2000.L,cache=none,msize=512000 lab /newroot/lab || halt "lab dir mount failed"
N=/newroot
# fresh /run: the host's /run (with its /run/netns) must not leak in.
# /tmp stays on the overlay (the repo may live under /tmp).
$B mount -t tmpfs -o mode=755 tmpfs $N/run
$B mkdir -p $N/run/lock $N/run/netns $N/run/user
$B mkdir -p /dev/pts /dev/shm
$B mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
$B mount -t tmpfs tmpfs /dev/shm
$B ln -sfn /proc/self/fd /dev/fd; $B ln -sf /proc/self/fd/0 /dev/stdin
$B ln -sf /proc/self/fd/1 /dev/stdout; $B ln -sf /proc/self/fd/2 /dev/stderr
$B mount -t cgroup2 none /sys/fs/cgroup 2>/dev/null
if [ -n "$LABMODS" ]; then
	$B mkdir -p $N/lib/modules/${LABMODS##*/}
	$B mount --bind $N$LABMODS $N/lib/modules/${LABMODS##*/} || halt "modules bind mount failed"
fi
echo labvm > /proc/sys/kernel/hostname
$B ip link set lo up
$B mount --move /proc $N/proc
$B mount --move /sys $N/sys
$B mount --move /dev $N/dev
exec $B switch_root $N /bin/bash /lab/stage2.sh
EOF
	chmod +x "$1/init"
}

setup_initrd() {
	local v t m f
	v=$(kver)
	[ -f "$INITRD" ] && [ "$INITRD" -nt "${BASH_SOURCE[0]}" ] && return 0
	t=$(mktemp -d "$LAB_CACHE/initrd.XXXX")
	mkdir -p "$t"/{bin,dev,proc,sys,lower,upper,newroot,mods}
	cp /bin/busybox "$t/bin/busybox"
	file -L /bin/busybox 2>/dev/null | grep -q dynamic &&
	    die "/bin/busybox is dynamically linked; install busybox-static"
	for m in $EARLY_MODS; do
		modprobe -d "$KDIR" -S "$v" --show-depends "$m" |
		    awk '/^insmod/{print $2}'
	done | awk '!seen[$0]++' | while read -r f; do
		cp "$f" "$t/mods/"
		basename "$f" >> "$t/mods/order"
	done
	[ -s "$t/mods/order" ] || die "could not resolve early modules"
	write_init "$t"
	(cd "$t" && find . | cpio -o -H newc --quiet | gzip -1) > "$INITRD.tmp"
	mv "$INITRD.tmp" "$INITRD"
	rm -rf "$t"
}

do_setup() {
	mkdir -p "$LAB_CACHE" "$RUNS"
	exec 9> "$LAB_CACHE/.setup.lock"
	flock -w 900 9 || die "another lab.sh setup holds $LAB_CACHE/.setup.lock"
	setup_pkgs
	setup_kernel
	setup_initrd
	setup_peers
	flock -u 9
	log "ready: kernel $(kver), cache $LAB_CACHE"
}

# stage 2 runs in the guest as PID 1 (the host's bash, from the shared root).
# With LAB_INIT=systemd it prepares a minimal boot and execs systemd, which
# runs this same script again, not as PID 1, from lab-run.service.
write_stage2() { # $1 = run dir, $2 = interactive, $3 = init (bash|systemd)
	printf '#!/bin/bash\nINTERACTIVE=%q\n' "$2" > "$1/stage2.sh"
	cat >> "$1/stage2.sh" <<'EOF'
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=${TERM:-dumb} LANG=C.UTF-8
EOF
	[ "$3" = systemd ] && write_stage2_systemd "$1"
	cat >> "$1/stage2.sh" <<'EOF'
cd /lab
set +e
if [ "$INTERACTIVE" = 1 ]; then
	setsid -c bash -i </dev/ttyS0 >/dev/ttyS0 2>&1
	rc=$?
else
	echo "=== lab: command start, guest uptime $(cut -d' ' -f1 /proc/uptime)s"
	: > /lab/started
	bash /lab/cmd.sh > >(tee /lab/out.log) 2>&1 < /dev/null
	rc=$?
	sleep 0.2
	echo "=== lab: command exit rc=$rc, guest uptime $(cut -d' ' -f1 /proc/uptime)s"
fi
echo "$rc" > /lab/rc
sync
busybox poweroff -f
EOF
}

# LAB_INIT=systemd: as PID 1, stage 2 writes (to the RAM overlay) a target
# that needs basic.target and lab-run.service, masks units that have no
# use in the guest or cost boot time under TCG (systemd-tmpfiles-setup
# would walk and clean the host's /tmp and /var over 9p: minutes), keeps
# the journal in /run,
# names the host labvm (systemd sets it from /etc/hostname) and execs
# systemd. lab-run.service runs stage2.sh again: the command as below,
# its output on the serial console, the rc to /lab/rc, then poweroff -f.
write_stage2_systemd() { # $1 = run dir
	cat >> "$1/stage2.sh" <<'EOF'
if [ $$ = 1 ]; then
	S=/etc/systemd/system
	mkdir -p $S /etc/systemd/journald.conf.d
	for u in getty.target serial-getty@ttyS0.service console-getty.service \
	    systemd-timesyncd.service systemd-pstore.service \
	    systemd-firstboot.service systemd-repart.service \
	    systemd-pcrphase.service systemd-pcrphase-sysinit.service \
	    systemd-binfmt.service proc-sys-fs-binfmt_misc.automount \
	    systemd-remount-fs.service systemd-random-seed.service \
	    systemd-sysusers.service systemd-update-utmp.service \
	    ldconfig.service systemd-hwdb-update.service \
	    systemd-journal-catalog-update.service systemd-update-done.service \
	    systemd-networkd-wait-online.service systemd-journal-flush.service \
	    systemd-tmpfiles-setup.service systemd-tmpfiles-clean.timer \
	    apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer \
	    e2scrub_all.timer fstrim.timer man-db.timer; do
		ln -sfn /dev/null $S/$u
	done
	printf '[Journal]\nStorage=volatile\n' > /etc/systemd/journald.conf.d/lab.conf
	cat > $S/lab.target <<'EOT'
[Unit]
Description=lab: the command of lab.sh run
Requires=basic.target
Wants=lab-run.service
After=basic.target
AllowIsolate=yes
EOT
	cat > $S/lab-run.service <<'EOT'
[Unit]
Description=lab: the command of lab.sh run
After=basic.target
[Service]
Type=exec
ExecStart=/bin/bash /lab/stage2.sh
StandardInput=null
StandardOutput=tty
StandardError=inherit
TTYPath=/dev/ttyS0
TTYReset=no
TTYVHangup=no
EOT
	echo labvm > /etc/hostname
	rm -f /.dockerenv	# else systemd takes the guest for a container
	: > /etc/fstab
	exec /lib/systemd/systemd --unit=lab.target
	echo "lab: exec systemd failed"; busybox poweroff -f
fi
EOF
}

# lab_init CMD..: the init for this run: LAB_INIT if set, else what a test
# script among the command words declares in a line "# lab: init=NAME"
# within its first 40 lines, else bash
lab_init() {
	local w i
	if [ -n "${LAB_INIT:-}" ]; then echo "$LAB_INIT"; return; fi
	for w in "$@"; do
		case "$w" in *.sh) ;; *) continue ;; esac
		[ -f "$w" ] || continue
		i=$(head -n 40 "$w" | sed -nE 's/^# lab: init=([a-z]+)$/\1/p' | head -n 1)
		[ -n "$i" ] && { echo "$i"; return; }
	done
	echo bash
}

# the guest command: environment (RASGATE_* and LAB_GUEST_*), cwd, command
write_cmd() { # $1 = run dir, rest = command words
	local run=$1 var
	shift
	{
		for var in $(compgen -v | grep -E '^(RASGATE_|LAB_GUEST_)' || true); do
			printf 'export %s=%q\n' "$var" "${!var}"
		done
		printf 'cd %q 2>/dev/null || cd /\n' "$PWD"
		printf '%s\n' "$*"
	} > "$run/cmd.sh"
}

preflight() {
	command -v qemu-system-x86_64 >/dev/null ||
	    die "qemu-system-x86_64 not found; run: $0 setup"
	[ -f "$QBOOT" ] || die "$QBOOT missing (package qemu-system-data)"
	[ -n "$(kver)" ] && [ -f "$VMLINUX" ] && [ -f "$INITRD" ] ||
	    die "no kernel/initramfs in $LAB_CACHE; run: $0 setup"
}

# boot_once RUN: qemu with the command of RUN; qrc is its exit status.
# The guest boots in about 3 s; if it has not started the command within
# LAB_BOOT_TIMEOUT (a boot that hangs, seen once on a machine loaded by
# other VMs), qemu is killed and 1 returned so that the caller boots
# again, once; else 0 once qemu has ended.
boot_once() {
	local run=$1 qpid waited=0
	set +e
	( timeout --foreground -k 5 "$LAB_TIMEOUT" "${qemu[@]}" \
	    -pidfile "$run/qemu.pid" < /dev/null | sed -u 's/\r$//'
	  exit "${PIPESTATUS[0]}" ) &
	qpid=$!
	while kill -0 "$qpid" 2>/dev/null && [ ! -e "$run/started" ]; do
		if [ "$waited" -ge "$((LAB_BOOT_TIMEOUT * 2))" ]; then
			log "ERROR: the guest did not start the command within" \
			    "${LAB_BOOT_TIMEOUT}s of boot: qemu killed, booting again (once)"
			kill "$(cat "$run/qemu.pid" 2>/dev/null)" 2>/dev/null
			wait "$qpid"
			qrc=124
			set -e
			return 1
		fi
		sleep 0.5
		waited=$((waited + 1))
	done
	wait "$qpid"
	qrc=$?
	set -e
	return 0
}

run_vm() { # $1 = interactive (0/1), rest = command
	local inter=$1 run accel quiet t0 rc init
	qrc=0
	shift
	preflight
	init=$(lab_init "$@")
	case "$init" in
	bash|systemd) ;;
	*) die "LAB_INIT=$init: bash or systemd" ;;
	esac
	[ "$init" = bash ] || log "init: $init"
	mkdir -p "$RUNS"
	run=$(mktemp -d "$RUNS/run.XXXXXX")
	write_stage2 "$run" "$inter" "$init"
	# shellcheck disable=SC2054
	accel=(-accel tcg,thread=multi -cpu max)
	[ "$LAB_ACCEL" = kvm ] && accel=(-enable-kvm -cpu host)
	quiet="quiet loglevel=1"
	[ "${LAB_VERBOSE:-0}" = 1 ] && quiet=""
	# Under TCG the kernel's crypto self-tests and the jitter entropy
	# source (seeding the DRBG behind ESP IVs) cost several seconds at the
	# first SA; neither is under test here.
	[ "${LAB_FASTCRYPTO:-1}" = 1 ] &&
	    quiet="$quiet cryptomgr.notests=1 modprobe.blacklist=jitterentropy_rng"
	# shellcheck disable=SC2054
	local qemu=(qemu-system-x86_64 "${accel[@]}" -M q35 -m "$LAB_MEM"
	    -smp "$LAB_SMP" -nodefaults -no-user-config -nographic -no-reboot
	    -bios "$QBOOT" -serial mon:stdio
	    -kernel "$VMLINUX" -initrd "$INITRD"
	    -append "console=ttyS0 panic=-1 $quiet mitigations=off LABMODS=$KDIR/lib/modules/$(kver) ${LAB_APPEND:-}"
	    -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap
	    -virtfs "local,path=$run,mount_tag=lab,security_model=none")
	if [ "$inter" = 1 ]; then
		: > "$run/cmd.sh"
		"${qemu[@]}" || true
		rm -rf "$run"
		return 0
	fi
	write_cmd "$run" "$@"
	t0=$(date +%s.%N)
	boot_once "$run" || { rm -f "$run/qemu.pid"; boot_once "$run" || true; }
	log "qemu wall time $(awk -v a="$t0" -v b="$(date +%s.%N)" \
	    'BEGIN{printf "%.2f", b - a}')s"
	if [ -s "$run/rc" ]; then
		rc=$(cat "$run/rc")
	else
		if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
			log "ERROR: guest did not finish within LAB_TIMEOUT=${LAB_TIMEOUT}s (qemu killed)"
		else
			log "ERROR: guest did not come back (qemu exit status $qrc, no exit code written): qemu failed to start or the guest crashed; retry with LAB_VERBOSE=1 LAB_KEEP=1"
		fi
		rc=124
	fi
	if [ "${LAB_KEEP:-0}" = 1 ]; then log "run dir kept: $run"; else rm -rf "$run"; fi
	return "$rc"
}

cmd=${1:-}
shift || true
case "$cmd" in
setup)	do_setup ;;
run)	[ $# -gt 0 ] || { echo "usage: $0 run CMD [ARG..]" >&2; exit 2; }
	run_vm 0 "$@" ;;
shell)	run_vm 1 ;;
*)	echo "usage: $0 setup | run CMD [ARG..] | shell" >&2; exit 2 ;;
esac
