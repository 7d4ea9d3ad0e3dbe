#!/usr/bin/env bash
# Our tcp.analysis flags, acks_frame and bytes_in_flight must equal tshark's,
# frame for frame, on the
# project's generated captures (the corpus is compared by
# tests/corpus/compare_tcp_flags.mjs).
# Usage: test_tcp_flags.sh PA_TCP_FLAGS CAPTURE...
set -u
bin=$1; shift
command -v tshark >/dev/null || { echo "SKIP: tshark not installed"; exit 77; }
flags="retransmission fast_retransmission spurious_retransmission out_of_order lost_segment
ack_lost_segment duplicate_ack zero_window zero_window_probe zero_window_probe_ack window_full
window_update keep_alive keep_alive_ack reused_ports"
pass=0 fail=0
for f in "$@"; do
  fields=()
  for x in $flags; do fields+=(-e "tcp.analysis.$x"); done
  theirs=$(tshark -r "$f" -Y tcp.analysis.flags -T fields -e frame.number "${fields[@]}" 2>/dev/null |
    awk -v names="$flags" 'BEGIN { n = split(names, nm, /[ \n]+/) }
      { for (i = 2; i <= NF + 1; i++) if ($i != "") print nm[i - 1], $1 }' FS='\t' | sort)
  values=$(tshark -r "$f" -Y "tcp.analysis.acks_frame || tcp.analysis.bytes_in_flight" -T fields \
      -e frame.number -e tcp.analysis.acks_frame -e tcp.analysis.bytes_in_flight 2>/dev/null |
    awk -F'\t' '{ if ($2 != "") print "acks_frame", $1, $2; if ($3 != "") print "bytes_in_flight", $1, $3 }')
  theirs=$(printf '%s\n%s\n' "$theirs" "$values" | sed '/^$/d' | sort)
  ours=$("$bin" "$f" | grep -Ev "^(dns|dnsq|http_req|http_resp|tls_[a-z_]+) " | sort)
  if [[ "$theirs" == "$ours" ]]; then
    pass=$((pass + 1))
    echo "ok $(basename "$f"): $(wc -l <<<"$ours") flags agree"
  else
    fail=$((fail + 1))
    echo "DIFF $(basename "$f") (< tshark, > ours):"
    diff <(echo "$theirs") <(echo "$ours")
  fi
done
echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
