#!/usr/bin/env node
// Compares our TCP/UDP conversations with Zeek's conn.log files in the shared corpus.
//
//   node compare_zeek.mjs SERVER_BIN [CORPUS_DIR]
//
// CORPUS_DIR defaults to ../shared/corpus beside the repository. Every "*.conn.log" beside a
// capture (CAPTURE.expected.*.conn.log) is Zeek's connection log for that capture: TSV with a
// "#fields" header (a few logs are reduced to some columns under a plain header line).
//
// Metrics (names as used in known_differences.json):
//   zeek.conns     the set of TCP/UDP connections, matched by the 5-tuple (protocol and the
//                  unordered address/port pair). Zeek's ICMP "connections" are not compared:
//                  our conversations are TCP and UDP only.
//   zeek.packets   per connection, packets from the originator and from the responder
//                  (orig_pkts, resp_pkts). When Zeek or we log several connections for one
//                  5-tuple (port reuse), their packets are added up per direction first.
//   zeek.ip_bytes  per connection, IP-level bytes each way (orig_ip_bytes, resp_ip_bytes).
//                  Zeek adds up the IP total-length fields; we report frame (wire) bytes. The
//                  two differ by the link-layer header of each frame plus any Ethernet padding or
//                  trailer, so IP bytes are derived only where that difference is known:
//                    - the capture's hierarchy (ours) has IP only directly under one link layer
//                      of fixed size (eth 14, sll 16, null 4, raw IP 0) — no VLAN tags, MPLS or
//                      tunnels, whose header sizes vary per frame;
//                    - Ethernet pads frames shorter than 60 bytes and the padding is not part of
//                      IP. A padded frame is exactly 60 bytes long, so the frames of exactly 60
//                      bytes are counted per connection with a second call
//                      (bpf_filter "len == 60") and the connection's IP bytes are compared only
//                      when it has none.
//                  Then IP bytes = frame bytes - header size x packets, compared exactly.
//                  A frame with an Ethernet trailer or FCS would still differ; such a difference
//                  is reported, and listed in known_differences.json once understood.
// One line per capture: "ok", "known" or "DIFF" as in compare_tshark.mjs; then the number of
// captures agreeing on each metric and "N passed, N failed" as the last line.
// Exit status: 0 all passed, 1 an unexplained difference, 77 no corpus (skipped).

import {
  SKIP, parseArgs, readManifest, readKnown, makeStorage, callOurs, ourConversations, canonAddr,
  orderedPrinter, pool, applyKnown, describe, clip,
} from './common.mjs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const { server, corpus } = parseArgs(process.argv, 'node compare_zeek.mjs');
const METRICS = ['zeek.conns', 'zeek.packets', 'zeek.ip_bytes', 'zeek.state'];
const LINK_HDR = { eth: 14, sll: 16, null: 4 };
const known = readKnown();

/** Zeek conn.log: rows as objects keyed by the field names. */
function readConnLog(file) {
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.length);
  let fields = null;
  const rows = [];
  for (const l of lines) {
    if (l.startsWith('#fields\t')) fields = l.split('\t').slice(1);
    else if (l.startsWith('#')) continue;
    else if (!fields) fields = l.split('\t'); // reduced log: a plain header line
    else {
      const v = l.split('\t');
      const r = {};
      fields.forEach((f, i) => (r[f] = v[i]));
      rows.push(r);
    }
  }
  return { fields: fields ?? [], rows };
}

const num = (s) => (s === undefined || s === '-' || s === '' ? null : +s);
const ep = (addr, port) => `${canonAddr(addr)}:${port}`;
const tupleKey = (proto, a, b) => `${proto} ${[a, b].sort().join('<->')}`;

/** Adds a connection to per-5-tuple totals, oriented by the sorted endpoint order. */
function addTo(map, proto, a, b, pktsAB, pktsBA, bytesAB, bytesBA) {
  const key = tupleKey(proto, a, b);
  const flip = [a, b].sort()[0] !== a;
  const e = map.get(key) ?? { n: 0, first: a, lo: flip ? b : a, hi: flip ? a : b, pkts: [0, 0], bytes: [0, 0] };
  e.n++;
  const d = flip ? [1, 0] : [0, 1];
  e.pkts[d[0]] += pktsAB;
  e.pkts[d[1]] += pktsBA;
  if (bytesAB === null || bytesBA === null || e.bytes === null) e.bytes = null;
  else {
    e.bytes[d[0]] += bytesAB;
    e.bytes[d[1]] += bytesBA;
  }
  map.set(key, e);
  return e;
}

/** Fixed link-layer header size when every IP node of our hierarchy sits directly under one
 *  link layer of known size (or at the root, for raw IP); null otherwise. */
function linkOverhead(protocols) {
  let size = null;
  const stack = [];
  for (const p of protocols) {
    stack.length = p.depth;
    stack.push(p.protocol);
    if (p.protocol !== 'ip' && p.protocol !== 'ipv6') continue;
    let s;
    if (stack.length === 1) s = 0;
    else if (stack.length === 2 && stack[0] in LINK_HDR) s = LINK_HDR[stack[0]];
    else return null; // VLAN, MPLS, PPPoE, a tunnel: header sizes vary
    if (size !== null && size !== s) return null;
    size = s;
  }
  return size;
}

