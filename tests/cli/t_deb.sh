#!/bin/bash
# The Debian package: `make deb` builds it from a staged copy of the tree
# (the repository gets no debian/); lintian finds no error in it; its
# contents, unpacked into a scratch root with dpkg-deb, are where the
# manual pages say: programs in /usr/sbin, the pppd plugin in pppd's
# plugin directory ([ppp] plugin_dir) with the symbols pppd looks for,
# /etc/rasgate/rasgate.conf a conffile, units in /lib/systemd/system,
# every page installed and every file a page's FILES section names
# present (or created at run time, or shipped by a dependency); the
# maintainer scripts create the system user and the state directory.
# The tools are required: without them this test fails, it never skips.
set -u
BARG=${1:-build}
B=$(cd "$BARG" && pwd)
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/../.." || exit 1
for tool in dpkg-buildpackage dh lintian fakeroot dpkg-deb; do
	command -v $tool >/dev/null ||
	    no "$tool is installed (dpkg-dev, debhelper, lintian, fakeroot)"
done

start=$(date +%s)
env -u MAKEFLAGS -u MAKELEVEL make -s --no-print-directory B="$BARG" deb \
    > $T/deb.log 2>&1
rc=$?
check "make deb ($(( $(date +%s) - start )) s)" test $rc = 0
[ $rc = 0 ] || grep -v '^cc ' $T/deb.log | tail -n 30
DEB=$(ls $B/deb/rasgate_*.deb 2>/dev/null | head -n 1)
check "the .deb is in $BARG/deb/" test -n "$DEB" -a -s "${DEB:-/nonexistent}"
check "the repository top level got no debian/" test ! -e debian
[ -n "$DEB" ] || { summary; exit 1; }

lintian --fail-on error --display-info --show-overrides "$DEB" > $T/lintian.out 2>&1
rc=$?
grep -E '^[EWIO]:' $T/lintian.out | sed 's/^/  lintian: /'
check "lintian: no error (exit $rc)" test $rc = 0
check "lintian: no E: tag" sh -c "! grep -q '^E:' $T/lintian.out"
echo "  lintian: $(grep -c '^W:' $T/lintian.out) warnings, $(grep -c '^I:' $T/lintian.out) infos"

X=$T/root
dpkg-deb -x "$DEB" $X && dpkg-deb -e "$DEB" $X/DEBIAN
check "unpacked into a scratch root" test -d $X/usr
for p in rasgatectl $(ls $B/bin | grep '^rasgate-'); do
	check "/usr/sbin/$p (executable)" test -x $X/usr/sbin/$p
	check "man page of $p" test -s $X/usr/share/man/man8/$p.8.gz
done
for p in $(ls $X/usr/sbin); do
	check "/usr/sbin/$p has a page" test -s $X/usr/share/man/man8/$p.8.gz
done
check "rasgate.conf(5)" test -s $X/usr/share/man/man5/rasgate.conf.5.gz

# The plugin where [ppp] plugin_dir says (per the generated manual), for
# the pppd version the package depends on and this system has.
pdir=$(zcat $X/usr/share/man/man5/rasgate.conf.5.gz | MANWIDTH=80 man -l - 2>/dev/null |
    sed -n '/^ *plugin_dir = /,/Default:/p' | sed -n 's/.*Default: //p')
check "plugin in [ppp] plugin_dir ${pdir:-?}/rasgate.so" test -s "$X${pdir:-/nonexistent}/rasgate.so"
check "... which is /usr/lib/pppd/2.4.9" test "$pdir" = /usr/lib/pppd/2.4.9
check "... the version of this system's pppd" \
    sh -c "dpkg-query -W -f '\${Version}' ppp | grep -q '^2\.4\.9'"
check "... a shared object exporting plugin_init and pppd_version" sh -c \
    "nm -D --defined-only $X$pdir/rasgate.so | grep -qw plugin_init &&
     nm -D --defined-only $X$pdir/rasgate.so | grep -qw pppd_version"
