// Our DNS responses against tshark 4.0's, frame for frame, on every corpus capture: for each
// response (unicast DNS; mDNS and LLMNR are counted apart) the rcode, the query name and the
// response time (Wireshark's dns.time, to the microsecond). Where Zeek's dns.log sits beside a
// capture, its answered port-53 transactions (trans_id, query, rcode) must be among ours too
// (metric dns.zeek). Deliberate differences are listed in known_differences.json under "dns.*".
//
// Usage: node compare_dns.mjs FLAGS_BIN [CORPUS_DIR]   (FLAGS_BIN: tests' pa-tcp-flags)
import path from 'node:path';
import { parseArgs, run, available, compareFrames, zeekLogRows, SKIP } from './common.mjs';
import { TSHARK_STREAMS } from './common.mjs';

const { server: bin, corpus } = parseArgs(process.argv, 'compare_dns.mjs FLAGS_BIN');
if (!(await available('tshark', ['-v']))) {
  console.log('SKIP: tshark not found');
  process.exit(SKIP);
}
const METRICS = ['dns.responses', 'dns.rcode', 'dns.qname', 'dns.time', 'dns.zeek'];

/** Answered port-53 transactions of the Zeek dns.log files beside a capture. */
function zeekDns(capturePath) {
  return zeekLogRows(corpus, capturePath, 'dns.log')
    .filter((r) => r['id.resp_p'] === '53' && r.rcode && r.rcode !== '-' && r.query && r.trans_id)
    .map((r) => ({ id: +r.trans_id, query: r.query, rcode: +r.rcode, file: r.file }));
}
let responses = 0;

async function theirs(file) {
  const r = await run('tshark', ['-r', file, ...TSHARK_STREAMS, '-Y',
    'dns.flags.response == 1 && !(udp.port == 5353 || udp.port == 5355 || tcp.port == 5355)',
    '-T', 'fields', '-e', 'frame.number', '-e', 'dns.flags.rcode', '-e', 'dns.qry.name', '-e', 'dns.time',
    '-E', 'occurrence=f']);
  if (r.code !== 0) return null;
  const m = new Map();
  for (const line of r.stdout.split('\n')) {
    if (!line) continue;
    const [frame, rcode, qname, time] = line.split('\t');
    m.set(+frame, { rcode: +rcode, qname, time: time ? (+time * 1000).toFixed(3) : '-' });
  }
  return m;
}

async function ours(file) {
  const r = await run(bin, [file]);
  if (r.code !== 0) return null;
  const m = new Map();
  for (const line of r.stdout.split('\n')) {
    const parts = line.split(' ');
    if (parts[0] !== 'dns') continue;
    const [, frame, rcode, qname, time, id] = parts;
    m.set(+frame, { rcode: +rcode, qname, id: +id, time: time === '-' ? '-' : (+time).toFixed(3) });
  }
  return m;
}

function diff(t, o, row) {
  responses += t.size;
  const diffs = Object.fromEntries(METRICS.map((m) => [m, []]));
  for (const [frame, tv] of t) {
    const ov = o.get(frame);
    if (!ov) {
      diffs['dns.responses'].push({ key: `${frame}`, text: `frame ${frame} missing` });
      continue;
    }
    // tshark's dns.flags.rcode is the header's 4 bits; ours adds EDNS's extended bits (BADVERS
    // is 16), so the header part is what compares.
    if ((ov.rcode & 15) !== tv.rcode) diffs['dns.rcode'].push({ key: `${frame}`, text: `frame ${frame}: ${ov.rcode} vs ${tv.rcode}` });
    if (ov.qname !== tv.qname) diffs['dns.qname'].push({ key: `${frame}`, text: `frame ${frame}: ${ov.qname} vs ${tv.qname}` });
    if (ov.time !== tv.time) diffs['dns.time'].push({ key: `${frame}`, text: `frame ${frame}: ${ov.time} vs ${tv.time} ms` });
  }
  for (const frame of o.keys())
    if (!t.has(frame)) diffs['dns.responses'].push({ key: `${frame}`, text: `frame ${frame} extra` });
  for (const z of zeekDns(row.path)) {
    const hit = [...o.values()].some((v) => v.id === z.id && v.qname === z.query && v.rcode === z.rcode);
    if (!hit) diffs['dns.zeek'].push({ key: `${z.id} ${z.query}`, text: `${z.file}: id ${z.id} ${z.query} rcode ${z.rcode} not among ours` });
  }
  return diffs;
}

process.exit(await compareFrames({ corpus, metrics: METRICS, theirs, ours, diff,
  summary: () => `DNS responses in tshark: ${responses}` }));
