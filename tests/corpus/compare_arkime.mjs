#!/usr/bin/env node
// Compares our conversations with Arkime's sessions in the shared corpus.
//
//   node compare_arkime.mjs SERVER_BIN [CORPUS_DIR]
//
// CORPUS_DIR defaults to ../shared/corpus beside the repository. Every
// "CAPTURE.expected.*arkime*.json" beside a capture is the session list Arkime's own test suite
// expects for it: {"sessions3": [{"body": {...}}, ...]}, one body per session with source and
// destination {ip, port, packets, bytes}, ipProtocol, network {packets, bytes}, firstPacket and
// lastPacket (milliseconds since the epoch, truncated), protocol [...], tags ...
//
// Arkime's source/destination bytes are frame bytes on the wire (the pcap record's length, link
// header included), the same unit as our conversations: e.g. arkime/http-simple-get.pcap,
// 10.180.156.141:61450 sends 8 Ethernet frames of 692 bytes in all, as tshark's frame.len says.
//
// Arkime keys a tunnelled session on the innermost IP/port headers (GRE, VXLAN, Geneve, IP-in-IP,
// ...) and creates no session for the outer tunnel; our engine, like tshark and Zeek, counts the
// inner conversation and also the tunnel's own outer one. So only Arkime's sessions are looked up
// in ours, never the other way round.
//
// Metrics (names as used in known_differences.json):
//   arkime.sessions  every Arkime TCP/UDP session has a conversation of ours with the same
//                    protocol and unordered address/port pair. When one side has several for a
//                    pair (port reuse, Arkime's idle timeouts), they are paired in start order if
//                    the numbers agree; otherwise the difference in number is reported here and
//                    the pair's packets and bytes are compared as sums.
//   arkime.packets   per session, packets each way (source.packets, destination.packets).
//   arkime.bytes     per session, frame bytes each way (source.bytes, destination.bytes).
//   arkime.time      per session, firstPacket and lastPacket against our conversation's start
//                    and end, both truncated to the millisecond as Arkime does.
//   arkime.ip        other IP sessions (ICMP, ICMPv6, ... with ports 0): Arkime keys them on the
//                    address pair only, so the pair must be among our IP conversations with at
//                    least Arkime's packets each way (our IP conversation also counts any other
//                    protocol between the two hosts, so only "at least" can be checked).
// Non-IP sessions (ARP, ipProtocol 0) are counted but not compared: we have no such conversations.
// Item keys in known_differences.json: "tcp ADDR:PORT<->ADDR:PORT" / "udp ..." (endpoints sorted
// as text; "#N" appended when a pair has several sessions) and "ip ADDR<->ADDR".
// One line per capture: "ok", "known" or "DIFF" as in compare_tshark.mjs; then the number of
// captures agreeing on each metric and "N passed, N failed" as the last line.
// Exit status: 0 all passed, 1 an unexplained difference, 77 no corpus (skipped).

import {
  SKIP, parseArgs, readManifest, readKnown, makeStorage, callOurs, ourConversations, canonAddr, isoToNs,
  orderedPrinter, pool, applyKnown, describe, clip,
} from './common.mjs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const { server, corpus } = parseArgs(process.argv, 'node compare_arkime.mjs');
const METRICS = ['arkime.sessions', 'arkime.packets', 'arkime.bytes', 'arkime.time', 'arkime.ip', 'arkime.tcpflags'];
const known = readKnown();
const PROTO = { 6: 'tcp', 17: 'udp' };

const ep = (addr, port) => `${canonAddr(addr)}:${port}`;
const pairKey = (proto, a, b) => `${proto} ${[a, b].sort().join('<->')}`;

