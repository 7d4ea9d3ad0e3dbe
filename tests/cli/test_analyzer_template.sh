#!/usr/bin/env bash
# "Adding a protocol is one folder and one table line": in a copy of the
# source tree, scripts/new-analyzer makes a folder from the template and adds
# its line to analyzers.def, nothing else is touched, and the server built from
# that copy names the protocol in the hierarchy, filters on its fields and
# builds its fuzz target.
# Usage: test_analyzer_template.sh SOURCE_DIR
set -euo pipefail
src=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# the tree as git has it (tracked files and new ones not ignored)
(cd "$src" && git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t "$tmp")
sums() { (cd "$tmp" && find . -type f -print0 | sort -z | xargs -0 md5sum); }
before=$(sums)
"$tmp/scripts/new-analyzer" --register demo udp/40000
changed=$( (diff <(echo "$before") <(sums) || true) | sed -n 's/^[<>] [0-9a-f]*  //p' | sort -u | tr '\n' ' ')
want="./src/engine/analyzers/analyzers.def $(cd "$tmp" && find ./src/engine/analyzers/demo -type f | sort | tr '\n' ' ')"
want=$(tr ' ' '\n' <<<"$want" | sort -u | grep . | tr '\n' ' ')
echo "changed: $changed"
cmake -S "$tmp" -B "$tmp/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=OFF >/dev/null
cmake --build "$tmp/build" -j"$(nproc)" --target pcap-analyzer-mcp-server fuzz_demo_replay >/dev/null
bin=$tmp/build/src/pcap-analyzer-mcp-server

# three datagrams to UDP 40000 whose first bytes are 7, 7 and 9
store=$tmp/store
mkdir -p "$store"
{
  printf '\xd4\xc3\xb2\xa1\x02\x00\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\xff\x00\x00\x01\x00\x00\x00'
  for i in 1 2 3; do
    b='\x07'; [[ $i == 3 ]] && b='\x09'
    printf "\\x0$i\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x2b\\x00\\x00\\x00\\x2b\\x00\\x00\\x00"
    printf '\x02\x00\x5e\x00\x00\x0b\x02\x00\x5e\x00\x00\x0a\x08\x00'
    printf '\x45\x00\x00\x1d\x00\x01\x00\x00\x40\x11\x00\x00\xc0\x00\x02\x01\xc0\x00\x02\x02'
    printf "\\x9c\\x41\\x9c\\x40\\x00\\x09\\x00\\x00$b"
  done
} >"$store/demo.pcap"
fail=0
if [[ $changed != "$want" ]]; then echo "FAIL: the new protocol touched more than its folder and its line"; fail=1; fi
all=$(PCAP_STORAGE_PATH=$store "$bin" call analyze_pcap_file '{"pcap_file":"demo.pcap","display_filter":"demo"}' --json)
seven=$(PCAP_STORAGE_PATH=$store "$bin" call analyze_pcap_file '{"pcap_file":"demo.pcap","display_filter":"demo.type == 7"}' --json)
if [[ $all == *'"packets": 3,'* ]]; then echo "ok: 'demo' matches the 3 datagrams"; else echo "FAIL demo: ${all:0:800}"; fail=1; fi
if [[ $seven == *'"packets": 2,'* ]]; then echo "ok: 'demo.type == 7' matches 2"; else echo "FAIL demo.type: ${seven:0:800}"; fail=1; fi
if [[ $all == *'"protocol": "demo"'* ]]; then echo "ok: the hierarchy names demo"; else echo "FAIL hierarchy: ${all:0:1500}"; fail=1; fi
if "$tmp/build/fuzz/fuzz_demo_replay" "$tmp/src/engine/analyzers/demo/fuzz/corpus/demo" >/dev/null; then
  echo "ok: its fuzz target replays its seed"
else
  echo "FAIL: fuzz_demo_replay"; fail=1
fi
exit $fail
