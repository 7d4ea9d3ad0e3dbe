#!/usr/bin/env bash
# analyze_voip_quality against tshark 4.0 on the real captures with RTP:
#  - with rtp_heuristic (tshark -o rtp.heuristic_rtp:TRUE) on captures without
#    SIP, every stream of `tshark -q -z rtp,streams` is listed once, with the
#    same packets, lost, max delta, mean and max jitter and problem flag;
#  - on the SIP capture (no heuristic), the same streams (addresses, ports,
#    SSRC; their figures differ where tshark also reads the Megaco SDP, see
#    docs/APPLICATION_LAYER.md) and one call per INVITE Call-ID tshark shows.
# Every page is read, as a model reads them, and the text must hold as many
# stream rows as the result.
# Usage: compare_voip.sh SERVER (captures under ../shared/corpus-real)
set -u
server=$1
here=$(cd "$(dirname "$0")/../.." && pwd)
corpus=$here/../shared/corpus-real
command -v tshark >/dev/null || { echo "SKIP: tshark not installed"; exit 77; }
command -v jq >/dev/null || { echo "SKIP: jq not installed"; exit 77; }
[[ -d $corpus ]] || { echo "SKIP: $corpus is absent"; exit 77; }
storage=$(mktemp -d)
trap 'rm -rf "$storage"' EXIT

# every stream row of every page: "src sport dst dport ssrc packets lost maxdelta meanjitter maxjitter problem"
ours() {
  local name=$1 heur=$2 offset=0 page next
  text_rows=0
  while :; do
    local args="{\"pcap_file\":\"$name\",\"limit\":1000,\"offset\":$offset,\"rtp_heuristic\":$heur}"
    page=$(PCAP_STORAGE_PATH=$storage "$server" call analyze_voip_quality "$args" --json)
    jq -r '.structuredContent.streams[] | [.src, .src_port, .dst, .dst_port, (.ssrc | ascii_upcase | sub("^0X"; "0x")),
      .packets, .lost, (.max_delta_ms * 1000 | round), ((.mean_jitter_ms // -1) * 1000 | round),
      ((.max_jitter_ms // -1) * 1000 | round), (if .problem then "X" else "-" end)] | join(" ")' <<<"$page"
    text_rows=$((text_rows + $(PCAP_STORAGE_PATH=$storage "$server" call analyze_voip_quality "$args" | grep -c '^  MOS ')))
    next=$(jq -r '.structuredContent.page.next_offset // empty' <<<"$page")
    [[ -n $next && $next -gt $offset ]] || break
    offset=$next
  done
  calls=$(jq -r '.structuredContent.totals.calls' <<<"$page")
}

# tshark's rows in the same form (its figures are printed with 3 decimals)
theirs() {
  tshark -r "$1" "${@:2}" -q -z rtp,streams 2>/dev/null | awk '
    /^ *[0-9]/ {
      # the payload column may hold spaces ("g711A, CN"): count from both ends
      n = NF; prob = ($NF == "X") ? "X" : "-"; if (prob == "X") n--;
      maxj = $n; meanj = $(n-1); maxd = $(n-3); lost = $(n-7); pkts = $(n-8)
      printf "%s %s %s %s %s %s %s %d %d %d %s\n", $3, $4, $5, $6, $7, pkts, lost,
        maxd * 1000 + (maxd < 0 ? -0.5 : 0.5), meanj * 1000 + (meanj < 0 ? -0.5 : 0.5),
        maxj * 1000 + (maxj < 0 ? -0.5 : 0.5), prob
    }'
}

fail=0 seen=0 total=0
for name in ndpi__rtp.pcapng ndpi__discord.pcap ndpi__stun_signal.pcapng; do
  f=$corpus/$name
  [[ -e $f ]] || continue
  seen=$((seen + 1))
  cp "$f" "$storage/$name"
  ours "$name" true >"$storage/rows"
  o=$(cat "$storage/rows")
  t=$(theirs "$f" -o rtp.heuristic_rtp:TRUE)
  rm -f "$storage/$name"
  n=$(grep -c . <<<"$t")
  total=$((total + n))
  # a figure off by one unit of tshark's last printed decimal is rounding, not a difference
  d=$(join -j1 <(awk '{ print $1"_"$2"_"$3"_"$4"_"$5, $0 }' <<<"$o" | sort) \
      <(awk '{ print $1"_"$2"_"$3"_"$4"_"$5, $0 }' <<<"$t" | sort) -a1 -a2 -e MISSING -o auto |
    awk 'function off(a, b) { return (a - b > 1 || b - a > 1) }
      NF < 23 || $7 != $18 || $8 != $19 || off($9, $20) || off($10, $21) || off($11, $22) || $12 != $23')
  rows=$(grep -c . <<<"$o")
  if [[ -n $d || $rows -ne $n || $text_rows -ne $n ]]; then
    echo "FAIL $name: ours $rows streams (text $text_rows), tshark $n"
    [[ -n $d ]] && echo "$d" | head -5
    fail=1
  else
    echo "ok $name: $n streams equal tshark's"
  fi
done

name=ndpi__FAX-Call-t38-CA-TDM-SIP-FB-1.pcap
f=$corpus/$name
if [[ -e $f ]]; then
  seen=$((seen + 1))
  cp "$f" "$storage/$name"
  ours "$name" false >"$storage/rows"
  o=$(cut -d' ' -f1-5 "$storage/rows" | sort)
  t=$(theirs "$f" | cut -d' ' -f1-5 | sort)
  rm -f "$storage/$name"
  their_calls=$(tshark -r "$f" -Y 'sip.Method == "INVITE"' -T fields -e sip.Call-ID 2>/dev/null | sort -u | grep -c .)
  if [[ $o != "$t" || $calls != "$their_calls" || $text_rows -ne $(grep -c . <<<"$t") ]]; then
    echo "FAIL $name: streams ours [$o] tshark [$t]; calls $calls, tshark $their_calls"
    fail=1
  else
    echo "ok $name: $(grep -c . <<<"$t") streams and $calls calls as tshark's"
  fi
fi
[[ $seen -gt 0 ]] || { echo "SKIP: no RTP capture in $corpus"; exit 77; }
echo "total: $total heuristic streams compared"
exit $fail
