#!/usr/bin/env bash
# QUIC connections of the real captures against tshark 4.0: for every UDP
# stream where tshark decrypts a QUIC ClientHello, we must find a connection
# with the same SNI whose versions include the version of that packet.
# Connections we find and tshark does not are listed (tshark 4.0 loses a
# connection whose first Initial had a reserved version, tcpdump__quic_vn).
# Usage: compare_quic.sh PA_QUIC_CONNS (captures under ../shared/corpus-real)
set -u
bin=$1
here=$(cd "$(dirname "$0")/../.." && pwd)
corpus=$here/../shared/corpus-real
command -v tshark >/dev/null || { echo "SKIP: tshark not installed"; exit 77; }
[[ -d $corpus ]] || { echo "SKIP: $corpus is absent"; exit 77; }
files=(ndpi__quic.pcap ndpi__quic-mvfst-22.pcap ndpi__quic_q39.pcap
  ndpi__quic_frags_ch_out_of_order_same_packet_craziness.pcapng tcpdump__quic_handshake.pcap
  tcpdump__quic_vn.pcap ndpi__doq_adguard.pcapng ndpi__sites.pcapng ndpi__snapchat_call_v1.pcapng)
fail=0 seen=0 total_conns=0 total_sni=0
for name in "${files[@]}"; do
  f=$corpus/$name
  [[ -e $f ]] || continue
  seen=$((seen + 1))
  # stream, SNI, the packet's first QUIC version (the ClientHello's)
  theirs=$(tshark -r "$f" -Y 'quic && tls.handshake.type == 1' -T fields -e udp.stream \
      -e tls.handshake.extensions_server_name -e quic.version 2>/dev/null |
    awk -F'\t' '{ split($3, v, ","); print $1, ($2 == "" ? "-" : $2), v[1] }' | sort -u -k1,1n)
  ours=$("$bin" "$f") || { echo "FAIL $name: pa-quic-conns failed"; fail=1; continue; }
  conns=$(grep -c '^quic ' <<<"$ours")
  total_conns=$((total_conns + conns))
  n=0 bad=0
  while read -r stream sni version; do
    [[ -n $stream ]] || continue
    n=$((n + 1))
    line=$(awk -v s="$stream" '$1 == "quic" && $2 == s' <<<"$ours" | head -1)
    read -r _ _ our_versions our_sni _ <<<"$line"
    if [[ -z $line || $our_sni != "$sni" || ,$our_versions, != *,$version,* ]]; then
      echo "DIFF $name stream $stream: tshark $sni $version, ours ${our_sni:-none} ${our_versions:-none}"
      bad=$((bad + 1))
    fi
  done <<<"$theirs"
  total_sni=$((total_sni + n - bad))
  extra=$(awk '$1 == "quic" { print $2 }' <<<"$ours" | while read -r s; do
    grep -q "^$s " <<<"$theirs" || echo "$s"; done | paste -sd, -)
  echo "$([[ $bad -eq 0 ]] && echo ok || echo FAIL) $name: $conns connections, $((n - bad))/$n tshark SNIs matched${extra:+; ours only: stream $extra}"
  [[ $bad -eq 0 ]] || fail=1
done
[[ $seen -gt 0 ]] || { echo "SKIP: no QUIC capture in $corpus"; exit 77; }
echo "total: $total_conns connections, $total_sni tshark SNIs matched"
exit $fail
