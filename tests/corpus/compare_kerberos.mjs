// Kerberos per frame against tshark 4.0 on the captures with Kerberos: the values of each field
// below must equal ours (pa-dfield-values) on every frame where either side has one: message
// types (an AP-REQ inside a TGS-REQ's padata too), error codes, client and service name
// components, realms, the etypes of encrypted parts and ETYPE-INFO2 entries, the etype list a
// request offers, padata types. Frames holding an ICMP error are left out (tshark dissects the
// datagram it quotes). Then the exchanges: tshark 4.0 has no Kerberos response time, so the pairs
// are made from its messages as the rule says (a reply or KRB-ERROR answers the oldest request
// waiting on its TCP stream, or over UDP on its client and server addresses and ports), with
// tshark's frame times, and each must be in analyze_application_response_times' list (request
// frame, reply frame, time to the microsecond), and no other. PA_KERBEROS_EXTRA adds the captures
// test_kerberos writes and the MIT krb5 traffic of gen_kerberos.sh.
// Usage: node compare_kerberos.mjs PA_DFIELD_VALUES SERVER [CORPUS_REAL_DIR [CORPUS_DIR]]
import fs from 'node:fs';
import path from 'node:path';
import { SKIP, run, makeStorage, callOurs, compareFieldValues, corporaWithTshark } from './common.mjs';

const FIELDS = ['kerberos.pvno', 'kerberos.msg_type', 'kerberos.error_code', 'kerberos.CNameString',
  'kerberos.SNameString', 'kerberos.realm', 'kerberos.crealm', 'kerberos.etype', 'kerberos.ENCTYPE',
  'kerberos.padata_type', 'kerberos.nonce', 'kerberos.e_text'];
const REAL = ['ndpi__kerberos.pcap', 'tcpdump__afs.pcap'];

const [bin, server, realArg, corpusArg] = process.argv.slice(2);
if (!bin || !server) {
  process.stderr.write('usage: compare_kerberos.mjs PA_DFIELD_VALUES SERVER [CORPUS_REAL_DIR [CORPUS_DIR]]\n');
  process.exit(2);
}
const { real } = await corporaWithTshark(realArg, corpusArg);
const extra = (process.env.PA_KERBEROS_EXTRA ?? '').split(':').filter((f) => f && fs.existsSync(f));
const files = [...REAL.map((f) => path.join(real, f)), ...extra];
const { seen, diffs } = await compareFieldValues({ bin, files, fields: FIELDS });
if (!seen) {
  console.log(`SKIP: none of the Kerberos captures in ${real}`);
  process.exit(SKIP);
}

// The exchanges tshark's messages make, by the pairing rule.
async function theirPairs(file) {
  const t = await run('tshark', ['-r', file, '-Y', 'kerberos && !icmp && !icmpv6', '-T', 'fields', '-E',
    'occurrence=f', '-e', 'frame.number', '-e', 'frame.time_epoch', '-e', 'ip.src', '-e', 'ipv6.src', '-e', 'ip.dst',
    '-e', 'ipv6.dst', '-e', 'tcp.stream', '-e', 'udp.srcport', '-e', 'udp.dstport', '-e', 'kerberos.msg_type']);
  const waiting = new Map(), pairs = [];
  for (const line of t.stdout.split('\n').filter(Boolean)) {
    const [frame, epoch, s4, s6, d4, d6, stream, sp, dp, type] = line.split('\t');
    const src = s4 || s6, dst = d4 || d6, mt = Number(type);
    const key = (req) => (stream ? `tcp ${stream}` : req ? `${src} ${sp} ${dst} ${dp}` : `${dst} ${dp} ${src} ${sp}`);
    if ([10, 12, 14].includes(mt)) {
      const k = key(true);
      if (!waiting.has(k)) waiting.set(k, []);
      waiting.get(k).push({ frame: Number(frame), epoch });
    } else if ([11, 13, 15, 30].includes(mt)) {
      const q = waiting.get(key(false));
      const r = q?.shift();
      if (r) pairs.push({ req: r.frame, rep: Number(frame), us: Math.round((Number(epoch) - Number(r.epoch)) * 1e6) });
    }
  }
  return pairs;
}

const storage = makeStorage();
let pairDiffs = 0;
for (const file of files) {
  if (!fs.existsSync(file)) continue;
  // named with its folder: the test captures share a file name, and a second link of one name
  // would be written through the first
  const dir = path.dirname(file);
  const name = storage.add(path.dirname(dir), path.join(path.basename(dir), path.basename(file)));
  const sc = await callOurs(server, storage, name, { protocol: 'kerberos', limit: 500 },
    'analyze_application_response_times');
  const ours = new Map((sc.sections[0].slowest ?? []).map((r) => [r.frame, r]));
  const theirs = await theirPairs(file);
  let bad = 0;
  for (const p of theirs) {
    const o = ours.get(p.req);
    if (!o || o.reply_frame !== p.rep || Math.round(o.time_ms * 1000) !== p.us) {
      bad++;
      console.log(`  ${path.basename(file)} frame ${p.req}: tshark's messages pair it with ${p.rep} after ${p.us} us, ours ${
        o ? `${o.reply_frame} after ${Math.round(o.time_ms * 1000)} us` : 'none'}`);
    }
    ours.delete(p.req);
  }
  for (const o of ours.values()) {
    bad++;
    console.log(`  ${path.basename(file)} frame ${o.frame}: ours pairs it with ${o.reply_frame}, tshark's messages do not`);
  }
  console.log(`${bad ? 'FAIL' : 'ok'} ${path.basename(file)}: ${theirs.length} exchanges, ${bad} differ`);
  pairDiffs += bad;
}
console.log(`total: ${diffs} values differ, ${pairDiffs} exchanges differ`);
process.exit(diffs || pairDiffs ? 1 : 0);
