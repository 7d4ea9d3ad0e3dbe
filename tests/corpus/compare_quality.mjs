// TCP keep-alives (analyze_packet_timing_issues) and ICMP/ICMPv6 errors
// (analyze_network_quality_metrics) against tshark 4.0 on every capture of ../shared/corpus and
// ../shared/corpus-real. Metrics:
//   keep_alive, keep_alive_ack   the tool's totals = `tshark -Y tcp.analysis.keep_alive | wc -l`
//                                (and _ack), and its first frames = tshark's first frames
//   icmp.kinds                   errors per (ICMP or ICMPv6, type, code) = the frames whose first
//                                icmp.type/icmp.code (icmpv6.*) are those, with the same first frames
//   icmp.quoted                  errors per quoted datagram (type/code, addresses and ports of the
//                                quoted header: tshark's last ip/ipv6 and udp/tcp values of the frame)
// Deliberate differences go in known_differences.json under these metrics (corpus-real captures
// as "corpus-real/NAME").
// Usage: node compare_quality.mjs SERVER_BIN [CORPUS_DIR]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs, readManifest, readKnown, run, available, orderedPrinter, pool, applyKnown, describe,
  makeStorage, canonAddr, SKIP } from './common.mjs';

const METRICS = ['keep_alive', 'keep_alive_ack', 'icmp.kinds', 'icmp.quoted'];
const { server, corpus } = parseArgs(process.argv, 'compare_quality.mjs SERVER_BIN');
if (!(await available('tshark', ['-v']))) {
  console.log('SKIP: tshark not found');
  process.exit(SKIP);
}
const files = readManifest(corpus).filter((r) => r.tshark_status !== 'tshark cannot read')
  .map((r) => ({ key: r.path, dir: corpus, rel: r.path }));
const real = path.join(path.dirname(corpus), 'corpus-real');
if (fs.existsSync(path.join(real, 'MANIFEST.tsv')))
  for (const r of readManifest(real))
    if (fs.existsSync(path.join(real, r.name))) files.push({ key: `corpus-real/${r.name}`, dir: real, rel: r.name });

// ICMP (4) and ICMPv6 (6) types whose messages quote the datagram that caused them.
const isError = (ver, type) => (ver === 6 ? type >= 1 && type <= 4 : [3, 4, 5, 11, 12].includes(type));
const FIELDS = ['frame.number', 'tcp.analysis.keep_alive', 'tcp.analysis.keep_alive_ack', 'icmp.type', 'icmp.code',
  'icmpv6.type', 'icmpv6.code', 'ip.src', 'ip.dst', 'ipv6.src', 'ipv6.dst', 'ip.proto', 'ipv6.nxt', 'udp.srcport',
  'udp.dstport', 'tcp.srcport', 'tcp.dstport'];
const FIRST_KA = 20, FIRST_ICMP = 5;
const last = (s) => (s ? s.split(',').at(-1) : '');
const first = (s) => (s ? s.split(',')[0] : '');

function bump(map, key, frame) {
  const e = map.get(key) ?? { count: 0, frames: [] };
  e.count++;
  if (frame !== undefined && e.frames.length < FIRST_ICMP) e.frames.push(frame);
  map.set(key, e);
}
const quotedKey = (ver, type, code, src, dst, sp, dp) => `${ver}:${type}/${code} ${canonAddr(src)}:${sp ?? ''} > ${canonAddr(dst)}:${dp ?? ''}`;

async function theirs(file) {
  const r = await run('tshark', ['-r', file, '-Y', 'tcp.analysis.keep_alive || tcp.analysis.keep_alive_ack || icmp || icmpv6',
    '-T', 'fields', ...FIELDS.flatMap((f) => ['-e', f])]);
  if (r.code !== 0) return null;
  const out = { keep_alive: [], keep_alive_ack: [], kinds: new Map(), quoted: new Map() };
  for (const line of r.stdout.split('\n')) {
    if (!line) continue;
    const c = Object.fromEntries(line.split('\t').map((v, i) => [FIELDS[i], v]));
    const frame = +c['frame.number'];
    if (c['tcp.analysis.keep_alive']) out.keep_alive.push(frame);
    if (c['tcp.analysis.keep_alive_ack']) out.keep_alive_ack.push(frame);
    const ver = c['icmp.type'] ? 4 : c['icmpv6.type'] ? 6 : 0;
    if (!ver) continue;
    const p = ver === 6 ? 'icmpv6' : 'icmp', ip = ver === 6 ? 'ipv6' : 'ip';
    const type = +first(c[`${p}.type`]), code = +first(c[`${p}.code`]);
    if (!isError(ver, type)) continue;
    bump(out.kinds, `${ver}:${type}/${code}`, frame);
    // the quoted header is the frame's last IP header: with at least two of them
    if ((c[`${ip}.src`] ?? '').split(',').length < 2) continue;
    const proto = +last(c[ver === 6 ? 'ipv6.nxt' : 'ip.proto']);
    const l4 = proto === 6 ? 'tcp' : proto === 17 ? 'udp' : null;
    bump(out.quoted, quotedKey(ver, type, code, last(c[`${ip}.src`]), last(c[`${ip}.dst`]),
      l4 ? last(c[`${l4}.srcport`]) : null, l4 ? last(c[`${l4}.dstport`]) : null));
  }
  return out;
}

// One server for every call: the two tools share the model of a capture (the cache).
const storage = makeStorage();
const child = spawn(server, [], { env: { ...process.env, PCAP_STORAGE_PATH: storage.store, ANALYSIS_TEMP_DIR: storage.scratch },
  stdio: ['pipe', 'pipe', 'inherit'] });
