#!/usr/bin/env node
// The time tools against tshark's frame times over the corpus (../shared/corpus, and
// ../shared/corpus-real beside it when present):
//   periods    generate_traffic_timeline's active periods. From tshark's frame numbers, times and
//              lengths: a jump in time of a minute or more between consecutive frames (a silence,
//              or a step back) splits the frames, in file order, into periods; when more than 128
//              jumps of a second or more exist, only those longer than the 128th longest count.
//              Each period's first and last frame, packets, bytes, start (its first frame's time,
//              to the microsecond) and duration (to its last frame) must agree, and so must the
//              active time they add up to.
//   intervals  generate_throughput_io_graph's intervals, paged to the end with offset: every
//              interval that holds frames or overlaps a period, none skipped, none twice, with
//              the packets and bytes tshark's frame times put in it (interval i holds the frames
//              i widths after the first one).
//   talkers    analyze_bandwidth_utilization's top talkers: no share of the bytes above 100%; on
//              captures with one IP header per frame, each talker's bytes are those of the frames
//              it sent or received, a frame to itself once (tshark -z endpoints,ip counts such a
//              frame twice).
// Metrics time.periods, time.intervals, time.talkers; known_differences.json may excuse one for a
// capture, with its reason. One line per capture that differs; "N agree, N differ, N skipped" last. Captures tshark and
// we do not read to the same frame count (damaged files) are skipped, each named.
// Exit status: 0 all agree, 1 a difference, 77 no corpus or no tshark (skipped).
// Usage: node compare_time.mjs SERVER_BIN [CORPUS_DIR]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  SKIP, available, canonAddr, epochToNs, isoToNs, makeStorage, parseArgs, pool, readKnown, readManifest, run,
} from './common.mjs';

const { server, corpus } = parseArgs(process.argv, 'node compare_time.mjs');
const TSHARK = process.env.TSHARK ?? 'tshark';
if (!(await available(TSHARK, ['-v']))) {
  console.log('SKIP: tshark not found');
  process.exit(SKIP);
}
const storage = makeStorage();
const known = readKnown();
const files = readManifest(corpus).map((r) => ({ name: storage.add(corpus, r.path), key: r.path }));
const real = path.join(path.dirname(corpus), 'corpus-real');
if (fs.existsSync(path.join(real, 'MANIFEST.tsv')))
  for (const r of readManifest(real))
    if (fs.existsSync(path.join(real, r.name))) files.push({ name: storage.add(real, r.name), key: r.name });

