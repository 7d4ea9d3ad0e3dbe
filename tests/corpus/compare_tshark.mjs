#!/usr/bin/env node
// Compares our engine with tshark over the shared corpus.
//
//   node compare_tshark.mjs SERVER_BIN [CORPUS_DIR]
//
// CORPUS_DIR defaults to ../shared/corpus beside the repository. For each capture tshark can
// read, it compares:
//   packets, bytes         total frames and wire bytes (capinfos -c -d; tshark io,stat when
//                          capinfos gives up on a damaged file)
//   first_time, last_time  earliest and latest frame time, to the microsecond (capinfos -a -e)
//   phs                    protocol-hierarchy frames and bytes of the link/network/transport
//                          nodes (eth ip ipv6 tcp udp icmp icmpv6 arp sll null vlan), node by
//                          node, by their path from the root (tshark -z io,phs), and the http
//                          and tls nodes right under tcp (both count per message). Other
//                          application labels are not compared: they differ on purpose.
//   tcp_count, udp_count   number of TCP and UDP conversations (tshark -z conv,tcp / conv,udp)
//   tcp_conv, udp_conv     per conversation, matched by the unordered address/port pair (in
//                          start order when a pair repeats): packets and bytes each way.
// One line per file: "ok FILE", "known FILE: reason" or "DIFF FILE: what (ours vs tshark)",
// then per-metric agreement and "N passed, N failed" as the last line.
// Differences listed in known_differences.json (metric names as above) count as passed.
// Exit status: 0 all passed, 1 an unexplained difference, 77 no corpus or no tshark (skipped).

import {
  SKIP, parseArgs, readManifest, readKnown, available, run, makeStorage, callOurs,
  ourConversations, canonAddr, isoToNs, epochToNs, fmtUs, orderedPrinter, pool, applyKnown, describe, clip,
} from './common.mjs';
import os from 'node:os';
import path from 'node:path';

const { server, corpus } = parseArgs(process.argv, 'node compare_tshark.mjs');
const TSHARK = process.env.TSHARK ?? 'tshark';
const CAPINFOS = process.env.CAPINFOS ?? 'capinfos';
if (!(await available(TSHARK, ['-v'])) || !(await available(CAPINFOS, ['-h']))) {
  console.log('SKIP: tshark or capinfos not found');
  process.exit(SKIP);
}

const PHS_PROTOS = new Set(['eth', 'ip', 'ipv6', 'tcp', 'udp', 'icmp', 'icmpv6', 'arp', 'sll', 'null', 'vlan']);
// Application nodes compared where they sit straight on TCP: HTTP and TLS count per message,
// as tshark's one pass does (a frame where a message ends, or where a TLS record starts).
const PHS_APP_ON_TCP = new Set(['http', 'tls']);
// tshark's pseudo-protocol for raw-IP link types (LINKTYPE_RAW/IPV4/IPV6) is a root node with no
// header of its own; our hierarchy starts at the IP layer there. Both count the same frames, so
// the comparison lifts tshark's children up one level instead of reporting every node as moved.
const PHS_TRANSPARENT_ROOTS = new Set(['raw']);
const METRICS = ['packets', 'bytes', 'first_time', 'last_time', 'phs', 'tcp_count', 'udp_count', 'tcp_conv', 'udp_conv'];
const known = readKnown();

// ---- tshark side ---------------------------------------------------------------------------

const UNIT = { bytes: 1, kB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12 };

