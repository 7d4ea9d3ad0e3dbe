// Our DNS responses against tshark 4.0's, frame for frame, on every corpus capture: for each
// response (unicast DNS; mDNS and LLMNR are counted apart) the rcode, the query name and the
// response time (Wireshark's dns.time, to the microsecond). Where Zeek's dns.log sits beside a
// capture, its answered port-53 transactions (trans_id, query, rcode) must be among ours too
// (metric dns.zeek). Where suricata-verify expects DNS events for a capture, each expected
// request (id, query name and type, frame when given) and response (also rcode and first answer)
// must be one of ours (metric dns.suricata). Deliberate differences are listed in known_differences.json under "dns.*".
//
// Usage: node compare_dns.mjs FLAGS_BIN [CORPUS_DIR]   (FLAGS_BIN: tests' pa-tcp-flags)
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs, run, available, compareFrames, zeekLogRows, SKIP } from './common.mjs';
import { TSHARK_STREAMS } from './common.mjs';

const { server: bin, corpus } = parseArgs(process.argv, 'compare_dns.mjs FLAGS_BIN');
if (!(await available('tshark', ['-v']))) {
  console.log('SKIP: tshark not found');
  process.exit(SKIP);
}
const METRICS = ['dns.responses', 'dns.rcode', 'dns.qname', 'dns.time', 'dns.zeek', 'dns.suricata'];
const RRTYPE = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28, SRV: 33, SVCB: 64, HTTPS: 65, ANY: 255 };
const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 };
let suricataChecked = 0;

/** The DNS events suricata-verify expects for a capture: one object per filter block. */
function suricataDns(capturePath) {
  const dir = path.join(corpus, path.dirname(capturePath));
  const stem = path.basename(capturePath).replace(/\.pcap(ng)?$/, '');
  const out = [];
  for (const f of fs.readdirSync(dir)) {
    if (!f.startsWith(`${stem}.expected.`) || !f.endsWith('test.yaml')) continue;
    for (const block of fs.readFileSync(path.join(dir, f), 'utf8').split(/^\s*-\s*filter:/m).slice(1)) {
      const kv = {};
      for (const m of block.matchAll(/^\s+([a-z_]+(?:\.[a-zA-Z_]+(?:\[\d+\])?)*):\s*(.+)$/gm))
        kv[m[1]] = m[2].trim().replace(/^['"]|['"]$/g, '');
      if (kv.event_type !== 'dns' || !kv['dns.type']) continue;
      out.push({ file: f, response: kv['dns.type'] === 'response' || kv['dns.type'] === 'answer', id: kv['dns.id'],
        name: kv['dns.queries[0].rrname'] ?? kv['dns.rrname'], type: kv['dns.queries[0].rrtype'] ?? kv['dns.rrtype'],
        rcode: kv['dns.rcode'], answer: kv['dns.answers[0].rdata'], frame: kv.pcap_cnt });
    }
  }
  return out;
}

/** Answered port-53 transactions of the Zeek dns.log files beside a capture. */
function zeekDns(capturePath) {
  return zeekLogRows(corpus, capturePath, 'dns.log')
    .filter((r) => r['id.resp_p'] === '53' && r.rcode && r.rcode !== '-' && r.query && r.trans_id)
    .map((r) => ({ id: +r.trans_id, query: r.query, rcode: +r.rcode, file: r.file }));
}
let responses = 0;

async function theirs(file) {
  const r = await run('tshark', ['-r', file, ...TSHARK_STREAMS, '-Y',
    // a message quoted inside an ICMP error is not a transaction (tshark dissects the quote)
    'dns.flags.response == 1 && !(udp.port == 5353 || udp.port == 5355 || tcp.port == 5355) && !icmp && !icmpv6',
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
  const queries = [];
  for (const line of r.stdout.split('\n')) {
    const parts = line.split(' ');
    if (parts[0] === 'dnsq') queries.push({ frame: +parts[1], id: +parts[2], qtype: +parts[3], qname: parts.slice(4).join(' ') });
    if (parts[0] !== 'dns') continue;
    const [, frame, rcode, qname, time, id, qtype] = parts;
    m.set(+frame, { rcode: +rcode, qname, id: +id, qtype: +qtype, answer: parts.slice(7).join(' '),
      time: time === '-' ? '-' : (+time).toFixed(3) });
  }
  m.queries = queries;
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
  for (const e of suricataDns(row.path)) {
    suricataChecked++;
    // our first answer keeps 63 characters (TXT: the first string, printable ASCII)
    const same = (frame, v) => (e.id === undefined || v.id === +e.id) &&
      (e.name === undefined || v.qname.toLowerCase() === e.name.toLowerCase()) &&
      (e.type === undefined || v.qtype === RRTYPE[e.type]) && (e.frame === undefined || frame === +e.frame);
    const hit = e.response
      ? [...o.entries()].some(([frame, v]) => same(frame, v) && (e.rcode === undefined || v.rcode === RCODE[e.rcode]) &&
        (e.answer === undefined || v.answer === e.answer.slice(0, 63)))
      : o.queries.some((q) => same(q.frame, q));
    if (!hit)
      diffs['dns.suricata'].push({ key: `${e.file} ${e.id} ${e.name}`,
        text: `${e.file}: ${e.response ? 'response' : 'request'} id ${e.id} ${e.name} ${e.type ?? ''} ${e.rcode ?? ''} ${e.answer ?? ''} not among ours` });
  }
  return diffs;
}

process.exit(await compareFrames({ corpus, metrics: METRICS, theirs, ours, diff,
  summary: () => `DNS responses in tshark: ${responses}, suricata-verify DNS events: ${suricataChecked}` }));
