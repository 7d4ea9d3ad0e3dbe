// NTP per frame against tshark 4.0 on the captures with NTP: the values of each field below must
// equal ours (pa-dfield-values) on every frame where either side has one. tshark runs two passes
// (-2): it fills ntp.request_in and ntp.delta_time only in its second pass. Timestamps (ntp.reftime,
// .org, .rec, .xmt) are dates to tshark and seconds since 1970 to us: equal when within a
// microsecond (a double holds about a quarter of one at today's dates). Frames holding an ICMP
// error are left out (tshark dissects the NTP datagram it quotes). PA_NTP_EXTRA adds the capture
// test_ntp writes (ntp_gen/ntp.pcap: exchanges, kiss-o'-death, symmetric, broadcast, control and
// private messages, a reference timestamp of the next era).
// Usage: node compare_ntp.mjs PA_DFIELD_VALUES [CORPUS_REAL_DIR [CORPUS_DIR]]
import fs from 'node:fs';
import path from 'node:path';
import { SKIP, compareFieldValues, corporaWithTshark } from './common.mjs';

const FIELDS = ['ntp.flags', 'ntp.flags.li', 'ntp.flags.vn', 'ntp.flags.mode', 'ntp.stratum', 'ntp.ppoll',
  'ntp.precision', 'ntp.rootdelay', 'ntp.rootdispersion', 'ntp.refid', 'ntp.reftime', 'ntp.org', 'ntp.rec',
  'ntp.xmt', 'ntp.request_in', 'ntp.delta_time', 'ntp.ctrl.flags2', 'ntp.ctrl.flags2.r', 'ntp.ctrl.flags2.error',
  'ntp.ctrl.flags2.more', 'ntp.ctrl.flags2.opcode', 'ntp.ctrl.sequence', 'ntp.ctrl.status', 'ntp.ctrl.associd',
  'ntp.ctrl.offset', 'ntp.ctrl.count', 'ntp.priv.flags.r', 'ntp.priv.flags.more', 'ntp.priv.auth_seq',
  'ntp.priv.auth', 'ntp.priv.seq', 'ntp.priv.impl', 'ntp.priv.reqcode', 'ntp.priv.err', 'ntp.priv.numitems',
  'ntp.priv.itemsize'];
const TIMES = new Set(['ntp.reftime', 'ntp.org', 'ntp.rec', 'ntp.xmt']);
const REAL = ['ndpi__android.pcap', 'ndpi__wechat.pcap', 'pcapplusplus__many_interfaces-1.pcapng',
  'tcpdump__ntp-control.pcap'];
const CORPUS = ['arkime/gre-sample.pcap', 'zeek/tunnels__gre-sample.pcap', 'suricata-verify/ipv6-ext-hdr-dos-6.pcap'];

const [bin, realArg, corpusArg] = process.argv.slice(2);
if (!bin) {
  process.stderr.write('usage: compare_ntp.mjs PA_DFIELD_VALUES [CORPUS_REAL_DIR [CORPUS_DIR]]\n');
  process.exit(2);
}
const { real, corpus } = await corporaWithTshark(realArg, corpusArg);

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
// tshark's "Feb 23, 2020 10:46:38.887000012 UTC" (NULL: a zero timestamp) as seconds since 1970
function tsharkSeconds(s) {
  if (s === 'NULL') return 0;
  const m = /^(\w{3}) +(\d+), (\d+) (\d\d):(\d\d):(\d\d)(?:\.(\d+))? UTC$/.exec(s);
  if (!m || MONTHS.indexOf(m[1]) < 0) return NaN;
  return Date.UTC(+m[3], MONTHS.indexOf(m[1]), +m[2], +m[4], +m[5], +m[6]) / 1000 + Number(`0.${m[7] ?? '0'}`);
}
function same(field, a, b) {
  if (!TIMES.has(field)) return a === b;
  const x = a.match(/NULL|\w{3} +\d+, \d+ [\d:.]+ UTC/g) ?? [], y = b.split(',');
  return x.length === y.length && x.every((v, i) => Math.abs(tsharkSeconds(v) - Number(y[i])) < 1e-6);
}

const extra = (process.env.PA_NTP_EXTRA ?? '').split(':').filter((f) => f && fs.existsSync(f));
const files = [...REAL.map((f) => path.join(real, f)), ...CORPUS.map((f) => path.join(corpus, f)), ...extra];
const { seen, diffs } = await compareFieldValues({ bin, files, fields: FIELDS, tsharkArgs: ['-2'], same });
if (!seen) {
  console.log(`SKIP: none of the NTP captures in ${real} or ${corpus}`);
  process.exit(SKIP);
}
console.log(`total: ${diffs} values differ`);
process.exit(diffs ? 1 : 0);