/** Parses `tshark -q -z io,phs -z conv,tcp -z conv,udp -z io,stat,0` output. */
function parseTsharkStats(text) {
  const lines = text.split('\n');
  const res = { phs: null, conv: {}, iostat: null };
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.startsWith('Protocol Hierarchy Statistics')) {
      const nodes = [];
      const stack = [];
      for (i += 1; i < lines.length && !lines[i].startsWith('==='); i++) {
        const m = /^( *)(\S+)\s+frames:(\d+)\s+bytes:(\d+)/.exec(lines[i]);
        if (!m) continue;
        const depth = m[1].length / 2;
        stack.length = depth;
        stack.push(m[2]);
        nodes.push({ path: stack.slice(), frames: +m[3], bytes: +m[4] });
      }
      res.phs = nodes;
    } else {
      const cm = /^(TCP|UDP) Conversations/.exec(l);
      if (cm) {
        const rows = [];
        for (i += 1; i < lines.length && !lines[i].startsWith('==='); i++) {
          const m = new RegExp(
            String.raw`^(\S+)\s+<->\s+(\S+)\s+(\d+)\s+(\d+)\s+(\w+)\s+(\d+)\s+(\d+)\s+(\w+)\s+(\d+)\s+(\d+)\s+(\w+)\s+(-?[\d.]+)\s+(-?[\d.]+)`,
          ).exec(lines[i]);
          if (!m) continue;
          const ep = (s) => {
            const k = s.lastIndexOf(':');
            return { addr: canonAddr(s.slice(0, k)), port: +s.slice(k + 1) };
          };
          // Columns: "<-" is B to A, "->" is A to B. Byte counts of 10000 and more are printed
          // with a unit (kB, MB) and lose precision; they are made exact from a field dump.
          const val = (n, u) => ({ v: +n * (UNIT[u] ?? NaN), exact: u === 'bytes', n: +n, u });
          const a = ep(m[1]), b = ep(m[2]);
          rows.push({
            a, b,
            pktsBA: +m[3], bytesBA: val(m[4], m[5]),
            pktsAB: +m[6], bytesAB: val(m[7], m[8]),
            start: +m[12],
          });
        }
        res.conv[cm[1].toLowerCase()] = rows;
      }
      const im = /^\|\s*[\d.]+\s*<>\s*(?:[\d.]+|Dur)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|/.exec(l);
      if (im) res.iostat = { frames: +im[1], bytes: +im[2] };
    }
  }
  return res;
}

/** Exact per-direction byte counts for the conversations whose bytes tshark printed with a
 *  unit. One field dump: per frame its length, its protocol stack, and the occurrences of the
 *  IP source addresses and TCP/UDP source ports and stream numbers. Walking frame.protocols
 *  pairs every TCP/UDP layer with the IP layer right before it (tunnels have several). */
async function exactConvBytes(file, conv) {
  const r = await run(TSHARK, [
    '-n', '-r', file, '-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', 'aggregator=,',
    '-e', 'frame.len', '-e', 'frame.protocols', '-e', 'ip.src', '-e', 'ipv6.src',
    '-e', 'tcp.srcport', '-e', 'tcp.stream', '-e', 'udp.srcport', '-e', 'udp.stream',
  ]);
  // streams[proto].get(id) = Map(endpoint "addr|port" -> {pkts, bytes})
  const streams = { tcp: new Map(), udp: new Map() };
  for (const line of r.stdout.split('\n')) {
    if (!line) continue;
    const f = line.split('\t');
    const list = (s) => (s ? s.split(',') : []);
    const len = +f[0];
    const ip4 = list(f[2]), ip6 = list(f[3]);
    const ports = { tcp: list(f[4]), udp: list(f[6]) };
    const ids = { tcp: list(f[5]), udp: list(f[7]) };
    let addr = null;
    for (const p of (f[1] ?? '').split(':')) {
      if (p === 'ip') addr = ip4.shift() ?? null;
      else if (p === 'ipv6') addr = ip6.shift() ?? null;
      else if (p === 'tcp' || p === 'udp') {
        const port = ports[p].shift(), id = ids[p].shift();
        if (port === undefined || id === undefined || addr === null) continue;
        if (!streams[p].has(id)) streams[p].set(id, new Map());
        const dirs = streams[p].get(id);
        const key = `${canonAddr(addr)}|${+port}`;
        const d = dirs.get(key) ?? { pkts: 0, bytes: 0 };
        d.pkts++;
        d.bytes += len;
        dirs.set(key, d);
      }
    }
  }
  // A conversation row takes the first unused stream with the same endpoints and the same
  // packet counts each way; if none fits, its bytes stay approximate.
  for (const proto of ['tcp', 'udp']) {
    const used = new Set();
    for (const row of conv[proto] ?? []) {
      if (row.bytesAB.exact && row.bytesBA.exact) continue;
      const ka = `${row.a.addr}|${row.a.port}`, kb = `${row.b.addr}|${row.b.port}`;
      for (const [id, dirs] of streams[proto]) {
        if (used.has(id)) continue;
        if ([...dirs.keys()].some((k) => k !== ka && k !== kb)) continue;
        const da = dirs.get(ka) ?? { pkts: 0, bytes: 0 }, db = ka === kb ? { pkts: 0, bytes: 0 } : dirs.get(kb) ?? { pkts: 0, bytes: 0 };
        if (da.pkts !== row.pktsAB || db.pkts !== row.pktsBA) continue;
        used.add(id);
        row.bytesAB = { v: da.bytes, exact: true };
        row.bytesBA = { v: db.bytes, exact: true };
        break;
      }
    }
  }
}

