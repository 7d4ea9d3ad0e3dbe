#!/usr/bin/env bash
# Real IMAP, POP3 and SMTP (submission) sessions between Debian's dovecot
# (imapd, pop3d, submissiond; a passwd-file user, plaintext logins allowed,
# a throwaway self-signed certificate for STARTTLS/STLS) and curl, in a
# network namespace of their own, captured with tcpdump into
# OUT_DIR/mail.pcap: logins (LOGIN, AUTHENTICATE/AUTH PLAIN, LOGIN,
# CRAM-MD5, USER/PASS, APOP), a failed login of each protocol, an unknown
# command of each, mailbox listing and message retrieval, messages
# submitted, and STARTTLS/STLS. The submission server relays to a local
# sink (python3's smtpd) whose port is not captured.
# Usage: mail_traffic.sh OUT_DIR   (exit 77: skipped, not root or a tool missing)
set -euo pipefail
out=${1:?usage: mail_traffic.sh OUT_DIR}
[[ $(id -u) -eq 0 ]] || { echo "SKIP: needs root (network namespace)"; exit 77; }
for c in dovecot curl tcpdump ip openssl python3; do
  command -v "$c" >/dev/null 2>&1 || { echo "SKIP: $c not installed (scripts/install-deps --test)"; exit 77; }
done
[[ -x /usr/lib/dovecot/imap && -x /usr/lib/dovecot/pop3 && -x /usr/lib/dovecot/submission ]] ||
  { echo "SKIP: dovecot-imapd, dovecot-pop3d or dovecot-submissiond missing"; exit 77; }
mkdir -p "$out"
ns=pa-mail-$$
work=$(mktemp -d)
chmod 755 "$work" # dovecot's auth process reads the passwd file as its own user
cleanup() {
  [[ -f $work/dovecot.conf ]] && ip netns exec "$ns" dovecot -c "$work/dovecot.conf" stop >/dev/null 2>&1 || true
  for p in $(ip netns pids "$ns" 2>/dev/null); do kill "$p" 2>/dev/null || true; done
  sleep 0.3
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
ip netns add "$ns"
nsx() { ip netns exec "$ns" "$@"; }
nsx ip link set lo up

openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" -days 2 \
  -subj /CN=mail.test >/dev/null 2>&1
home=$work/home/alice
mkdir -p "$home/Maildir/new" "$home/Maildir/cur" "$home/Maildir/tmp"
printf 'From: bob@mail.test\r\nTo: alice@mail.test\r\nSubject: hello\r\n\r\nA first message.\r\n' \
  >"$home/Maildir/new/1000000000.M1P1.mail.test"
chown -R 1000:1000 "$work/home"
echo "alice:{PLAIN}wonderland:1000:1000::$home" >"$work/passwd"
cat >"$work/dovecot.conf" <<CONF
base_dir = $work/run
log_path = $work/dovecot.log
protocols = imap pop3 submission
listen = 127.0.0.1
hostname = mail.test
ssl = yes
ssl_cert = <$work/cert.pem
ssl_key = <$work/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login cram-md5 apop
passdb {
  driver = passwd-file
  args = scheme=PLAIN $work/passwd
}
userdb {
  driver = passwd-file
  args = $work/passwd
}
mail_location = maildir:~/Maildir
first_valid_uid = 1000
default_login_user = dovenull
default_internal_user = dovecot
submission_relay_host = 127.0.0.1
submission_relay_port = 2525
submission_relay_trusted = yes
service imap-login {
  inet_listener imap {
    port = 143
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3-login {
  inet_listener pop3 {
    port = 110
  }
  inet_listener pop3s {
    port = 0
  }
}
service submission-login {
  inet_listener submission {
    port = 587
  }
}
CONF
nsx python3 -W ignore -m smtpd -n -c DebuggingServer 127.0.0.1:2525 >/dev/null 2>&1 &
nsx dovecot -c "$work/dovecot.conf"
nsx tcpdump -i lo -U -w "$out/mail.pcap" 'tcp port 143 or tcp port 110 or tcp port 587' >/dev/null 2>&1 &
sleep 1.5

u=alice:wonderland
bad=alice:not-the-password
c() { nsx curl -s -S --max-time 10 "$@" >/dev/null 2>>"$work/curl.log" || true; }
printf 'From: alice@mail.test\r\nTo: bob@mail.test\r\nSubject: test\r\n\r\nHello Bob.\r\n.leading dot\r\n' >"$work/msg"

# python3's imaplib and poplib send LOGIN and USER/PASS (curl prefers SASL when offered)
py() { nsx python3 -c "$1" >/dev/null 2>>"$work/curl.log" || true; }
# IMAP: LOGIN with SELECT and FETCH, AUTHENTICATE PLAIN, a failed login, an unknown command, STARTTLS
py 'import imaplib
m = imaplib.IMAP4("127.0.0.1")
m.login("alice", "wonderland")
m.select("INBOX")
m.fetch("1", "(FLAGS BODY[])")
m.logout()'
c -u "$u" --login-options 'AUTH=PLAIN' 'imap://127.0.0.1/'
py 'import imaplib
m = imaplib.IMAP4("127.0.0.1")
try: m.login("alice", "not-the-password")
except imaplib.IMAP4.error: pass
m.logout()'
c -u "$u" -X 'XYZZY' 'imap://127.0.0.1/INBOX'
c -u "$u" --ssl-reqd -k 'imap://127.0.0.1/INBOX;UID=1'
# POP3: USER/PASS with RETR, AUTH PLAIN, APOP, a failed login, an unknown command, STLS
py 'import poplib
p = poplib.POP3("127.0.0.1")
p.user("alice"); p.pass_("wonderland")
p.stat(); p.list(); p.retr(1)
p.quit()'
c -u "$u" --login-options 'AUTH=PLAIN' 'pop3://127.0.0.1/'
py 'import poplib
p = poplib.POP3("127.0.0.1")
p.apop("alice", "wonderland")
p.uidl(); p.top(1, 0)
p.quit()'
py 'import poplib
p = poplib.POP3("127.0.0.1")
p.user("alice")
try: p.pass_("not-the-password")
except poplib.error_proto: pass
p.quit()'
c -u "$u" -X 'XYZZY' 'pop3://127.0.0.1/'
c -u "$u" --ssl-reqd -k 'pop3://127.0.0.1/1'
# SMTP submission: AUTH PLAIN, LOGIN, CRAM-MD5, a failed login, an unknown command, STARTTLS
for mech in PLAIN LOGIN CRAM-MD5; do
  c -u "$u" --login-options "AUTH=$mech" --mail-from alice@mail.test --mail-rcpt bob@mail.test -T "$work/msg" \
    'smtp://127.0.0.1:587/client.test'
done
c -u "$bad" --login-options 'AUTH=LOGIN' --mail-from alice@mail.test --mail-rcpt bob@mail.test -T "$work/msg" \
  'smtp://127.0.0.1:587/client.test'
c -X 'XYZZY' 'smtp://127.0.0.1:587/client.test'
c -u "$u" --ssl-reqd -k --mail-from alice@mail.test --mail-rcpt bob@mail.test -T "$work/msg" \
  'smtp://127.0.0.1:587/client.test'
sleep 1
for p in $(ip netns pids "$ns"); do
  [[ $(cat /proc/"$p"/comm 2>/dev/null) == tcpdump ]] && kill -INT "$p"
done
sleep 0.5
[[ -n ${PA_MAIL_KEEP_LOG:-} ]] && cp "$work/dovecot.log" "$work/curl.log" "$out/"
echo "wrote $out/mail.pcap"
