#!/usr/bin/env bash
# QUIC connections of the real captures against tshark 4.0: for every UDP
# stream where tshark decrypts a QUIC ClientHello, we must find a connection
# with the same SNI whose versions include the version of that packet.
# Connections we find and tshark does not are listed (tshark 4.0 loses a
# connection whose first Initial had a reserved version, tcpdump__quic_vn).
# With the server's path as a second argument, analyze_quic_traffic must list
# the same: a connection on each of those streams with that SNI and version,
# and as many connections as the engine found, and tshark's count of Google
# QUIC (gquic) datagrams; analyze_tls_handshakes must list each of those
# streams as a QUIC connection with tshark's SNI and ServerHello cipher suite,
# and analyze_application_response_times each handshake's end and time as
# tshark's packet types and times give them (from the first Initial of a
# version that is not reserved).
# Usage: compare_quic.sh PA_QUIC_CONNS [SERVER] (captures under ../shared/corpus-real)
set -u
bin=$1
server=${2:-}
storage=$(mktemp -d)
trap 'rm -rf "$storage"' EXIT
here=$(cd "$(dirname "$0")/../.." && pwd)
corpus=$here/../shared/corpus-real
command -v tshark >/dev/null || { echo "SKIP: tshark not installed"; exit 77; }
[[ -d $corpus ]] || { echo "SKIP: $corpus is absent"; exit 77; }
files=(ndpi__quic.pcap ndpi__quic-mvfst-22.pcap ndpi__quic_q39.pcap
  ndpi__quic_frags_ch_out_of_order_same_packet_craziness.pcapng tcpdump__quic_handshake.pcap
  tcpdump__quic_vn.pcap ndpi__doq_adguard.pcapng ndpi__sites.pcapng ndpi__snapchat_call_v1.pcapng)