async function tsharkSide(file) {
  const [stats, cap] = await Promise.all([
    run(TSHARK, ['-n', '-r', file, '-q', '-z', 'io,phs', '-z', 'conv,tcp', '-z', 'conv,udp', '-z', 'io,stat,0']),
    run(CAPINFOS, ['-M', '-T', '-S', '-c', '-d', '-a', '-e', file]),
  ]);
  const t = parseTsharkStats(stats.stdout);
  const err = stats.stderr.split('\n').filter((l) => l && !/Running as user|dangerous/.test(l)).join(' ').replaceAll(file, path.basename(file));
  if (!t.phs) return { unreadable: err || `tshark exit ${stats.code}` };
  t.warning = err;
  // capinfos: header line then one value line (tab-separated); nothing usable on a damaged file.
  const cl = cap.stdout.split('\n').filter((l) => l);
  if (cap.code === 0 && cl.length >= 2) {
    const h = cl[0].split('\t'), v = cl[1].split('\t');
    const get = (name) => v[h.indexOf(name)];
    t.packets = +get('Number of packets');
    t.bytes = +get('Data size (bytes)');
    t.first = epochToNs(get('Start time'));
    t.last = epochToNs(get('End time'));
  } else {
    // Damaged part-way: tshark's own pass (io,stat) and frame times from a field dump.
    t.packets = t.iostat?.frames ?? 0;
    t.bytes = t.iostat?.bytes ?? 0;
    const r = await run(TSHARK, ['-n', '-r', file, '-T', 'fields', '-e', 'frame.time_epoch']);
    const times = r.stdout.split('\n').filter((l) => l).map(epochToNs).filter((x) => x !== null);
    t.first = times.length ? times.reduce((a, b) => (b < a ? b : a)) : null;
    t.last = times.length ? times.reduce((a, b) => (b > a ? b : a)) : null;
  }
  if (Object.values(t.conv).some((rows) => rows.some((r) => !r.bytesAB.exact || !r.bytesBA.exact)))
    await exactConvBytes(file, t.conv);
  return t;
}

// ---- our side ------------------------------------------------------------------------------

async function ourSide(name) {
  const storage = STORAGE; // created below, before any file is compared
  const [sum, prot, conv] = await Promise.all([
    callOurs(server, storage, name, { analysis_type: 'summary' }),
    callOurs(server, storage, name, { analysis_type: 'protocols', limit: 1000 }),
    ourConversations(server, storage, name, ['tcp', 'udp']),
  ]);
  const stack = [];
  const phs = prot.protocols.map((p) => {
    stack.length = p.depth;
    stack.push(p.protocol);
    return { path: stack.slice(), frames: p.frames, bytes: p.bytes };
  });
  return {
    packets: sum.summary.packets,
    bytes: sum.summary.bytes,
    first: isoToNs(sum.summary.first_time),
    last: isoToNs(sum.summary.last_time),
    complete: sum.capture.complete,
    stop: sum.capture.stop_reason,
    phs,
    conv,
  };
}

// ---- comparison ----------------------------------------------------------------------------

