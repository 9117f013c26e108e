#!/bin/sh
# Installs the Debian 12 packages rasgate needs to build and test, only those
# that are missing. Run as root (make deps; `make check` and `make demo` call it).
#   build:  gcc make pkg-config libssl-dev libevent-dev libradcli-dev ppp ppp-dev
#           check libmnl-dev libinih-dev libsystemd-dev libnftables-dev
#   fuzz:   clang libclang-rt-14-dev (libFuzzer + sanitizer runtimes)
#   tests:  openssl (certificates), python3; the lab's own packages are
#           installed by tests/lab/lab.sh setup.
#   packaging: groff-base man-db (manual pages), systemd (systemd-analyze
#           verify), dpkg-dev debhelper fakeroot lintian (make deb)
set -eu
PKGS="gcc make pkg-config libc6-dev libssl-dev openssl libevent-dev libradcli-dev
      ppp ppp-dev check libmnl-dev libinih-dev libsystemd-dev libnftables-dev clang
      libclang-rt-14-dev python3 groff-base man-db systemd dpkg-dev debhelper
      fakeroot lintian ${RASGATE_EXTRA_PKGS:-}"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages:$missing (run as root to install them)" >&2
	exit 1
fi
echo "deps: installing$missing"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
