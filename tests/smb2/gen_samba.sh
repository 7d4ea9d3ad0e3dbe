#!/usr/bin/env bash
# Real SMB traffic for the SMB2 tests: Debian's smbd serves a share in one network namespace,
# smbclient uses it from another, tcpdump captures between them. The sessions: shares listed
# (srvsvc over IPC$), a file put and got, a missing file, an access denied (a read-only share),
# a wrong password, an SMB1 negotiate that turns to SMB2 (client min protocol NT1 offering both),
# a signed session and an encrypted one (SMB3 transform headers).
# Usage: tests/smb2/gen_samba.sh OUT.pcap   (root, samba, smbclient, tcpdump; exit 77 without them)
set -u
OUT=${1:?usage: gen_samba.sh OUT.pcap}
mkdir -p "$(dirname "$OUT")" || exit 1
command -v smbd >/dev/null && command -v smbclient >/dev/null && command -v tcpdump >/dev/null || {
  echo "SKIP: smbd, smbclient or tcpdump missing"; exit 77; }
[[ $(id -u) -eq 0 ]] || { echo "SKIP: needs root (network namespaces)"; exit 77; }

NS_S=pa-smb2-srv NS_C=pa-smb2-cli
WORK=$(mktemp -d)
cleanup() {
  [[ -n ${TCPDUMP:-} ]] && kill "$TCPDUMP" 2>/dev/null && wait "$TCPDUMP" 2>/dev/null
  [[ -f $WORK/smbd.pid ]] && kill "$(cat "$WORK/smbd.pid")" 2>/dev/null
  ip netns del $NS_S 2>/dev/null
  ip netns del $NS_C 2>/dev/null
  [[ -n ${ADDED_USER:-} ]] && userdel patest 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

for ns in $NS_S $NS_C; do ip netns del $ns 2>/dev/null; ip netns add $ns || exit 1; ip -n $ns link set lo up; done
ip link add pa-smb2-s netns $NS_S type veth peer name pa-smb2-c netns $NS_C || exit 1
ip -n $NS_S addr add 10.77.2.1/24 dev pa-smb2-s && ip -n $NS_S link set pa-smb2-s up
ip -n $NS_C addr add 10.77.2.2/24 dev pa-smb2-c && ip -n $NS_C link set pa-smb2-c up
# no segmentation offload where ethtool is installed: the capture holds the segments as sent
ip netns exec $NS_C ethtool -K pa-smb2-c tso off gso off gro off >/dev/null 2>&1
ip netns exec $NS_S ethtool -K pa-smb2-s tso off gso off gro off >/dev/null 2>&1

mkdir -p "$WORK"/{share,ro,private,lock,state,cache,log,ncalrpc}
echo "hello from the share" >"$WORK/share/readme.txt"
echo "read only" >"$WORK/ro/locked.txt"
chmod 0777 "$WORK/share"
cat >"$WORK/smb.conf" <<EOF
[global]
  workgroup = PATEST
  netbios name = PASRV
  server role = standalone server
  interfaces = 10.77.2.1/24
  bind interfaces only = yes
  smb ports = 445 139
  server min protocol = NT1
  server signing = auto
  server smb encrypt = if_required
  private dir = $WORK/private
  lock directory = $WORK/lock
  state directory = $WORK/state
  cache directory = $WORK/cache
  pid directory = $WORK
  ncalrpc dir = $WORK/ncalrpc
  log file = $WORK/log/log.%m
  passdb backend = tdbsam:$WORK/private/passdb.tdb
  load printers = no
  disable spoolss = yes
  map to guest = never
[share]
  path = $WORK/share
  read only = no
  force user = root
[ro]
  path = $WORK/ro
  read only = yes
[secret]
  path = $WORK/share
  valid users = nobody
EOF
# the Unix account smbpasswd needs, removed again at the end when made here
id patest >/dev/null 2>&1 || { useradd -M -s /usr/sbin/nologin patest && ADDED_USER=1; }
printf 'Pa55word\nPa55word\n' | ip netns exec $NS_S smbpasswd -c "$WORK/smb.conf" -s -a patest >/dev/null || exit 1

ip netns exec $NS_S smbd -D -s "$WORK/smb.conf" || exit 1
for _ in $(seq 50); do ip netns exec $NS_S ss -ltn | grep -q ':445 ' && break; sleep 0.2; done

ip netns exec $NS_C tcpdump -Z root -i pa-smb2-c -s 0 -U -w "$OUT" 'tcp port 445 or tcp port 139' 2>/dev/null &
TCPDUMP=$!
sleep 1

C="ip netns exec $NS_C smbclient --configfile=/dev/null"
AUTH=(-U 'patest%Pa55word')
cd "$WORK" || exit 1
echo "a file put then got back" >put.txt
$C -L //10.77.2.1 "${AUTH[@]}" >/dev/null 2>&1                                  # srvsvc over IPC$
$C //10.77.2.1/share "${AUTH[@]}" -c 'put put.txt up.txt; get up.txt back.txt; get readme.txt r.txt; get missing.txt m.txt; ls; mkdir d1; rmdir d1; del up.txt' >/dev/null 2>&1
$C //10.77.2.1/ro "${AUTH[@]}" -c 'put put.txt denied.txt; get locked.txt l.txt' >/dev/null 2>&1
$C //10.77.2.1/share -U 'patest%wrong' -c 'ls' >/dev/null 2>&1                  # STATUS_LOGON_FAILURE
$C //10.77.2.1/secret "${AUTH[@]}" -c 'ls' >/dev/null 2>&1                        # access denied to the tree
$C //10.77.2.1/nosuch "${AUTH[@]}" -c 'ls' >/dev/null 2>&1                        # STATUS_BAD_NETWORK_NAME
$C //10.77.2.1/share "${AUTH[@]}" --option='client min protocol=NT1' -c 'ls' >/dev/null 2>&1
$C //10.77.2.1/share "${AUTH[@]}" -m NT1 --option='client min protocol=NT1' -c 'ls' >/dev/null 2>&1
$C //10.77.2.1/share "${AUTH[@]}" -p 139 -c 'get readme.txt r2.txt' >/dev/null 2>&1
$C //10.77.2.1/share "${AUTH[@]}" --client-protection=sign -c 'ls' >/dev/null 2>&1
$C //10.77.2.1/share "${AUTH[@]}" --client-protection=encrypt -c 'get readme.txt r3.txt; ls' >/dev/null 2>&1
# DCE-RPC over the srvsvc, samr and lsarpc pipes (ncacn_np), as corpus_dcerpc compares with tshark
ip netns exec $NS_C timeout 30 rpcclient --configfile=/dev/null "${AUTH[@]}" ncacn_np:10.77.2.1 \
  -c 'srvinfo;netshareenumall;netsharegetinfo share;enumdomusers;lsaquery;lookupnames patest;queryuser 0x1f4' >/dev/null 2>&1
sleep 1
kill "$TCPDUMP" && wait "$TCPDUMP" 2>/dev/null
TCPDUMP=
[[ -s $OUT ]] || { echo "no capture written"; exit 1; }
echo "wrote $OUT"
