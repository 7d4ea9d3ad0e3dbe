#!/usr/bin/env bash
# pa-udp-send refuses bad arguments with exit 2 and a message naming what it
# accepts, and sends with good ones (to a closed loopback port: the ICMP
# errors that come back must not stop it or change its count).
# Usage: test_udp_send_args.sh PA_UDP_SEND
set -u
bin=$1
fail=0
bad() {
  local err rc
  err=$("$bin" "$@" 2>&1 >/dev/null)
  rc=$?
  if [[ $rc -ne 2 ]]; then
    echo "FAIL: '$*' exited $rc, expected 2"; fail=1
  elif [[ $err != *usage:* || $err != *"PAYLOAD_BYTES  UDP payload size, 0 to 1472"* ]]; then
    echo "FAIL: '$*': the message does not say what is accepted: $err"; fail=1
  else
    echo "ok: '$*' -> 2: $(head -n1 <<<"$err")"
  fi
}
bad
bad 127.0.0.1 9 10
bad 127.0.0.1 9 10 100 1000 extra
bad 127.0.0.256 9 10 100
bad ::1 9 10 100
bad example.com 9 10 100
bad 127.0.0.1 0 10 100
bad 127.0.0.1 65536 10 100
bad 127.0.0.1 x9 10 100
bad 127.0.0.1 9 0 100
bad 127.0.0.1 9 -1 100
bad 127.0.0.1 9 4294967296 100
bad 127.0.0.1 9 10 1473
bad 127.0.0.1 9 10 ' 100'
bad 127.0.0.1 9 10 +100
bad 127.0.0.1 9 10 100 0x10
bad 127.0.0.1 9 10 100 100000001
bad 127.0.0.1 9 10 100 ''

# nothing listens on this port: every datagram is answered by port unreachable
for args in "3 0" "5 1472 0" "20 2 1000"; do
  # shellcheck disable=SC2086
  out=$("$bin" 127.0.0.1 45919 $args 2>/dev/null)
  rc=$?
  n=${args%% *}
  if [[ $rc -eq 0 && $out =~ ^sent\ $n\ in\ [0-9]+\.[0-9]{3}\ s\ \([0-9]+\ pps\)$ ]]; then
    echo "ok: '$args' -> $out"
  else
    echo "FAIL: '$args' -> exit $rc: $out"; fail=1
  fi
done
exit $fail
