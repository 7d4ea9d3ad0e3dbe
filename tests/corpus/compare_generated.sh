#!/usr/bin/env bash
# The application-layer comparisons (compare_dns/http/tls.mjs against tshark) on real traffic:
# one round of ../shared/traffic/gen_traffic.sh (HTTP and HTTPS to many hosts, DNS over UDP and
# TCP, lossy and reordering paths, wrong SNIs, self-signed certificates), about 5-15 MB,
# captured on this machine in network namespaces.
#
#   compare_generated.sh FLAGS_BIN [SHARED_DIR]     (FLAGS_BIN: tests' pa-tcp-flags)
#
# Needs root (namespaces) and the shared traffic generator; skips (77) without them. The
# capture is written to a temporary directory and removed afterwards.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$1
shared=${2:-$here/../../../shared}
gen=$shared/traffic/gen_traffic.sh
[[ -f $gen ]] || { echo "SKIP: no traffic generator at $gen"; exit 77; }
[[ $(id -u) -eq 0 ]] || { echo "SKIP: generating traffic needs root (network namespaces)"; exit 77; }
command -v tshark >/dev/null || { echo "SKIP: tshark not found"; exit 77; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# one round of every workload (TARGET 5 MB stops after the first round), at most 300 s
if ! bash "$gen" "$work/generated.pcap" 5 300 7 >"$work/gen.log" 2>&1 || [[ ! -s $work/generated.pcap ]]; then
  echo "FAIL: the traffic generator did not produce a capture:"
  tail -20 "$work/gen.log"
  exit 1
fi
printf 'path\ngenerated.pcap\n' >"$work/MANIFEST.tsv"
echo "generated: $(stat -c %s "$work/generated.pcap") bytes"
rc=0
for what in dns http tls; do
  echo "== $what"
  CORPUS_CMP_VERBOSE=1 node "$here/compare_$what.mjs" "$bin" "$work" || rc=1
done
if [[ $rc -ne 0 ]]; then # keep the capture that disagreed, to look at it
  kept=${TMPDIR:-/tmp}/pa-generated-mismatch.pcap
  cp "$work/generated.pcap" "$kept" && echo "the capture is kept as $kept"
fi
exit $rc