function phsMap(nodes, transparentRoots) {
  const m = new Map();
  for (const n of nodes) {
    let p = n.path;
    if (transparentRoots && PHS_TRANSPARENT_ROOTS.has(p[0])) p = p.slice(1);
    const last = p[p.length - 1];
    if (!p.length || !(PHS_PROTOS.has(last) || (PHS_APP_ON_TCP.has(last) && p[p.length - 2] === 'tcp'))) continue;
    const k = p.join('/');
    const e = m.get(k) ?? { frames: 0, bytes: 0 };
    e.frames += n.frames;
    e.bytes += n.bytes;
    m.set(k, e);
  }
  return m;
}

const epKey = (addr, port) => `${canonAddr(addr)}:${port}`;
const pairKey = (x, y) => [x, y].sort().join('<->');

function compareConv(proto, ours, theirs) {
  const items = [];
  const groups = new Map();
  const group = (k) => {
    if (!groups.has(k)) groups.set(k, { ours: [], theirs: [] });
    return groups.get(k);
  };
  for (const c of ours) {
    const a = epKey(c.address_a, c.port_a), b = epKey(c.address_b, c.port_b);
    group(pairKey(a, b)).ours.push({
      a, b, pktsAB: c.packets_a_to_b, bytesAB: c.bytes_a_to_b, pktsBA: c.packets_b_to_a, bytesBA: c.bytes_b_to_a, start: c.start_s,
    });
  }
  for (const r of theirs) {
    const a = epKey(r.a.addr, r.a.port), b = epKey(r.b.addr, r.b.port);
    group(pairKey(a, b)).theirs.push({ ...r, a, b });
  }
  for (const [k, g] of groups) {
    g.ours.sort((x, y) => x.start - y.start);
    g.theirs.sort((x, y) => x.start - y.start);
    const n = Math.max(g.ours.length, g.theirs.length);
    for (let i = 0; i < n; i++) {
      const o = g.ours[i], t = g.theirs[i];
      const key = g.ours.length > 1 || g.theirs.length > 1 ? `${k}#${i + 1}` : k;
      if (!o) {
        items.push({ key, text: `${proto} ${key} missing in ours (tshark ${t.pktsAB}+${t.pktsBA} pkts)` });
        continue;
      }
      if (!t) {
        items.push({ key, text: `${proto} ${key} only in ours (${o.pktsAB}+${o.pktsBA} pkts)` });
        continue;
      }
      // Orient tshark's row like ours.
      const flip = o.a !== t.a;
      const tv = flip
        ? { pktsAB: t.pktsBA, bytesAB: t.bytesBA, pktsBA: t.pktsAB, bytesBA: t.bytesAB }
        : { pktsAB: t.pktsAB, bytesAB: t.bytesAB, pktsBA: t.pktsBA, bytesBA: t.bytesBA };
      const bad = [];
      const cmpBytes = (ov, tb, what) => {
        if (!tb.exact) approxRows++;
        if (tb.exact ? ov !== tb.v : Math.abs(ov - tb.v) > (UNIT[tb.u] ?? 0)) bad.push(`${what} ${ov} vs ${tb.exact ? tb.v : `~${tb.n} ${tb.u}`}`);
      };
      if (o.pktsAB !== tv.pktsAB) bad.push(`pkts ${o.a}-> ${o.pktsAB} vs ${tv.pktsAB}`);
      cmpBytes(o.bytesAB, tv.bytesAB, `bytes ${o.a}->`);
      if (o.pktsBA !== tv.pktsBA) bad.push(`pkts ${o.b}-> ${o.pktsBA} vs ${tv.pktsBA}`);
      cmpBytes(o.bytesBA, tv.bytesBA, `bytes ${o.b}->`);
      if (bad.length) items.push({ key, text: `${proto} ${key}: ${bad.join(', ')}` });
    }
  }
  return items;
}