// Expected session files beside their captures: "NAME.expected.<...arkime...>.json" belongs to
// NAME.pcap(ng).
const rows = readManifest(corpus);
const byStem = new Map(rows.map((r) => [r.path.replace(/\.pcap(ng)?$/, ''), r.path]));
const jobs = [];
for (const r of rows) {
  const dir = path.join(corpus, path.dirname(r.path));
  const stem = path.basename(r.path).replace(/\.pcap(ng)?$/, '');
  if (byStem.get(path.join(path.dirname(r.path), stem)) !== r.path) continue;
  for (const f of fs.readdirSync(dir).sort())
    if (f.startsWith(`${stem}.expected.`) && /arkime/i.test(f.slice(stem.length)) && f.endsWith('.json'))
      jobs.push({ capture: r.path, expected: path.join(path.dirname(r.path), f) });
}
if (!jobs.length) {
  console.log(`SKIP: no Arkime session files in ${corpus}`);
  process.exit(SKIP);
}

const STORAGE = makeStorage();
const print = orderedPrinter();
const agree = Object.fromEntries(METRICS.map((m) => [m, 0]));
let compared = 0, passed = 0, failed = 0;
let nSessions = 0, nTcpUdp = 0, nIp = 0, nNonIp = 0;

/** ms since the epoch, truncated (Arkime: tv_sec * 1000 + tv_usec / 1000). */
const msOf = (ns) => ns / 1000000n - (ns % 1000000n < 0n ? 1n : 0n);

/** Every row of analyze_connection_lifecycle, page by page (each answer is held to its byte budget). */
async function lifecycleRows(name) {
  const rows = [];
  for (let offset = 0; ; ) {
    const s = await callOurs(server, STORAGE, name, { limit: 500, offset }, 'analyze_connection_lifecycle');
    rows.push(...s.rows);
    offset += s.rows.length;
    if (!s.page.more || !s.rows.length) return rows;
  }
}

