#!/bin/bash
# `make demo`: rasgate-sstpd on its embedded defaults (no configuration
# file: self-signed certificate, local user database, built-in address
# pool, no RADIUS) inside the lab VM, and a real SSTP client (sstpc)
# connecting to it from another network namespace. Shows the session.
#   tests/lab/demo.sh [BUILD_DIR]
set -u
LAB_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$LAB_SRC/../.." && pwd)
export LAB_CACHE=${LAB_CACHE:-$REPO_ROOT/.cache/lab}
RASGATE_BUILD=$(realpath -m "${1:-$REPO_ROOT/build}")
export RASGATE_BUILD RASGATE_ROOT=$REPO_ROOT
"$LAB_SRC/lab.sh" setup || { echo "demo: lab setup failed" >&2; exit 1; }
echo "demo: booting the lab VM (Debian's kernel under qemu; PPP needs it)"
exec "$LAB_SRC/lab.sh" run bash "$(printf '%q' "$LAB_SRC/demo_guest.sh")"