function compare(o, t) {
  const diffs = [];
  const scalar = (metric, ov, tv, fmt = String) => {
    if (ov !== tv) diffs.push({ metric, items: [{ key: metric, text: `${metric} ${fmt(ov)} vs ${fmt(tv)}` }] });
  };
  scalar('packets', o.packets, t.packets);
  scalar('bytes', o.bytes, t.bytes);
  const us = (x) => (x === null || x === undefined ? 'none' : fmtUs(x));
  scalar('first_time', us(o.first), us(t.first));
  scalar('last_time', us(o.last), us(t.last));

  const om = phsMap(o.phs, false), tm = phsMap(t.phs, true);
  const phsItems = [];
  for (const k of new Set([...om.keys(), ...tm.keys()])) {
    const a = om.get(k) ?? { frames: 0, bytes: 0 }, b = tm.get(k) ?? { frames: 0, bytes: 0 };
    if (a.frames !== b.frames || a.bytes !== b.bytes)
      phsItems.push({
        key: k,
        text: `${k} ${a.frames !== b.frames ? `frames ${a.frames} vs ${b.frames}` : ''}${a.frames !== b.frames && a.bytes !== b.bytes ? ', ' : ''}${a.bytes !== b.bytes ? `bytes ${a.bytes} vs ${b.bytes}` : ''}`,
      });
  }
  if (phsItems.length) diffs.push({ metric: 'phs', items: phsItems });

  for (const proto of ['tcp', 'udp']) {
    const ours = o.conv[proto] ?? [], theirs = t.conv[proto] ?? [];
    scalar(`${proto}_count`, ours.length, theirs.length);
    const items = compareConv(proto, ours, theirs);
    if (items.length) diffs.push({ metric: `${proto}_conv`, items });
  }
  return diffs;
}

// ---- main ----------------------------------------------------------------------------------

const STORAGE = makeStorage();
const rows = readManifest(corpus);
const print = orderedPrinter();
const agree = Object.fromEntries(METRICS.map((m) => [m, 0]));
let compared = 0, passed = 0, failed = 0, skipped = 0;
let approxRows = 0; // conversation byte counts tshark printed with a unit that the field dump could not make exact

await pool(rows, Math.max(2, os.availableParallelism ? os.availableParallelism() : os.cpus().length), async (row, idx) => {
  const rel = row.path;
  const file = path.join(corpus, rel);
  const out = [];
  try {
    const t = await tsharkSide(file);
    if (t.unreadable) {
      skipped++;
      out.push(`skip ${rel}: tshark cannot read it (${t.unreadable.slice(0, 120)})`);
      return;
    }
    compared++;
    let diffs;
    try {
      diffs = compare(await ourSide(STORAGE.add(corpus, rel)), t);
    } catch (e) {
      // Our server could not read a capture tshark reads: the "read" metric.
      diffs = [{ metric: 'read', items: [{ key: 'read', text: `ours failed: ${e.message}` }] }];
    }
    const differing = new Set(diffs.map((d) => d.metric));
    if (!differing.has('read')) for (const m of METRICS) if (!differing.has(m)) agree[m]++;
    const { unexplained, known: explained, stale } = applyKnown(diffs, (known[rel] ?? []).filter((e) => !/^(zeek|arkime|tcpdump)\./.test(e.metric)));
    const reasons = [...new Map(explained.map((k) => [`${k.metric}: ${k.reason}`, k])).keys()];
    if (unexplained.length) {
      failed++;
      out.push(`DIFF ${rel}: ${unexplained.map((d) => describe(d)).join(' | ')}`);
    } else passed++;
    for (const r of reasons) out.push(`known ${rel}: ${clip(r)}`);
    if (!unexplained.length && !reasons.length) out.push(`ok ${rel}`);
    for (const m of stale) out.push(`note ${rel}: known difference in ${m} no longer occurs; remove it from known_differences.json`);
  } catch (e) {
    failed++;
    out.push(`DIFF ${rel}: comparison failed: ${e.stack ?? e}`);
  } finally {
    print(idx, out.join('\n'));
  }
});

console.log('');
console.log(`files compared: ${compared} (skipped, tshark cannot read: ${skipped})`);
for (const m of METRICS) console.log(`  ${m.padEnd(11)} ${agree[m]}/${compared} agree`);
if (approxRows) console.log(`note: ${approxRows} conversation byte counts compared only to tshark's rounded kB/MB figure`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