async function compareOne(job) {
  const doc = JSON.parse(fs.readFileSync(path.join(corpus, job.expected), 'utf8'));
  const sessions = (doc.sessions3 ?? []).map((s) => s.body ?? s);
  const name = STORAGE.add(corpus, job.capture);
  const [sum, conv, life] = await Promise.all([
    callOurs(server, STORAGE, name, { analysis_type: 'summary' }),
    ourConversations(server, STORAGE, name, ['tcp', 'udp', 'ip']),
    lifecycleRows(name),
  ]);
  // Our TCP segments by leading flag, per connection (client and server sides).
  const segs = new Map();
  for (const r of life) {
    const c = ep(r.client, r.client_port), sv = ep(r.server, r.server_port);
    const k = pairKey('tcp', c, sv);
    segs.set(k, segs.has(k) ? null : { [c]: r.client_segments, [sv]: r.server_segments });
  }
  const t0 = isoToNs(sum.capture?.first_time ?? sum.summary.first_time);
  // Our conversation times: start_s and duration_s are seconds (6 decimals) after the capture's
  // first frame.
  const absNs = (s) => t0 + BigInt(Math.round(s * 1e6)) * 1000n;

  // Ours, grouped by protocol and unordered pair, in start order.
  const ours = new Map();
  for (const proto of ['tcp', 'udp'])
    for (const c of conv[proto]) {
      const a = ep(c.address_a, c.port_a), b = ep(c.address_b, c.port_b);
      const k = pairKey(proto, a, b);
      if (!ours.has(k)) ours.set(k, []);
      ours.get(k).push({
        dir: { [a]: { pkts: c.packets_a_to_b, bytes: c.bytes_a_to_b }, [b]: { pkts: c.packets_b_to_a, bytes: c.bytes_b_to_a } },
        first: absNs(c.start_s),
        last: absNs(c.start_s + c.duration_s),
        start: c.start_s,
      });
    }
  for (const l of ours.values()) l.sort((x, y) => x.start - y.start);
  const oursIp = new Map();
  for (const c of conv.ip) {
    const a = canonAddr(c.address_a), b = canonAddr(c.address_b);
    oursIp.set(`ip ${[a, b].sort().join('<->')}`, { [a]: c.packets_a_to_b, [b]: c.packets_b_to_a });
  }

  // Arkime's, grouped the same way.
  const ark = new Map(), arkIp = new Map();
  for (const s of sessions) {
    nSessions++;
    const src = s.source ?? {}, dst = s.destination ?? {};
    const proto = PROTO[s.ipProtocol];
    if (src.ip === undefined || dst.ip === undefined || !s.ipProtocol) {
      nNonIp++;
      continue;
    }
    if (proto) {
      nTcpUdp++;
      const a = ep(src.ip, src.port ?? 0), b = ep(dst.ip, dst.port ?? 0);
      const k = pairKey(proto, a, b);
      if (!ark.has(k)) ark.set(k, []);
      const d = { [a]: { pkts: src.packets ?? 0, bytes: src.bytes ?? 0 } };
      // A session from a host to itself on the same port would have a == b; add rather than overwrite.
      if (b === a) {
        d[a].pkts += dst.packets ?? 0;
        d[a].bytes += dst.bytes ?? 0;
      } else d[b] = { pkts: dst.packets ?? 0, bytes: dst.bytes ?? 0 };
      ark.get(k).push({ dir: d, firstMs: BigInt(s.firstPacket ?? 0), lastMs: BigInt(s.lastPacket ?? 0), a, b,
        tcpflags: proto === 'tcp' ? s.tcpflags : undefined });
    } else {
      nIp++;
      const a = canonAddr(src.ip), b = canonAddr(dst.ip);
      const k = `ip ${[a, b].sort().join('<->')}`;
      const e = arkIp.get(k) ?? { [a]: 0, [b]: 0, proto: s.ipProtocol };
      e[a] += src.packets ?? 0;
      e[b] += dst.packets ?? 0;
      arkIp.set(k, e);
    }
  }
  for (const l of ark.values()) l.sort((x, y) => (x.firstMs < y.firstMs ? -1 : x.firstMs > y.firstMs ? 1 : 0));

  const diffs = Object.fromEntries(METRICS.map((m) => [m, []]));
  const sumDirs = (list) => {
    const t = {};
    for (const x of list)
      for (const [e, v] of Object.entries(x.dir)) {
        t[e] ??= { pkts: 0, bytes: 0 };
        t[e].pkts += v.pkts;
        t[e].bytes += v.bytes;
      }
    return t;
  };
  const cmpDirs = (key, o, a) => {
    const bp = [], bb = [];
    for (const e of Object.keys(a)) {
      const ov = o[e] ?? { pkts: 0, bytes: 0 };
      if (ov.pkts !== a[e].pkts) bp.push(`pkts ${e}-> ${ov.pkts} vs ${a[e].pkts}`);
      if (ov.bytes !== a[e].bytes) bb.push(`bytes ${e}-> ${ov.bytes} vs ${a[e].bytes}`);
    }
    if (bp.length) diffs['arkime.packets'].push({ key, text: `${key}: ${bp.join(', ')}` });
    if (bb.length) diffs['arkime.bytes'].push({ key, text: `${key}: ${bb.join(', ')}` });
  };
  for (const [k, al] of ark) {
    const ol = ours.get(k) ?? [];
    const total = (l) => l.reduce((n, x) => n + Object.values(x.dir).reduce((m, v) => m + v.pkts, 0), 0);
    if (!ol.length) {
      diffs['arkime.sessions'].push({ key: k, text: `${k} missing in ours (Arkime ${al.length} session(s), ${total(al)} pkts)` });
      continue;
    }
    if (ol.length !== al.length) {
      diffs['arkime.sessions'].push({ key: k, text: `${k}: ${ol.length} conversation(s) in ours vs ${al.length} Arkime session(s)` });
      cmpDirs(k, sumDirs(ol), sumDirs(al));
      continue;
    }
    al.forEach((a, i) => {
      const o = ol[i];
      const key = al.length > 1 ? `${k}#${i + 1}` : k;
      cmpDirs(key, o.dir, a.dir);
      const of = msOf(o.first), olast = msOf(o.last);
      if (of !== a.firstMs || olast !== a.lastMs)
        diffs['arkime.time'].push({ key, text: `${key}: first/last ms ${of}/${olast} vs ${a.firstMs}/${a.lastMs}` });
      // Arkime counts segments per flag (SYN, SYN-ACK, RST, FIN, PSH; ACK only when alone) and
      // zero-window segments per side (srcZero: the session's source).
      const sg = segs.get(k);
      if (a.tcpflags && sg && al.length === 1) {
        const both = (f) => (sg[a.a]?.[f] ?? 0) + (a.b !== a.a ? (sg[a.b]?.[f] ?? 0) : 0);
        const pairs = [['syn', 'syn'], ['syn-ack', 'syn_ack'], ['rst', 'rst'], ['fin', 'fin'], ['psh', 'psh'], ['ack', 'ack']];
        const bad = pairs.filter(([af, of2]) => (a.tcpflags[af] ?? 0) !== both(of2)).map(([af, of2]) => `${af} ${both(of2)} vs ${a.tcpflags[af]}`);
        if ((a.tcpflags.srcZero ?? 0) !== (sg[a.a]?.zero_window ?? 0)) bad.push(`srcZero ${sg[a.a]?.zero_window ?? 0} vs ${a.tcpflags.srcZero}`);
        if (a.b !== a.a && (a.tcpflags.dstZero ?? 0) !== (sg[a.b]?.zero_window ?? 0)) bad.push(`dstZero ${sg[a.b]?.zero_window ?? 0} vs ${a.tcpflags.dstZero}`);
        if (bad.length) diffs['arkime.tcpflags'].push({ key, text: `${key}: ${bad.join(', ')}` });
      }
    });
  }
  for (const [k, a] of arkIp) {
    const o = oursIp.get(k);
    const ends = Object.keys(a).filter((e) => e !== 'proto');
    if (!o) {
      diffs['arkime.ip'].push({ key: k, text: `${k} (IP protocol ${a.proto}) missing in our IP conversations` });
      continue;
    }
    const bad = ends.filter((e) => (o[e] ?? 0) < a[e]).map((e) => `pkts ${e}-> ${o[e] ?? 0} < ${a[e]}`);
    if (bad.length) diffs['arkime.ip'].push({ key: k, text: `${k} (IP protocol ${a.proto}): ${bad.join(', ')}` });
  }
  return Object.entries(diffs).filter(([, items]) => items.length).map(([metric, items]) => ({ metric, items }));
}