# tshark's quic.version (0x00000001) as Wireshark names versions ("1", "draft-29", "Q050")
vname() {
  local v=$1
  case $v in
    0x00000001) echo 1 ;;
    0x6b3343cf) echo 2 ;;
    0xfaceb001) echo "mvfst (draft-22)" ;;
    0xfaceb002) echo "mvfst (draft-27)" ;;
    0xfaceb00e) echo "mvfst (experimental)" ;;
    0xff0000??) echo "draft-$((16#${v:8:2}))" ;;
    0x5[14]3[0-9]3[0-9]3[0-9]) printf "\\x${v:2:2}\\x${v:4:2}\\x${v:6:2}\\x${v:8:2}\n" ;;
    *) echo "$v" ;;
  esac
}
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
  if [[ -n $server ]]; then
    cp "$f" "$storage/$name"
    # every page, as a model would read them: the rows of the text and of the result
    tool='' text_rows=0 offset=0
    while :; do
      args="{\"pcap_file\":\"$name\",\"limit\":1000,\"offset\":$offset}"
      page=$(PCAP_STORAGE_PATH=$storage "$server" call analyze_quic_traffic "$args" --json)
      tool+=$(jq -r '.structuredContent.connections[] | "\(.stream)|\(.sni // "-")|\(.versions | join(","))"' <<<"$page")$'\n'
      text_rows=$((text_rows + $(PCAP_STORAGE_PATH=$storage "$server" call analyze_quic_traffic "$args" | grep -c '^  #')))
      next=$(jq -r '.structuredContent.page.next_offset // empty' <<<"$page")
      [[ -n $next && $next -gt $offset ]] || break
      offset=$next
    done
    # the TLS report lists the QUIC handshakes: tshark's SNI per ClientHello
    # stream, and the cipher suite of each ServerHello it decrypts
    hs='' offset=0
    while :; do
      args="{\"pcap_file\":\"$name\",\"limit\":1000,\"offset\":$offset}"
      hpage=$(PCAP_STORAGE_PATH=$storage "$server" call analyze_tls_handshakes "$args" --json)
      hs+=$(jq -r '.structuredContent.connections[] | select(.transport == "quic") |
        "\(.stream)|\(.sni // "-")|\(.cipher // "-")"' <<<"$hpage")$'\n'
      next=$(jq -r '.structuredContent.page.next_offset // empty' <<<"$hpage")
      [[ -n $next && $next -gt $offset ]] || break
      offset=$next
    done
    while read -r stream sni _; do
      [[ -n $stream ]] || continue
      IFS='|' read -r _ hs_sni _ < <(awk -F'|' -v s="$stream" '$1 == s' <<<"$hs" | head -1)
      if [[ ${hs_sni:-none} != "$sni" ]]; then
        echo "DIFF $name stream $stream: tshark SNI $sni, analyze_tls_handshakes ${hs_sni:-none}"
        bad=$((bad + 1))
      fi
    done <<<"$theirs"
    while read -r stream suite; do
      [[ -n $stream ]] || continue
      case $suite in
        0x1301) want=TLS_AES_128_GCM_SHA256 ;; 0x1302) want=TLS_AES_256_GCM_SHA384 ;;
        0x1303) want=TLS_CHACHA20_POLY1305_SHA256 ;; *) want=$suite ;;
      esac
      IFS='|' read -r _ _ hs_cipher < <(awk -F'|' -v s="$stream" '$1 == s' <<<"$hs" | head -1)
      if [[ ${hs_cipher:-none} != "$want" ]]; then
        echo "DIFF $name stream $stream: tshark ServerHello $want, analyze_tls_handshakes ${hs_cipher:-none}"
        bad=$((bad + 1))
      fi
    done < <(tshark -r "$f" -Y 'quic && tls.handshake.type == 2' -T fields -e udp.stream \
        -e tls.handshake.ciphersuite 2>/dev/null | sort -u -k1,1n)
    # handshake times (analyze_application_response_times, protocol quic):
    # from the client's first Initial to its first Handshake packet, else
    # its first short-header packet, by tshark's packet types and times
    timed=$(PCAP_STORAGE_PATH=$storage "$server" call analyze_application_response_times \
      "{\"pcap_file\":\"$name\",\"protocol\":\"quic\",\"limit\":500}" --json |
      jq -r '.structuredContent.sections[0].slowest[]? | "\(.stream) \(.client_port) \(.response_frame) \(.time_ms)"')
    while read -r stream cport done ms; do
      [[ -n $stream ]] || continue
      want=$(tshark -r "$f" -Y "udp.stream == $stream && udp.srcport == $cport" -T fields -e frame.number \
          -e frame.time_epoch -e quic.long.packet_type -e quic.header_form -e quic.version 2>/dev/null |
        awk -F'\t' '{ n = split($3, t, ","); split($4, h, ","); split($5, v, ",")
          for (i = 1; i <= n; i++) {
            # an Initial of a reserved version (0x?a?a?a?a) is not one we read: the clock starts after it
            if (t[i] == "0" && !init && v[i] !~ /^0x.a.a.a.a$/) init = $2
            if (t[i] == "2" && !hs) hs = $1 " " $2 }
          if (h[length(h)] == "0" && !sh) sh = $1 " " $2 }
          END { e = hs ? hs : sh; split(e, x, " "); printf "%s %.3f\n", x[1], (x[2] - init) * 1000 }')
      read -r want_done want_ms <<<"$want"
      if [[ $done != "$want_done" ]] || ! awk -v a="$ms" -v b="$want_ms" 'BEGIN { d = a - b; exit !(d < 0.002 && d > -0.002) }'; then
        echo "DIFF $name stream $stream: handshake ends at frame $done after $ms ms, by tshark frame $want_done after $want_ms ms"
        bad=$((bad + 1))
      fi
    done <<<"$timed"
    rm -f "$storage/$name"
    gquic=$(jq -r '.structuredContent.totals.gquic_datagrams' <<<"$page")
    their_gquic=$(tshark -r "$f" -Y gquic -T fields -e frame.number 2>/dev/null | grep -c .)
    if [[ $gquic != "$their_gquic" ]]; then
      echo "DIFF $name: $gquic Google QUIC datagrams, tshark $their_gquic"
      bad=$((bad + 1))
    fi
    listed=$(grep -c . <<<"$tool")
    if [[ $listed -ne $conns || $text_rows -ne $conns ]]; then
      echo "DIFF $name: analyze_quic_traffic lists $listed connections (text $text_rows), the engine $conns"
      bad=$((bad + 1))
    fi
    while read -r stream sni version; do
      [[ -n $stream ]] || continue
      IFS='|' read -r _ tool_sni tool_versions < <(awk -F'|' -v s="$stream" '$1 == s' <<<"$tool" | head -1)
      want=$(vname "$version")
      if [[ ${tool_sni:-none} != "$sni" || ,${tool_versions:-}, != *,"$want",* ]]; then
        echo "DIFF $name stream $stream: tshark $sni $want, analyze_quic_traffic ${tool_sni:-none} ${tool_versions:-none}"
        bad=$((bad + 1))
      fi
    done <<<"$theirs"
  fi
  total_sni=$((total_sni + n - bad))
  extra=$(awk '$1 == "quic" { print $2 }' <<<"$ours" | while read -r s; do
    grep -q "^$s " <<<"$theirs" || echo "$s"; done | paste -sd, -)
  echo "$([[ $bad -eq 0 ]] && echo ok || echo FAIL) $name: $conns connections, $((n - bad))/$n tshark SNIs matched${extra:+; ours only: stream $extra}"
  [[ $bad -eq 0 ]] || fail=1
done
[[ $seen -gt 0 ]] || { echo "SKIP: no QUIC capture in $corpus"; exit 77; }
echo "total: $total_conns connections, $total_sni tshark SNIs matched"
exit $fail