const waiting = new Map();
let buf = '', nextId = 1;
child.stdout.on('data', (d) => {
  buf += d;
  for (let nl; (nl = buf.indexOf('\n')) >= 0; buf = buf.slice(nl + 1)) {
    const m = JSON.parse(buf.slice(0, nl));
    waiting.get(m.id)?.(m);
    waiting.delete(m.id);
  }
});
child.on('exit', () => { for (const w of waiting.values()) w({ error: { message: 'the server exited' } }); });
function request(method, params) {
  const id = nextId++;
  return new Promise((res) => {
    waiting.set(id, res);
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
  });
}
async function call(tool, args) {
  const m = await request('tools/call', { name: tool, arguments: args });
  if (m.error) throw new Error(m.error.message);
  if (m.result.isError) throw new Error(m.result.content.map((c) => c.text).join(' ').split('\n')[0]);
  return m.result.structuredContent;
}
await request('initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'compare_quality', version: '1' } });
child.stdin.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');

async function ours(f) {
  const name = storage.add(f.dir, f.rel);
  try {
    const t = await call('analyze_packet_timing_issues', { pcap_file: name, limit: 500 });
    const out = { totals: t.totals, frames: t.frames, kinds: new Map(), quoted: new Map() };
    for (let offset = 0; ; ) {
      const q = await call('analyze_network_quality_metrics', { pcap_file: name, limit: 500, offset });
      if (offset === 0)
        for (const k of q.icmp_error_kinds)
          out.kinds.set(`${k.protocol === 'icmpv6' ? 6 : 4}:${k.type}/${k.code}`, { count: k.count, frames: k.first_frames });
      for (const e of q.icmp_errors) {
        if (!e.src) continue;
        const key = quotedKey(e.protocol === 'icmpv6' ? 6 : 4, e.type, e.code, e.src, e.dst, e.src_port, e.dst_port);
        out.quoted.set(key, { count: (out.quoted.get(key)?.count ?? 0) + e.count });
      }
      offset += q.icmp_errors.length;
      if (!q.page.more || !q.icmp_errors.length) break;
    }
    return out;
  } catch (e) {
    return { error: e.message };
  }
}

function diffMaps(a, b, frames) {
  const items = [];
  for (const k of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(k), y = b.get(k);
    if (!x || !y || x.count !== y.count || (frames && x.frames.join(' ') !== y.frames.join(' ')))
      items.push({ key: k, text: `${k}: tshark ${x ? `${x.count}${frames ? ` [${x.frames}]` : ''}` : 'none'}, ours ${y ? `${y.count}${frames ? ` [${y.frames}]` : ''}` : 'none'}` });
  }
  return items;
}

const known = readKnown();
const print = orderedPrinter();
const agree = Object.fromEntries(METRICS.map((m) => [m, 0]));
let passed = 0, failed = 0, compared = 0, kaTotal = 0, icmpTotal = 0;
await pool(files, 2, async (f, i) => {
  const [t, o] = await Promise.all([theirs(path.join(f.dir, f.rel)), ours(f)]);
  if (!t) return print(i, `skip ${f.key}: tshark cannot read it`);
  if (o.error) {
    if ((known[f.key] ?? []).some((e) => e.metric === 'read')) {
      passed++;
      return print(i, `known ${f.key}: read`);
    }
    failed++;
    return print(i, `DIFF ${f.key}: our analysis failed: ${o.error}`);
  }
  compared++;
  kaTotal += t.keep_alive.length;
  for (const e of t.kinds.values()) icmpTotal += e.count;
  const diffs = {};
  for (const flag of ['keep_alive', 'keep_alive_ack']) {
    const want = t[flag], count = o.totals[flag], fr = o.frames[flag];
    const items = [];
    if (count !== want.length) items.push({ key: 'count', text: `count: tshark ${want.length}, ours ${count}` });
    if (fr.join(' ') !== want.slice(0, FIRST_KA).join(' '))
      items.push({ key: 'frames', text: `first frames: tshark [${want.slice(0, FIRST_KA)}], ours [${fr}]` });
    diffs[flag] = items;
  }
  diffs['icmp.kinds'] = diffMaps(t.kinds, o.kinds, true);
  diffs['icmp.quoted'] = diffMaps(t.quoted, o.quoted, false);
  for (const m of METRICS) if (!diffs[m].length) agree[m]++;
  const list = Object.entries(diffs).filter(([, it]) => it.length).map(([metric, items]) => ({ metric, items }));
  const { unexplained, known: explained } = applyKnown(list, known[f.key]);
  if (unexplained.length) {
    failed++;
    print(i, `DIFF ${f.key}: ${unexplained.map((x) => `${x.metric}: ${describe(x)}`).join(' | ')}`);
  } else {
    passed++;
    const ka = t.keep_alive.length + t.keep_alive_ack.length, ic = [...t.kinds.values()].reduce((s, e) => s + e.count, 0);
    print(i, explained.length ? `known ${f.key}: ${explained.map((k) => k.metric).join(', ')}`
      : ka || ic ? `ok ${f.key} (${ka} keep-alives and their ACKs, ${ic} ICMP errors)` : '');
  }
});
console.log(`\nfiles compared: ${compared} (${kaTotal} keep-alives, ${icmpTotal} ICMP errors in tshark's view)`);
for (const m of METRICS) console.log(`  ${m.padEnd(15)} ${agree[m]}/${compared} agree`);
console.log(`${passed} passed, ${failed} failed`);
child.stdin.end();
process.exit(failed ? 1 : 0);