// Logs beside their captures: "NAME.expected.<test>.conn.log" belongs to NAME.pcap(ng).
const rows = readManifest(corpus);
const byStem = new Map(rows.map((r) => [r.path.replace(/\.pcap(ng)?$/, ''), r.path]));
const jobs = [];
for (const r of rows) {
  const dir = path.join(corpus, path.dirname(r.path));
  const stem = path.basename(r.path).replace(/\.pcap(ng)?$/, '');
  for (const f of fs.readdirSync(dir).sort())
    if (f.startsWith(`${stem}.expected.`) && f.endsWith('conn.log') && byStem.get(path.join(path.dirname(r.path), stem)) === r.path)
      jobs.push({ capture: r.path, log: path.join(path.dirname(r.path), f) });
}
if (!jobs.length) {
  console.log(`SKIP: no Zeek conn.log files in ${corpus}`);
  process.exit(SKIP);
}

const STORAGE = makeStorage();
const print = orderedPrinter();
const agree = Object.fromEntries(METRICS.map((m) => [m, 0]));
let compared = 0, passed = 0, failed = 0, ipCompared = 0, ipSkipped = 0, icmpSkipped = 0;

/** The whole protocol hierarchy, page by page (the byte budget may end a page early). */
async function pagedProtocols(name) {
  const protocols = [];
  for (let offset = 0; ; ) {
    const sc = await callOurs(server, STORAGE, name, { analysis_type: 'protocols', limit: 1000, offset });
    protocols.push(...sc.protocols);
    if (!sc.page.more) return { protocols };
    offset = sc.page.next_offset;
  }
}

/** The TCP and UDP conversations with a 60-byte frame, each kind paged to its end. */
async function shortConversations(name) {
  const out = {};
  for (const kind of ['tcp', 'udp']) {
    const items = [];
    let c;
    for (let offset = 0; ; offset = c.page.next_offset) {
      const sc = await callOurs(server, STORAGE, name,
        { analysis_type: 'conversations', conversation_type: kind, limit: 1000, offset, bpf_filter: 'len == 60' });
      c = sc.conversations[kind];
      items.push(...c.items);
      if (!c.page?.more) break;
    }
    out[kind] = { ...c, items };
  }
  return out;
}

