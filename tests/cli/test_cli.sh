#!/usr/bin/env bash
# The command line: --help, --version, call, tools, and configuration errors.
set -u
bin="$1"
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export PCAP_STORAGE_PATH="$tmp/store"

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
expect() { # expect DESCRIPTION WANT_RC PATTERN -- command...
  local what=$1 want=$2 pat=$3; shift 4
  local out rc
  out=$("$@" 2>&1); rc=$?
  if [[ $rc -ne $want ]]; then bad "$what: exit $rc, want $want: $out"; return; fi
  if ! grep -qE -- "$pat" <<<"$out"; then bad "$what: output lacks /$pat/: $out"; return; fi
  ok
}

expect "--version" 0 '^pcap-analyzer-mcp-server [0-9]+\.[0-9]+\.[0-9]+$' -- "$bin" --version
expect "--help" 0 'call TOOL' -- "$bin" --help
expect "--help lists variables" 0 'MAX_CAPTURE_SIZE' -- "$bin" --help
expect "unknown command" 2 "unknown command 'frobnicate'" -- "$bin" frobnicate
expect "tools" 0 '^list_captured_files' -- "$bin" tools
expect "tools --json" 0 '"outputSchema"' -- "$bin" tools --json
expect "call creates storage, lists nothing" 0 'No capture files' -- "$bin" call list_captured_files
[[ -d "$tmp/store" ]] && ok || bad "storage directory was not created"
printf '\xd4\xc3\xb2\xa1\x02\x00\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\xff\x00\x00\x01\x00\x00\x00' > "$tmp/store/a.pcap"
expect "call lists the file" 0 'a.pcap  24 B  pcap \(microsecond, little-endian, v2.4\)' -- "$bin" call list_captured_files '{}'
expect "call --json" 0 '"structuredContent"' -- "$bin" call list_captured_files '{"limit":1}' --json
expect "call bad argument" 1 "argument 'limit' must be an integer" -- "$bin" call list_captured_files '{"limit":"x"}'
expect "call bad JSON" 2 'must be a JSON object' -- "$bin" call list_captured_files '{oops'
expect "call unknown tool" 2 "unknown tool 'nope'" -- "$bin" call nope
expect "bad MAX_CAPTURE_SIZE" 2 "MAX_CAPTURE_SIZE='12 parsecs'.*accepted" -- env MAX_CAPTURE_SIZE='12 parsecs' "$bin" call list_captured_files
expect "bad CAPTURE_TIMEOUT" 2 "CAPTURE_TIMEOUT='-5'" -- env CAPTURE_TIMEOUT=-5 "$bin" call list_captured_files
expect "bad MAX_CAPTURE_DURATION alias" 2 "MAX_CAPTURE_DURATION='soon'" -- env -u CAPTURE_TIMEOUT MAX_CAPTURE_DURATION=soon "$bin" call list_captured_files
# a relative storage directory (the published package's default is ./pcap_storage) is
# resolved against the working directory at start, and stderr names the path used
mkdir -p "$tmp/cwd"
expect "relative storage" 0 "PCAP_STORAGE_DIR='./pcap_storage' is relative: using $tmp/cwd/pcap_storage " -- \
  bash -c 'cd "$1" && shift && exec "$@"' _ "$tmp/cwd" env -u PCAP_STORAGE_PATH PCAP_STORAGE_DIR=./pcap_storage "$bin" call list_captured_files
[[ -d "$tmp/cwd/pcap_storage" ]] && ok || bad "relative storage directory was not created in the working directory"
touch "$tmp/notadir"
expect "storage is a file" 2 "exists but is not a directory" -- env PCAP_STORAGE_PATH="$tmp/notadir" "$bin" call list_captured_files
expect "alias PCAP_STORAGE_DIR" 0 'a.pcap' -- env -u PCAP_STORAGE_PATH PCAP_STORAGE_DIR="$tmp/store" "$bin" call list_captured_files
expect "TSHARK_PATH missing only warns" 0 'TSHARK_PATH=/nonexistent/tshark is not an executable' -- env TSHARK_PATH=/nonexistent/tshark "$bin" call list_captured_files
# a bare name is looked up on PATH (WIRESHARK_PATH=tshark is the published default);
# a warning names the variable that was set
mkdir -p "$tmp/bin" && printf '#!/bin/sh\n' > "$tmp/bin/tshark" && chmod +x "$tmp/bin/tshark"
out=$(env -u TSHARK_PATH WIRESHARK_PATH=tshark PATH="$tmp/bin:$PATH" "$bin" call list_captured_files 2>&1 >/dev/null)
[[ -z "$out" ]] && ok || bad "WIRESHARK_PATH=tshark on PATH warned: $out"
expect "WIRESHARK_PATH not on PATH" 0 'WIRESHARK_PATH=no-such-tshark was not found on PATH' -- env -u TSHARK_PATH WIRESHARK_PATH=no-such-tshark "$bin" call list_captured_files
expect "server refuses bad config" 2 "configuration error: MAX_CAPTURE_SIZE" -- env MAX_CAPTURE_SIZE=0 "$bin" serve </dev/null
# PCAP_MCP_TOOLSET: a bad value stops serve and call; call offers only the set's tools;
# tools lists every tool with the smallest set that holds it.
expect "server refuses bad toolset" 2 "configuration error: PCAP_MCP_TOOLSET='tiny' is not a tool set; accepted: core, analysis, full" -- env PCAP_MCP_TOOLSET=tiny "$bin" serve </dev/null
expect "call refuses bad toolset" 2 "PCAP_MCP_TOOLSET='Fullest'" -- env PCAP_MCP_TOOLSET=Fullest "$bin" call list_captured_files
expect "core call of a core tool" 0 'a.pcap' -- env PCAP_MCP_TOOLSET=core "$bin" call list_captured_files
expect "core call outside the set" 2 "unknown tool 'analyze_network_topology' \(PCAP_MCP_TOOLSET=core\); available: list_captured_files analyze_pcap_file analyze_expert_information list_packets get_packet_details follow_stream$" -- env PCAP_MCP_TOOLSET=core "$bin" call analyze_network_topology '{"pcap_file":"a.pcap"}'
expect "analysis call of export" 2 "unknown tool 'export_packets'" -- env PCAP_MCP_TOOLSET=analysis "$bin" call export_packets
expect "tools names the sets" 0 '^start_packet_capture +full +Start' -- env PCAP_MCP_TOOLSET=core "$bin" tools
expect "tools lists every tool" 0 '^analyze_tcp_retransmissions +analysis ' -- env PCAP_MCP_TOOLSET=core "$bin" tools

# stdout of the server carries protocol lines only, even with debug logging.
out=$(printf '%s\n' '{"jsonrpc":"2.0","id":1,"method":"ping"}' | PCAP_MCP_LOG_LEVEL=debug "$bin" 2>/dev/null)
[[ "$out" == '{"jsonrpc":"2.0","id":1,"result":{}}' ]] && ok || bad "stdout not protocol-only: $out"

echo "cli: $pass passed, $fail failed"
[[ $fail -eq 0 ]]
