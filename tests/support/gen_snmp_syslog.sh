#!/usr/bin/env bash
# Real SNMP and syslog traffic for the SNMP and syslog tests: Debian's snmpd,
# snmptrapd and net-snmp tools, and util-linux's logger, between two network
# namespaces (pa-snmp-agent 10.61.0.1, pa-snmp-mgr 10.61.0.2), captured with
# tcpdump on the agent's side.
#   DIR/snmp.pcap    v1 and v2c gets, getnext, walks, getbulk, sets (right
#                    and wrong community), requests with a community the
#                    agent ignores (timeouts), an unknown OID (noSuchName in
#                    v1), v3 noAuthNoPriv, authNoPriv and authPriv with users
#                    (discovery reports, encrypted PDUs), v1 and v2c traps,
#                    an inform (no get over TCP: tshark 4.0's SNMP
#                    dissector starts a new conversation in mid-connection,
#                    which changes its tcp.stream and TCP analysis there);
#   DIR/syslog.pcap  logger over UDP 514 (RFC 3164 and 5424, several
#                    facilities and severities), over TCP 514 (LF-framed) and
#                    TCP 601 (octet-counted).
# Needs root (network namespaces) and the packages scripts/install-deps
# --test installs; exits 77 (skipped) without them.
# Usage: gen_snmp_syslog.sh DIR
set -euo pipefail
dir=$1
mkdir -p "$dir"
for t in ip tcpdump snmpd snmptrapd snmpget snmpwalk snmpbulkwalk snmpset snmptrap snmpinform logger python3; do
  command -v "$t" >/dev/null || { echo "SKIP: $t not found"; exit 77; }
done
[[ $(id -u) == 0 ]] || { echo "SKIP: needs root for network namespaces"; exit 77; }
A=pa-snmp-agent M=pa-snmp-mgr
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  ip netns del $A 2>/dev/null || true
  ip netns del $M 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
ip netns del $A 2>/dev/null || true
ip netns del $M 2>/dev/null || true
ip netns add $A
ip netns add $M
ip link add pa-snmp-a0 netns $A type veth peer name pa-snmp-m0 netns $M
ip -n $A addr add 10.61.0.1/24 dev pa-snmp-a0
ip -n $M addr add 10.61.0.2/24 dev pa-snmp-m0
for n in $A $M; do ip -n $n link set lo up; done
ip -n $A link set pa-snmp-a0 up
ip -n $M link set pa-snmp-m0 up
export SNMP_PERSISTENT_DIR=$work/persist MIBS=""
mkdir -p "$SNMP_PERSISTENT_DIR"
cat >"$work/snmpd.conf" <<CONF
agentAddress udp:10.61.0.1:161,tcp:10.61.0.1:161
rocommunity public 10.61.0.0/24
rwcommunity private 10.61.0.0/24
createUser alice SHA "alice-auth-pass" AES "alice-priv-pass"
createUser carol SHA "carol-auth-pass"
createUser bob
rwuser alice priv
rouser carol auth
rouser bob noauth
sysContact ops@example.net
sysLocation lab
CONF
cat >"$work/snmptrapd.conf" <<CONF
disableAuthorization yes
authCommunity log public
CONF
capture() { # FILE FILTER: tcpdump on the agent's side until stop_capture
  ip netns exec $A tcpdump -i pa-snmp-a0 -U -s 0 -w "$1" "$2" 2>/dev/null &
  cap=$!
  pids+=("$cap")
  sleep 1
}
stop_capture() { sleep 1; kill -INT "$cap"; wait "$cap" 2>/dev/null || true; }
m() { ip netns exec $M "$@" >/dev/null 2>&1 || true; }