// one server for every call: a model is computed once per capture and cached
// (budgets larger than the default, so that paging a long I/O graph takes tens of calls, not hundreds)
const child = spawn(server, [], {
  env: { ...process.env, PCAP_STORAGE_PATH: storage.store, PCAP_MCP_TEXT_BUDGET: '256KB', PCAP_MCP_RESULT_BUDGET: '1MB' },
  stdio: ['pipe', 'pipe', 'pipe'],
});
let buf = '', next = 1, stderr = '';
const waiting = new Map();
child.stderr.on('data', (d) => { stderr += d; });
child.stdout.on('data', (d) => {
  buf += d;
  for (let nl; (nl = buf.indexOf('\n')) >= 0; ) {
    const m = JSON.parse(buf.slice(0, nl));
    buf = buf.slice(nl + 1);
    if (waiting.has(m.id)) { waiting.get(m.id)(m); waiting.delete(m.id); }
  }
});
child.on('exit', (code) => { for (const w of waiting.values()) w({ error: { message: `server exited ${code}: ${stderr.slice(-500)}` } }); });
function request(method, params) {
  const id = next++;
  return new Promise((res) => {
    waiting.set(id, res);
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
  });
}
/** A tool's structuredContent; throws with the server's message. */
async function call(tool, args) {
  const m = await request('tools/call', { name: tool, arguments: args });
  if (m.error) throw new Error(m.error.message);
  if (m.result.isError) throw new Error(m.result.content.map((c) => c.text).join(' ').split('\n')[0]);
  return m.result.structuredContent;
}
await request('initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'compare_time', version: '1' } });
child.stdin.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');

const SEC = 1000000000n;
const MINUTE = 60n * SEC;
const MAX_GAPS = 128;

/** tshark's frames: [{no, t (BigInt ns), len, src: [..], dst: [..]}]. */
async function frames(file) {
  const r = await run(TSHARK, ['-n', '-r', file, '-T', 'fields', '-E', 'separator=/t', '-E', 'aggregator=,',
    '-e', 'frame.number', '-e', 'frame.time_epoch', '-e', 'frame.len', '-e', 'ip.src', '-e', 'ip.dst',
    '-e', 'ipv6.src', '-e', 'ipv6.dst']);
  const out = [];
  for (const l of r.stdout.split('\n')) {
    if (!l) continue;
    const c = l.split('\t');
    const list = (a, b) => [...(a ? a.split(',') : []), ...(b ? b.split(',') : [])];
    out.push({ no: +c[0], t: epochToNs(c[1]), len: +c[2], src: list(c[3], c[5]), dst: list(c[4], c[6]) });
  }
  return out;
}

/** The periods, as the engine keeps jumps in time and the tools split at them. */
function periods(fr) {
  const gaps = [];
  const abs = (x) => (x < 0n ? -x : x);
  for (let i = 1; i < fr.length; i++) {
    const len = abs(fr[i].t - fr[i - 1].t);
    if (len < SEC) continue;
    const g = { from: fr[i - 1].t, to: fr[i].t, after: i, len };
    if (gaps.length < MAX_GAPS) gaps.push(g);
    else {
      let k = 0;
      for (let j = 1; j < gaps.length; j++) if (gaps[j].len < gaps[k].len) k = j;
      if (gaps[k].len < g.len) gaps[k] = g;
    }
  }
  let threshold = MINUTE;
  if (gaps.length === MAX_GAPS) {
    const shortest = gaps.reduce((m, g) => (g.len < m ? g.len : m), gaps[0].len);
    if (shortest + 1n > threshold) threshold = shortest + 1n;
  }
  const cuts = gaps.filter((g) => g.len >= threshold).sort((a, b) => a.after - b.after);
  const out = [];
  let begin = 0;
  for (const end of [...cuts.map((g) => g.after), fr.length]) {
    const part = fr.slice(begin, end);
    const start = part[0].t, last = part[part.length - 1].t;
    out.push({ first: part[0].no, last: part[part.length - 1].no, packets: part.length,
      bytes: part.reduce((s, f) => s + f.len, 0), start, end: last > start ? last : start });
    begin = end;
  }
  return { list: out, threshold };
}

const us = (ns) => ns / 1000n;
let agree = 0, differ = 0, skipped = 0;

async function compare({ name, key }) {
  const t0ms = Date.now();
  const file = path.join(storage.store, name);
  const fr = await frames(file);
  let tl;
  try {
    tl = await call('generate_traffic_timeline', { pcap_file: name });
  } catch (e) {
    if (fr.length && !/cannot be read as a capture/.test(e.message)) throw e;
    skipped++;
    console.log(`skip ${name}: ${fr.length} frames in tshark; ${e.message}`);
    return;
  }
  if (!fr.length || tl.capture.packets !== fr.length || !tl.capture.complete) {
    skipped++;
    console.log(`skip ${name}: ${fr.length} frames in tshark, ${tl.capture.packets} here${tl.capture.complete ? '' : ' (damaged)'}`);
    return;
  }
  const diffs = [];
  const want = periods(fr);
  const got = tl.active_periods;
  if (tl.active_period_count !== want.list.length) diffs.push(`time.periods: periods ${tl.active_period_count} vs ${want.list.length}`);
  else if (got.length === want.list.length) {
    want.list.forEach((w, i) => {
      const g = got[i];
      const d = Number(w.end - w.start) / 1e9;
      if (g.first_frame !== w.first || g.last_frame !== w.last || g.packets !== w.packets || g.bytes !== w.bytes ||
        us(isoToNs(g.start)) !== us(w.start) || Math.abs(g.duration_s - d) > 1e-6)
        diffs.push(`time.periods: period ${i}: ${JSON.stringify(g)} vs ${JSON.stringify({ ...w, start: String(w.start), end: String(w.end) })}`);
    });
  }
  const active = want.list.reduce((s, p) => s + Number(p.end - p.start) / 1e9, 0);
  if (Math.abs(tl.active_s - active) > 1e-6 * Math.max(1, active)) diffs.push(`time.periods: active_s ${tl.active_s} vs ${active}`);

  // the I/O graph's intervals, paged to the end
  const rows = [];
  let io;
  for (let offset = 0; ; ) {
    io = await call('generate_throughput_io_graph', { pcap_file: name, limit: 10000, offset });
    if (io.intervals.length === 0 || io.page.offset !== offset) break;
    rows.push(...io.intervals);
    if (!io.page.more) break;
    offset = io.page.next_offset;
  }
  const w = BigInt(Math.round(io.interval_s * 1e9));
  const t0 = fr[0].t;
  const bins = new Map();
  for (const f of fr) {
    const i = f.t > t0 ? Number((f.t - t0) / w) : 0;
    const b = bins.get(i) ?? { packets: 0, bytes: 0 };
    b.packets++;
    b.bytes += f.len;
    bins.set(i, b);
  }
  const n = io.total_intervals;
  const listed = new Set(bins.keys());
  for (const p of want.list) {
    const a = Math.min(n - 1, Number((p.start > t0 ? p.start - t0 : 0n) / w));
    const b = Math.min(n - 1, Number((p.end > t0 ? p.end - t0 : 0n) / w));
    for (let i = a; i <= b; i++) listed.add(i);
  }
  const order = [...listed].sort((a, b) => a - b);
  if (rows.length !== order.length || io.listed_intervals !== order.length)
    diffs.push(`time.intervals: listed ${rows.length} (of ${io.listed_intervals}) vs ${order.length}`);
  else
    for (let k = 0; k < order.length; k++) {
      const r = rows[k], b = bins.get(order[k]) ?? { packets: 0, bytes: 0 };
      if (r.interval !== order[k] || r.packets !== b.packets || r.bytes !== b.bytes) {
        diffs.push(`time.intervals: row ${k}: ${JSON.stringify(r)} vs interval ${order[k]} ${JSON.stringify(b)}`);
        break;
      }
    }

  // top talkers
  const bw = await call('analyze_bandwidth_utilization', { pcap_file: name });
  for (const t of bw.top_talkers)
    if (t.share_pct > 100 + 1e-9) diffs.push(`time.talkers: ${t.address} has ${t.share_pct}% of the bytes`);
  if (fr.every((f) => f.src.length <= 1)) {
    const bytes = new Map();
    for (const f of fr)
      for (const a of new Set([...f.src, ...f.dst].map(canonAddr))) bytes.set(a, (bytes.get(a) ?? 0) + f.len);
    for (const t of bw.top_talkers)
      if (t.bytes !== bytes.get(canonAddr(t.address))) diffs.push(`time.talkers: ${t.address}: ${t.bytes} bytes vs ${bytes.get(canonAddr(t.address))}`);
  }
  if (process.env.TIMES) console.log(`time ${name} ${Date.now() - t0ms} ms, ${rows.length} intervals`);
  const excused = new Set((known[key] ?? []).filter((e) => e.metric.startsWith('time.')).map((e) => e.metric));
  const left = diffs.filter((d) => !excused.has(d.slice(0, d.indexOf(':'))));
  if (left.length) {
    differ++;
    console.log(`DIFF ${name}: ${left.slice(0, 4).join('; ').slice(0, 2000)}`);
  } else {
    agree++;
    if (diffs.length) console.log(`known ${name}: ${[...excused].join(', ')}`);
  }
}

await pool(files, 4, async (f) => {
  try {
    await compare(f);
  } catch (e) {
    differ++;
    console.log(`DIFF ${f.name}: ${e.message}`);
  }
});
child.stdin.end();
console.log(`${agree} agree, ${differ} differ, ${skipped} skipped`);
process.exit(differ ? 1 : 0);
