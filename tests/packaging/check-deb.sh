#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# check-deb.sh BUILD_DIR SCRATCH: builds the .deb, unpacks it into SCRATCH, and runs the
# packaged conclave-policy from there.
set -euo pipefail
build=$1
scratch=$2
rm -rf "$scratch"
mkdir -p "$scratch"
(cd "$build" && cpack -G DEB -B "$scratch/out" >"$scratch/cpack.log" 2>&1) || { cat "$scratch/cpack.log"; exit 1; }
deb=$(ls "$scratch"/out/conclave_*.deb)
contents=$(dpkg-deb -c "$deb")
for f in ./usr/bin/conclave-policy ./usr/bin/conclave-hub ./usr/bin/conclave-cli \
         ./usr/share/doc/conclave/policy.md ./etc/conclave/trust-anchors/ \
         ./usr/share/man/man1/conclave-policy.1; do
  grep -q " $f\$" <<<"$contents" || { echo "missing from package: $f"; exit 1; }
done
if [ -x "$build/bin/conclave" ]; then
  grep -q " ./usr/bin/conclave\$" <<<"$contents" || { echo "missing from package: ./usr/bin/conclave"; exit 1; }
fi
dpkg-deb -x "$deb" "$scratch/root"
out=$("$scratch/root/usr/bin/conclave-policy" marking "official sensitive")
grep -q '"canonical":"OFFICIAL-SENSITIVE"' <<<"$out" || { echo "packaged conclave-policy misbehaved: $out"; exit 1; }
echo "package $(basename "$deb") contains and runs the programs"