# ---- SNMP ----
ip netns exec $A snmpd -f -Lo -C -c "$work/snmpd.conf" -p "$work/snmpd.pid" >"$work/snmpd.log" 2>&1 &
pids+=($!)
ip netns exec $A snmptrapd -f -Lo -C -c "$work/snmptrapd.conf" udp:10.61.0.1:162 >"$work/trapd.log" 2>&1 &
pids+=($!)
sleep 2
capture "$dir/snmp.pcap" "port 161 or port 162"
O=(-On -t 1 -r 1)
m snmpget -v1 -c public "${O[@]}" 10.61.0.1 1.3.6.1.2.1.1.1.0 1.3.6.1.2.1.1.3.0
m snmpget -v1 -c public "${O[@]}" 10.61.0.1 1.3.6.1.2.1.1.99.0
m snmpgetnext -v1 -c public "${O[@]}" 10.61.0.1 1.3.6.1.2.1.1.4
m snmpget -v2c -c public "${O[@]}" 10.61.0.1 1.3.6.1.2.1.1.5.0 1.3.6.1.2.1.1.99.0
m snmpwalk -v2c -c public "${O[@]}" 10.61.0.1 1.3.6.1.2.1.1
m snmpbulkwalk -v2c -c public -Cr5 "${O[@]}" 10.61.0.1 1.3.6.1.2.1.1
m snmpset -v2c -c private "${O[@]}" 10.61.0.1 1.3.6.1.2.1.1.6.0 s "rack 4"
m snmpset -v2c -c public "${O[@]}" 10.61.0.1 1.3.6.1.2.1.1.6.0 s "nope"
m snmpset -v1 -c private "${O[@]}" 10.61.0.1 1.3.6.1.2.1.1.3.0 t 5
m snmpget -v2c -c wrongcommunity "${O[@]}" 10.61.0.1 1.3.6.1.2.1.1.1.0
m snmpget -v1 -c secret "${O[@]}" 10.61.0.1 1.3.6.1.2.1.1.1.0
m snmpget -v3 -l noAuthNoPriv -u bob "${O[@]}" 10.61.0.1 1.3.6.1.2.1.1.1.0
m snmpget -v3 -l authNoPriv -u carol -a SHA -A carol-auth-pass "${O[@]}" 10.61.0.1 1.3.6.1.2.1.1.5.0
m snmpget -v3 -l authPriv -u alice -a SHA -A alice-auth-pass -x AES -X alice-priv-pass "${O[@]}" 10.61.0.1 \
  1.3.6.1.2.1.1.1.0
m snmpwalk -v3 -l authPriv -u alice -a SHA -A alice-auth-pass -x AES -X alice-priv-pass "${O[@]}" 10.61.0.1 \
  1.3.6.1.2.1.1.9.1.2
m snmpget -v3 -l authNoPriv -u carol -a SHA -A wrong-pass-xx "${O[@]}" 10.61.0.1 1.3.6.1.2.1.1.5.0
m snmpget -v3 -l noAuthNoPriv -u mallory "${O[@]}" 10.61.0.1 1.3.6.1.2.1.1.1.0
m snmptrap -v1 -c public 10.61.0.1:162 1.3.6.1.4.1.8072.2.3 10.61.0.2 6 17 '' 1.3.6.1.2.1.1.5.0 s host-m
m snmptrap -v2c -c public 10.61.0.1:162 '' 1.3.6.1.6.3.1.1.5.3 1.3.6.1.2.1.2.2.1.1.2 i 2
m snmpinform -v2c -c public "${O[@]}" 10.61.0.1:162 '' 1.3.6.1.6.3.1.1.5.4 1.3.6.1.2.1.2.2.1.1.2 i 2
stop_capture

# ---- syslog ----
ip netns exec $A python3 -c '
import socket, selectors
sel = selectors.DefaultSelector()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("10.61.0.1", 514)); sel.register(u, selectors.EVENT_READ)
for port in (514, 601):
    t = socket.socket(); t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); t.bind(("10.61.0.1", port)); t.listen(8)
    sel.register(t, selectors.EVENT_READ, "listen")
while True:
    for k, _ in sel.select():
        if k.data == "listen":
            c, _ = k.fileobj.accept(); sel.register(c, selectors.EVENT_READ, "conn")
        elif not k.fileobj.recv(65536) and k.data == "conn":
            sel.unregister(k.fileobj); k.fileobj.close()
' &
pids+=($!)
sleep 1
capture "$dir/syslog.pcap" "port 514 or port 601"
L=(logger --server 10.61.0.1)
m "${L[@]}" --udp --port 514 --rfc3164 -t sshd -p auth.err "error: PAM: Authentication failure for root from 10.61.0.9"
m "${L[@]}" --udp --port 514 --rfc3164 -t kernel -p kern.warning "eth0: link down"
m "${L[@]}" --udp --port 514 --rfc3164 -t cron -p cron.info "(root) CMD (run-parts /etc/cron.hourly)"
m "${L[@]}" --udp --port 514 --rfc5424 -t app -p local0.notice --msgid ID47 "user login ok"
m "${L[@]}" --udp --port 514 --rfc5424=notq -t db -p local3.crit --sd-id "origin@32473" --sd-param 'ip="10.61.0.2"' \
  "disk full on /var"
m "${L[@]}" --udp --port 514 --rfc5424 -t mail -p mail.emerg "queue corrupted"
m "${L[@]}" --udp --port 514 --rfc3164 -t daemon -p daemon.debug "debug trace"
m "${L[@]}" --tcp --port 514 --rfc3164 -t web -p user.alert "upstream unreachable"
m "${L[@]}" --tcp --port 514 --rfc5424 -t web -p user.err "request failed"
m "${L[@]}" --tcp --octet-count --port 601 --rfc5424 -t audit -p authpriv.info "session opened"
m "${L[@]}" --tcp --octet-count --port 601 --rfc3164 -t audit -p authpriv.warning "password changed"
stop_capture
echo "wrote $dir/snmp.pcap $dir/syslog.pcap"