await pool(jobs, Math.max(2, os.availableParallelism ? os.availableParallelism() : os.cpus().length), async (job, idx) => {
  const label = jobs.filter((j) => j.capture === job.capture).length > 1 ? `${job.capture} (${path.basename(job.expected)})` : job.capture;
  const out = [];
  try {
    let diffs;
    try {
      diffs = await compareOne(job);
    } catch (e) {
      diffs = [{ metric: 'arkime.read', items: [{ key: 'read', text: `ours failed: ${e.message}` }] }];
    }
    compared++;
    const differing = new Set(diffs.map((d) => d.metric));
    for (const m of METRICS) if (!differing.has(m) && !differing.has('arkime.read')) agree[m]++;
    const { unexplained, known: explained, stale } = applyKnown(diffs, (known[job.capture] ?? []).filter((e) => e.metric.startsWith('arkime.')));
    const reasons = [...new Set(explained.map((k) => `${k.metric}: ${k.reason}`))];
    if (unexplained.length) {
      failed++;
      out.push(`DIFF ${label}: ${unexplained.map((d) => describe(d)).join(' | ')}`);
    } else passed++;
    for (const r of reasons) out.push(`known ${label}: ${clip(r)}`);
    if (!unexplained.length && !reasons.length) out.push(`ok ${label}`);
    for (const m of stale) out.push(`note ${label}: known difference in ${m} no longer occurs; remove it from known_differences.json`);
  } catch (e) {
    failed++;
    out.push(`DIFF ${label}: comparison failed: ${e.stack ?? e}`);
  } finally {
    print(idx, out.join('\n'));
  }
});

console.log('');
console.log(`Arkime session files compared: ${compared}`);
for (const m of METRICS) console.log(`  ${m.padEnd(15)} ${agree[m]}/${compared} agree`);
console.log(`  (${nSessions} Arkime sessions: ${nTcpUdp} TCP/UDP, ${nIp} other IP (address pair only), ${nNonIp} non-IP not compared)`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