check "Depends on that pppd" grep -q 'ppp (>= 2.4.9), ppp (<< 2.4.10)' $X/DEBIAN/control

check "/etc/rasgate/rasgate.conf is the only conffile" \
    test "$(cat $X/DEBIAN/conffiles)" = /etc/rasgate/rasgate.conf
check "... the commented configuration" cmp -s $X/etc/rasgate/rasgate.conf $B/gen/rasgate.conf
check "example configuration, uncompressed as rasgate.conf(5) says" \
    test -s $X/usr/share/doc/rasgate/rasgate.conf.example
for u in rasgate.target $(ls $B/systemd | grep '\.service$'); do
	check "unit /lib/systemd/system/$u" test -s $X/lib/systemd/system/$u
done
check "tmpfiles.d entry for /run/rasgate" grep -q '^d /run/rasgate ' $X/usr/lib/tmpfiles.d/rasgate.conf

# Every file a page's FILES section names: in the package, created at run
# time (/run, /var/lib, the user database), or shipped by a dependency.
for page in $X/usr/share/man/man*/*.gz; do
	for f in $(zcat $page | MANWIDTH=200 man -l - 2>/dev/null |
	    sed -n '/^FILES$/,/^[A-Z]/p' | grep -oE '^       /[^ ,]+(, /[^ ,]+)*' |
	    tr -d ' ' | tr ',' '\n'); do
		case $f in
		/run/*|/var/lib/*|/etc/rasgate/users) continue ;;
		esac
		if [ -e "$X$f" ]; then
			ok "$(basename $page .gz): $f is in the package"
		elif dpkg -S "$f" >/dev/null 2>&1; then
			ok "$(basename $page .gz): $f comes from $(dpkg -S "$f" | cut -d: -f1)"
		else
			no "$(basename $page .gz): $f is nowhere"
		fi
	done
done

for s in postinst postrm prerm; do
	check "DEBIAN/$s is valid sh" sh -n $X/DEBIAN/$s
done
check "postinst creates the system user rasgate" \
    grep -q 'adduser --system .*rasgate' <(tr -d '\\\n' < $X/DEBIAN/postinst)
check "postinst creates /var/lib/rasgate (0700)" grep -q 'install -d -m 0700 .*/var/lib/rasgate' $X/DEBIAN/postinst
check "postinst enables rasgate-sstpd and rasgate.target" sh -c \
    "grep -q \"deb-systemd-helper enable 'rasgate-sstpd.service'\" $X/DEBIAN/postinst &&
     grep -q \"deb-systemd-helper enable 'rasgate.target'\" $X/DEBIAN/postinst"
check "postinst restarts running daemons after an upgrade" grep -q 'try-restart' $X/DEBIAN/postinst
check "prerm stops the daemons on removal" grep -q 'deb-systemd-invoke stop rasgate.target' $X/DEBIAN/prerm
check "postrm removes /var/lib/rasgate on purge" grep -q 'rm -rf /var/lib/rasgate' $X/DEBIAN/postrm

# The packaged units verify against the packaged programs and pages.
mkdir -p $X/lib/systemd/system && cp -rn /lib/systemd/system/. $X/lib/systemd/system/
# kill(1) of the host (procps) for ExecReload=
[ -e $X/bin/kill ] || install -D -m 0755 "$(readlink -f /bin/kill)" $X/bin/kill
[ -e $X/bin/rm ] || install -D -m 0755 "$(readlink -f /bin/rm)" $X/bin/rm
out=$(MANPATH=$X/usr/share/man systemd-analyze verify --root=$X \
    $(cd $X/lib/systemd/system && ls rasgate*) 2>&1); rc=$?
[ -z "$out" ] || echo "$out"
check "systemd-analyze verify of the packaged units" \
    test $rc = 0 -a -z "$(grep rasgate <<<"$out")"
summary
