#!/usr/bin/env bash
# Real LDAP traffic for the LDAP comparison with tshark: Debian's slapd and ldap-utils in a
# network namespace of their own (pa-ldap-ns), captured with tcpdump on its loopback, whose MTU
# is 1500 so that long search results span segments. Simple binds with the right and a wrong
# password, anonymous and unauthenticated binds, searches that succeed (many entries), that
# return noSuchObject or a filter of every kind, add, modify, modDN, compare, delete, WhoAmI and
# StartTLS (-ZZ, a self-signed certificate) and a SASL (DIGEST-MD5) bind the server refuses.
#
#   gen_ldap.sh OUT.pcap
#
# Needs root, slapd, ldap-utils, tcpdump and openssl; exits 77 without them.
set -uo pipefail
out=$1
[[ $(id -u) -eq 0 ]] || { echo "SKIP: needs root (network namespaces)"; exit 77; }
for c in slapd ldapsearch ldapadd ldapmodify ldapcompare ldapwhoami ldapdelete ldapmodrdn tcpdump openssl ip; do
  command -v "$c" >/dev/null || [[ -x /usr/sbin/$c ]] || { echo "SKIP: $c not found"; exit 77; }
done
ns=pa-ldap-ns
work=$(mktemp -d)
cleanup() {
  if [[ -f $work/slapd.pid ]]; then
    pid=$(cat "$work/slapd.pid")
    kill "$pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  [[ -n ${dump:-} ]] && kill "$dump" 2>/dev/null && wait "$dump" 2>/dev/null
  ip netns del "$ns" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
ip netns del "$ns" 2>/dev/null
ip netns add "$ns" || { echo "SKIP: cannot create a network namespace"; exit 77; }
nsx() { ip netns exec "$ns" "$@"; }
nsx ip link set lo mtu 1500 up

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=ldap.example.com \
  -keyout "$work/key.pem" -out "$work/cert.pem" >/dev/null 2>&1
mkdir -p "$work/db"
cat >"$work/slapd.conf" <<CONF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile $work/slapd.pid
TLSCertificateFile $work/cert.pem
TLSCertificateKeyFile $work/key.pem
database mdb
maxsize 10485760
suffix "dc=example,dc=com"
rootdn "cn=admin,dc=example,dc=com"
rootpw secret
directory $work/db
access to * by * read
CONF
slapd=$(command -v slapd || echo /usr/sbin/slapd)
# its output closed: a daemon holding the caller's pipes would keep a test runner waiting
nsx "$slapd" -f "$work/slapd.conf" -h "ldap://127.0.0.1:389/" </dev/null >/dev/null 2>&1 || { echo "FAIL: slapd did not start"; exit 1; }
for _ in $(seq 50); do nsx ldapsearch -x -H ldap://127.0.0.1 -b "" -s base >/dev/null 2>&1 && break; sleep 0.1; done

nsx tcpdump -i lo -s 0 -U -w "$out" tcp port 389 </dev/null >/dev/null 2>&1 &
dump=$!
sleep 1
H=(-H ldap://127.0.0.1)
A=(-x "${H[@]}" -D cn=admin,dc=example,dc=com -w secret)
{
  printf 'dn: dc=example,dc=com\nobjectClass: dcObject\nobjectClass: organization\no: Example\ndc: example\n\n'
  printf 'dn: ou=people,dc=example,dc=com\nobjectClass: organizationalUnit\nou: people\n\n'
  for i in $(seq 1 40); do
    printf 'dn: uid=user%d,ou=people,dc=example,dc=com\nobjectClass: inetOrgPerson\nuid: user%d\ncn: User %d\nsn: Number%d\n' "$i" "$i" "$i" "$i"
    printf 'description: %s\n\n' "$(printf 'long text %.0s' $(seq 1 $((i * 8))))"
  done
} >"$work/add.ldif"
nsx ldapadd "${A[@]}" -f "$work/add.ldif" >/dev/null
nsx ldapsearch -x "${H[@]}" -D cn=admin,dc=example,dc=com -w wrongpassword -b dc=example,dc=com >/dev/null 2>&1
nsx ldapsearch -x "${H[@]}" -b dc=example,dc=com "(objectClass=*)" >/dev/null
nsx ldapsearch -x "${H[@]}" -b ou=nothere,dc=example,dc=com "(uid=x)" >/dev/null 2>&1
nsx ldapsearch -x "${H[@]}" -b dc=example,dc=com -s one "(&(objectClass=*)(!(ou=x)))" ou >/dev/null
nsx ldapsearch -x "${H[@]}" -b ou=people,dc=example,dc=com -s one -z 3 \
  "(|(uid=user1*)(cn=*ser 2*4)(sn>=Number3)(sn<=Number1)(cn~=User)(uid:caseExactMatch:=user5))" uid cn >/dev/null 2>&1
nsx ldapsearch -x "${H[@]}" -D uid=user1,ou=people,dc=example,dc=com -b "" -s base >/dev/null 2>&1
printf 'dn: uid=user2,ou=people,dc=example,dc=com\nchangetype: modify\nreplace: sn\nsn: Changed\n' >"$work/mod.ldif"
nsx ldapmodify "${A[@]}" -f "$work/mod.ldif" >/dev/null
nsx ldapmodrdn "${A[@]}" uid=user3,ou=people,dc=example,dc=com uid=user3b >/dev/null
nsx ldapcompare "${A[@]}" uid=user4,ou=people,dc=example,dc=com sn:Number4 >/dev/null
nsx ldapcompare "${A[@]}" uid=nobody,ou=people,dc=example,dc=com sn:x >/dev/null 2>&1
nsx ldapdelete "${A[@]}" uid=user5,ou=people,dc=example,dc=com >/dev/null
nsx ldapwhoami "${A[@]}" >/dev/null
LDAPTLS_REQCERT=never nsx ldapsearch -x -ZZ "${H[@]}" -b dc=example,dc=com -s base >/dev/null
nsx ldapwhoami "${H[@]}" -Y DIGEST-MD5 -U someone -w pw >/dev/null 2>&1
nsx ldapsearch -x "${H[@]}" -b dc=example,dc=com -l 1 "(objectClass=*)" >/dev/null 2>&1
sleep 1
kill "$dump"
wait "$dump" 2>/dev/null
dump=
[[ -s $out ]] || { echo "FAIL: nothing captured"; exit 1; }
echo "captured $(stat -c %s "$out") bytes"
