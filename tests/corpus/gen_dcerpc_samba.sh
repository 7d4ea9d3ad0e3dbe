#!/usr/bin/env bash
# Real DCE-RPC over TCP for compare_dcerpc.mjs: Samba's samba-dcerpcd (the endpoint mapper on 135
# and the interfaces on the ports it hands out) and rpcclient over ncacn_ip_tcp, in a network
# namespace of their own (pa-dcerpc-PID), captured on its loopback with tcpdump. rpcclient asks
# the endpoint mapper (Lookup, Map) for each interface, binds to it on its dynamic port and calls
# it: SRVSVC NetSrvGetInfo and NetShareEnumAll, SAMR Connect5, EnumDomains, LookupDomain,
# OpenDomain, QueryDomainInfo, LSARPC calls an anonymous client is refused (faults
# nca_s_fault_access_denied), DSSETUP, WKSSVC.
#
#   gen_dcerpc_samba.sh OUT.pcap
#
# Needs root (namespaces), samba-common-bin (samba-dcerpcd), smbclient (rpcclient) and tcpdump;
# skips (77) without them.
set -uo pipefail
out=$1
[[ $(id -u) -eq 0 ]] || { echo "SKIP: needs root (network namespaces)"; exit 77; }
dcerpcd=/usr/libexec/samba/samba-dcerpcd
for c in "$dcerpcd" rpcclient tcpdump ip; do
  command -v "$c" >/dev/null || { echo "SKIP: $c not found"; exit 77; }
done
ns=pa-dcerpc-$$
mkdir -p "$(dirname "$out")"
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  sleep 0.5
  # the daemon's workers, found by the configuration file only this run uses
  for p in $(pgrep -f -- "$work/smb.conf"); do kill "$p" 2>/dev/null; done
  ip netns del "$ns" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work"/{priv,lock,state,cache,log,run,share}
cat >"$work/smb.conf" <<CONF
[global]
  workgroup = PATEST
  netbios name = PASRV
  server role = standalone server
  private dir = $work/priv
  lock directory = $work/lock
  state directory = $work/state
  cache directory = $work/cache
  pid directory = $work/run
  ncalrpc dir = $work/run/ncalrpc
  log file = $work/log/%m.log
  map to guest = Bad User
  rpc start on demand helpers = false
[share]
  path = $work/share
  guest ok = yes
CONF
ip netns add "$ns" || { echo "FAIL: ip netns add $ns"; exit 1; }
ip netns exec "$ns" ip link set lo up
ip netns exec "$ns" "$dcerpcd" --foreground --libexec-rpcds -s "$work/smb.conf" >"$work/dcerpcd.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do
  ip netns exec "$ns" ss -ltn | grep -q ':135 ' && break
  sleep 0.2
done
ip netns exec "$ns" ss -ltn | grep -q ':135 ' || { echo "FAIL: samba-dcerpcd did not listen on 135"; cat "$work/dcerpcd.log"; exit 1; }
ip netns exec "$ns" tcpdump -i lo -U -s 0 -w "$out" tcp >/dev/null 2>&1 &
tcpd=$!
sleep 1
for c in epmlookup epmmap srvinfo netshareenumall lsaquery getusername querydominfo 'lookupnames root' \
  dsroledominfo wkssvc_wkstagetinfo enumdomgroups; do
  ip netns exec "$ns" timeout 20 rpcclient -s "$work/smb.conf" -U% ncacn_ip_tcp:127.0.0.1 -c "$c" >/dev/null 2>&1
done
sleep 1
kill "$tcpd"
wait "$tcpd" 2>/dev/null
[[ -s $out ]] || { echo "FAIL: nothing captured"; exit 1; }
echo "captured: $(stat -c %s "$out") bytes"