async function compareOne(job) {
  const log = readConnLog(path.join(corpus, job.log));
  const name = STORAGE.add(corpus, job.capture);
  const [prot, conv, short] = await Promise.all([
    pagedProtocols(name),
    ourConversations(server, STORAGE, name, ['tcp', 'udp']),
    shortConversations(name).catch(() => null),
  ]);
  const overhead = linkOverhead(prot.protocols);

  // Ours, per 5-tuple; and the 5-tuples that have a 60-byte (possibly padded) frame.
  const ours = new Map();
  for (const proto of ['tcp', 'udp'])
    for (const c of conv[proto])
      addTo(ours, proto, ep(c.address_a, c.port_a), ep(c.address_b, c.port_b), c.packets_a_to_b, c.packets_b_to_a,
        overhead === null ? null : c.bytes_a_to_b - overhead * c.packets_a_to_b,
        overhead === null ? null : c.bytes_b_to_a - overhead * c.packets_b_to_a);
  const padded = new Set();
  if (short)
    for (const proto of ['tcp', 'udp'])
      for (const c of short[proto]?.items ?? []) padded.add(tupleKey(proto, ep(c.address_a, c.port_a), ep(c.address_b, c.port_b)));
  const shortComplete = short && ['tcp', 'udp'].every((p) => !short[p] || short[p].listed >= short[p].total);

  // Zeek's. A reduced log without the 5-tuple can only be matched when both sides have exactly
  // one connection.
  const zeek = new Map();
  const hasTuple = ['id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto'].every((f) => log.fields.includes(f));
  const tcpudp = log.rows.filter((r) => !hasTuple || r.proto === 'tcp' || r.proto === 'udp');
  icmpSkipped += log.rows.length - tcpudp.length;
  if (hasTuple) {
    for (const r of tcpudp)
      addTo(zeek, r.proto, ep(r['id.orig_h'], r['id.orig_p']), ep(r['id.resp_h'], r['id.resp_p']),
        num(r.orig_pkts), num(r.resp_pkts), num(r.orig_ip_bytes), num(r.resp_ip_bytes));
  } else if (tcpudp.length === 1 && ours.size === 1) {
    const [k, o] = [...ours][0];
    const r = tcpudp[0];
    // Zeek's originator is taken to be our side A (the sender of the first packet).
    const pk = o.first === o.lo ? [num(r.orig_pkts), num(r.resp_pkts)] : [num(r.resp_pkts), num(r.orig_pkts)];
    zeek.set(k, { n: 1, lo: o.lo, hi: o.hi, pkts: pk, bytes: null });
  }

  // conn_state and history, for 5-tuples with one connection on each side.
  const ourState = new Map(), zeekState = new Map();
  for (const proto of ['tcp', 'udp'])
    for (const c of conv[proto]) {
      const k = tupleKey(proto, ep(c.address_a, c.port_a), ep(c.address_b, c.port_b));
      ourState.set(k, ourState.has(k) ? null : { state: c.conn_state, history: c.history });
    }
  if (hasTuple && log.fields.includes('conn_state'))
    for (const r of tcpudp) {
      const k = tupleKey(r.proto, ep(r['id.orig_h'], r['id.orig_p']), ep(r['id.resp_h'], r['id.resp_p']));
      zeekState.set(k, zeekState.has(k) ? null : { state: r.conn_state, history: r.history ?? null });
    }

  const diffs = { 'zeek.conns': [], 'zeek.packets': [], 'zeek.ip_bytes': [], 'zeek.state': [] };
  for (const [k, z] of zeekState) {
    const o = ourState.get(k);
    if (!o || !z) continue;
    const bad = [];
    if (o.state !== z.state) bad.push(`conn_state ${o.state} vs ${z.state}`);
    if (z.history !== null && z.history !== '-' && o.history !== z.history) bad.push(`history ${o.history} vs ${z.history}`);
    if (bad.length) diffs['zeek.state'].push({ key: k, text: `${k}: ${bad.join(', ')}` });
  }
  if (!hasTuple && !zeek.size)
    diffs['zeek.conns'].push({ key: 'unmatched', text: `reduced log without 5-tuples: ${tcpudp.length} Zeek vs ${ours.size} ours, cannot match` });
  for (const k of new Set([...ours.keys(), ...zeek.keys()])) {
    const o = ours.get(k), z = zeek.get(k);
    if (!o || !z) {
      const e = o ?? z;
      diffs['zeek.conns'].push({ key: k, text: `${k} ${o ? 'only in ours' : 'missing in ours'} (${e.pkts[0]}+${e.pkts[1]} pkts)` });
      continue;
    }
    const dir = (i) => (i === 0 ? `${o.lo}->` : `${o.hi}->`);
    const bad = [];
    for (const i of [0, 1]) if (o.pkts[i] !== z.pkts[i]) bad.push(`pkts ${dir(i)} ${o.pkts[i]} vs ${z.pkts[i]}`);
    if (o.n !== z.n) bad.push(`${o.n} vs ${z.n} connections`);
    if (bad.length) diffs['zeek.packets'].push({ key: k, text: `${k}: ${bad.join(', ')}` });
    if (o.bytes && z.bytes && shortComplete && !padded.has(k)) {
      ipCompared++;
      const bb = [];
      for (const i of [0, 1]) if (o.bytes[i] !== z.bytes[i]) bb.push(`ip bytes ${dir(i)} ${o.bytes[i]} vs ${z.bytes[i]}`);
      if (bb.length) diffs['zeek.ip_bytes'].push({ key: k, text: `${k}: ${bb.join(', ')}` });
    } else ipSkipped++;
  }
  return Object.entries(diffs).filter(([, items]) => items.length).map(([metric, items]) => ({ metric, items }));
}

await pool(jobs, Math.max(2, os.availableParallelism ? os.availableParallelism() : os.cpus().length), async (job, idx) => {
  const label = `${job.capture} (${path.basename(job.log)})`;
  const out = [];
  try {
    let diffs;
    try {
      diffs = await compareOne(job);
    } catch (e) {
      diffs = [{ metric: 'zeek.read', items: [{ key: 'read', text: `ours failed: ${e.message}` }] }];
    }
    compared++;
    const differing = new Set(diffs.map((d) => d.metric));
    for (const m of METRICS) if (!differing.has(m) && !differing.has('zeek.read')) agree[m]++;
    const { unexplained, known: explained, stale } = applyKnown(diffs, known[job.capture]);
    const reasons = [...new Set(explained.map((k) => `${k.metric}: ${k.reason}`))];
    if (unexplained.length) {
      failed++;
      out.push(`DIFF ${label}: ${unexplained.map((d) => describe(d)).join(' | ')}`);
    } else passed++;
    for (const r of reasons) out.push(`known ${label}: ${clip(r)}`);
    if (!unexplained.length && !reasons.length) out.push(`ok ${label}`);
    for (const m of stale.filter((m) => m.startsWith('zeek.')))
      out.push(`note ${label}: known difference in ${m} no longer occurs; remove it from known_differences.json`);
  } catch (e) {
    failed++;
    out.push(`DIFF ${label}: comparison failed: ${e.stack ?? e}`);
  } finally {
    print(idx, out.join('\n'));
  }
});

console.log('');
console.log(`conn.log files compared: ${compared}`);
for (const m of METRICS) console.log(`  ${m.padEnd(13)} ${agree[m]}/${compared} agree`);
console.log(`  (IP bytes compared for ${ipCompared} connections, not derivable for ${ipSkipped}; ${icmpSkipped} ICMP/other Zeek entries not compared)`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
