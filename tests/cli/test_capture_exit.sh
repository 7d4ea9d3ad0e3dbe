#!/usr/bin/env bash
# A capture running when the server ends leaves a complete, valid file: the
# server is started on stdio, a capture on lo is started through MCP, three
# UDP datagrams are sent, then the server's stdin is closed (a pcap file), or
# it gets SIGTERM (pcapng) or SIGINT (pcap). The file must then hold exactly
# those datagrams, for our analysis and for tshark when it is installed.
# Skips (77) where this process may not capture (not root).
# Usage: test_capture_exit.sh SERVER_BIN
set -u
bin=$1
[[ $(id -u) -eq 0 ]] || { echo "SKIP: capturing needs root or CAP_NET_RAW"; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
port=45911
for how in eof sigterm sigint; do
  ext=pcap; [[ $how == sigterm ]] && ext=pcapng
  coproc SRV { PCAP_STORAGE_PATH=$dir exec "$bin" 2>"$dir/stderr.$how"; }
  pid=$SRV_PID
  {
    echo '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}'
    echo '{"jsonrpc":"2.0","method":"notifications/initialized"}'
    echo "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"start_packet_capture\",\"arguments\":{\"interface\":\"lo\",\"capture_filter\":\"udp port $port\",\"output_file\":\"exit_$how.$ext\",\"duration\":60}}}"
  } >&"${SRV[1]}"
  started=0
  for _ in 1 2; do
    IFS= read -r -t 10 line <&"${SRV[0]}" || break
    [[ $line == *'"id":2'* && $line == *'"state":"running"'* ]] && started=1
  done
  if [[ $started -ne 1 ]]; then
    echo "FAIL $how: the capture did not start: $line"; fail=1; kill "$pid" 2>/dev/null; continue
  fi
  sleep 0.5
  for i in 1 2 3; do echo "datagram $i" > /dev/udp/127.0.0.1/$port; done
  sleep 0.3
  case $how in
    eof) exec {SRV[1]}>&- ;;
    sigterm) kill -TERM "$pid" ;;
    sigint) kill -INT "$pid" ;;
  esac
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then echo "FAIL $how: the server did not exit"; kill -9 "$pid"; fail=1; continue; fi
  out=$(PCAP_STORAGE_PATH=$dir "$bin" call analyze_pcap_file "{\"pcap_file\":\"exit_$how.$ext\"}" --json)
  if [[ $out == *'"packets": 3,'* && $out == *'"complete": true'* ]]; then
    echo "ok $how: exit_$how.$ext holds the 3 datagrams and is complete"
  else
    echo "FAIL $how: $(head -c 600 <<<"$out")"; fail=1
  fi
  if command -v tshark >/dev/null; then
    # by field, not by the summary line: a random source port can make tshark name another
    # protocol in its columns (once seen as "tshark: 2")
    n=$(tshark -r "$dir/exit_$how.$ext" -T fields -e udp.dstport 2>&1 | grep -cx "$port")
    if [[ $n -eq 3 ]]; then echo "ok $how: tshark reads the 3 datagrams"; else echo "FAIL $how: tshark: $n"; fail=1; fi
  fi
  port=$((port + 1))
done
exit $fail
