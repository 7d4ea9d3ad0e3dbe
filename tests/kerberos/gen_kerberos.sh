#!/usr/bin/env bash
# Real Kerberos traffic for the tests: an MIT krb5 KDC and its clients (kinit, kvno) in two network
# namespaces (pa-krb-c, pa-krb-s), captured with tcpdump on the KDC's side. Over UDP and then TCP
# (udp_preference_limit = 1): pre-authentication required, a right and a wrong password, an
# unknown client, a service ticket (TGS), an unknown service, an expired password, and a ticket
# with RC4-HMAC (a weak encryption type the KDC still issues when asked).
# Usage: gen_kerberos.sh OUT_DIR   (writes OUT_DIR/kerberos.pcap; exit 77 when it cannot run:
# not root, or krb5-kdc, krb5-user, tcpdump or iproute2 missing)
set -u
out=${1:?usage: gen_kerberos.sh OUT_DIR}
for tool in krb5kdc kdb5_util kadmin.local kinit kvno tcpdump ip; do
  command -v "$tool" >/dev/null 2>&1 || { echo "SKIP: $tool missing (scripts/install-deps --test)"; exit 77; }
done
[[ $(id -u) -eq 0 ]] || { echo "SKIP: needs root for network namespaces"; exit 77; }
mkdir -p "$out" || exit 1
out=$(cd "$out" && pwd)
work=$(mktemp -d)
NC=pa-krb-c NS=pa-krb-s
kdc_pid='' dump_pid=''
cleanup() {
  [[ -n $kdc_pid ]] && kill "$kdc_pid" 2>/dev/null
  [[ -n $dump_pid ]] && kill "$dump_pid" 2>/dev/null
  wait 2>/dev/null
  ip netns del $NC 2>/dev/null
  ip netns del $NS 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
for ns in $NC $NS; do ip netns del $ns 2>/dev/null; ip netns add $ns || exit 1; ip -n $ns link set lo up; done
ip link add krbc0 netns $NC type veth peer name krbs0 netns $NS || exit 1
ip -n $NC addr add 10.88.77.1/24 dev krbc0 && ip -n $NC link set krbc0 up
ip -n $NS addr add 10.88.77.2/24 dev krbs0 && ip -n $NS link set krbs0 up
for ns in $NC $NS; do ip netns exec $ns ethtool -K "$([[ $ns == "$NC" ]] && echo krbc0 || echo krbs0)" tso off gso off gro off >/dev/null 2>&1; done

realm=PA.TEST
cat > "$work/kdc.conf" <<CONF
[kdcdefaults]
 kdc_ports = 88
 kdc_tcp_ports = 88
[realms]
 $realm = {
  database_name = $work/principal
  key_stash_file = $work/stash
  acl_file = $work/kadm5.acl
  max_life = 10h
  supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal rc4-hmac:normal
 }
[logging]
 kdc = FILE:$work/kdc.log
CONF
client_conf() { # $1: file, $2: extra libdefaults lines
  cat > "$1" <<CONF
[libdefaults]
 default_realm = $realm
 dns_lookup_kdc = false
 dns_lookup_realm = false
 rdns = false
 allow_weak_crypto = true
 allow_rc4 = true
$2
[realms]
 $realm = {
  kdc = 10.88.77.2
 }
CONF
}
client_conf "$work/udp.conf" ""
client_conf "$work/tcp.conf" " udp_preference_limit = 1"
client_conf "$work/rc4.conf" " default_tkt_enctypes = rc4-hmac
 default_tgs_enctypes = rc4-hmac
 permitted_enctypes = rc4-hmac aes256-cts-hmac-sha1-96"
touch "$work/kadm5.acl"
export KRB5_KDC_PROFILE=$work/kdc.conf KRB5_CONFIG=$work/udp.conf
kdb5_util create -s -r $realm -P master-pw >/dev/null 2>&1 || { echo "kdb5_util create failed"; exit 1; }
kadm() { kadmin.local -r $realm -q "$1" >/dev/null 2>&1; }
kadm "addprinc -pw alice-pw +requires_preauth alice"
kadm "addprinc -pw bob-pw bob"
kadm "addprinc -pw carol-pw -pwexpire now +requires_preauth carol"
kadm "addprinc -randkey host/server.pa.test"

ip netns exec $NS tcpdump -i krbs0 -U -s 0 -w "$out/kerberos.pcap" port 88 >/dev/null 2>&1 &
dump_pid=$!
ip netns exec $NS krb5kdc -n -r $realm >/dev/null 2>&1 &
kdc_pid=$!
sleep 2

client() { # $1: config, then the command; stdin: the password when asked
  ip netns exec $NC env KRB5_CONFIG="$work/$1" KRB5CCNAME="FILE:$work/cc" timeout 10 "${@:2}" >/dev/null 2>&1
}
for conf in udp.conf tcp.conf; do
  echo alice-pw | client $conf kinit alice            # PREAUTH_REQUIRED, then AS-REP
  client $conf kvno host/server.pa.test               # TGS-REQ -> TGS-REP
  client $conf kvno nosuch/server.pa.test             # S_PRINCIPAL_UNKNOWN
  echo wrong-pw | client $conf kinit alice            # PREAUTH_FAILED
  echo x | client $conf kinit nobody                  # C_PRINCIPAL_UNKNOWN
  echo bob-pw | client $conf kinit bob                # no pre-authentication: AS-REP at once
  echo carol-pw | client $conf kinit carol </dev/null # KEY_EXP (no new password given)
  sleep 0.2
done
echo bob-pw | client rc4.conf kinit bob               # RC4-HMAC chosen
sleep 1
kill "$kdc_pid" 2>/dev/null
kill "$dump_pid" 2>/dev/null
wait 2>/dev/null
kdc_pid='' dump_pid=''
[[ -s $out/kerberos.pcap ]] || { echo "no capture written"; exit 1; }
echo "wrote $out/kerberos.pcap"
