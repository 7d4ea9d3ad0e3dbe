#!/usr/bin/env node
// Compares our frame counts and conversations with tcpdump's expected text output in the
// shared corpus.
//
//   node compare_tcpdump.mjs SERVER_BIN [CORPUS_DIR]
//
// CORPUS_DIR defaults to ../shared/corpus beside the repository. A capture NAME.pcap with a
// "NAME.expected.TESTLIST.txt" beside it has tcpdump's own test lines for it ("test-name pcap
// output options...", run with -n -#) and each test's output as "NAME.expected.<output>". With
// -# every frame starts a line with its frame number ("   12  2017-06-16 09:45:09.443471 IP ...");
// -v, -e, -x, -A ... add continuation lines, which never start that way. tcpdump is not needed.
//
// Metrics (names as used in known_differences.json):
//   tcpdump.frames   for EVERY output of the capture, the frame numbers tcpdump printed against
//                    those our frame total implies: 1..N for a full output; --skip S and -c C
//                    keep frames S+1..min(S+C, N); --print-sampling=K every K-th frame.
//                    Outputs with a filter expression ("-- geneve and tcp") are not numbered
//                    this way; their frame count is compared with our summary under the same
//                    expression as bpf_filter (item "filter EXPR").
//   tcpdump.tuples   from ONE output per capture, the "primary" one: made without a filter,
//                    --skip, -c or --print-sampling, preferring no -v/-e (the simplest to
//                    parse), then the fewest options (the one used is printed on each line and
//                    listed in the summary). Every "SRC > DST:" pair of IPv4/IPv6 endpoints
//                    tcpdump printed on a frame's lines, including the inner packets it prints
//                    after a tunnel header (VXLAN, Geneve, GRE, IP-in-IP, ...):
//                      with ports ("IP 10.0.0.1.1234 > 10.0.0.2.80:", "IP6 2001:db8::1.53 > ...")
//                        the unordered pair must be one of our TCP or UDP conversations;
//                      without ports ("IP a > b: ICMP ...", GRE, fragments) it must be one of our
//                        IP conversations.
//                    Item keys "ADDR:PORT<->ADDR:PORT" and "ip ADDR<->ADDR", endpoints sorted as
//                    text.
//   tcpdump.pkts     from the same primary output, frames per direction: for every directed
//                    endpoint pair (with ports) the number of frames tcpdump printed it on
//                    against our TCP+UDP conversations' packets in that direction (several
//                    conversations of one pair are added up), and for every directed address
//                    pair the frames it appears on at any layer (with or without ports) against
//                    our IP conversation's packets in that direction. Same item keys.
// One line per capture: "ok", "known" or "DIFF" as in compare_tshark.mjs; then the number of
// captures agreeing on each metric and "N passed, N failed" as the last line.
// Exit status: 0 all passed, 1 an unexplained difference, 77 no corpus or no tcpdump outputs.

import {
  SKIP, parseArgs, readManifest, readKnown, makeStorage, callOurs, ourConversations, canonAddr,
  orderedPrinter, pool, applyKnown, describe, clip,
} from './common.mjs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const { server, corpus } = parseArgs(process.argv, 'node compare_tcpdump.mjs');
const METRICS = ['tcpdump.frames', 'tcpdump.tuples', 'tcpdump.pkts'];
const known = readKnown();

// ---- tcpdump's test list and outputs ---------------------------------------------------------

/** TESTLIST lines: {name, output, opts: [...], filter: string|null}. Words after "--" are the
 *  filter expression; SPECIAL_t (a marker of tcpdump's test driver for a time-zone set-up) is
 *  dropped. One entry per output file (tests sharing an output keep the first). */
function readTestList(file) {
  const tests = [];
  const seen = new Set();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const w = line.trim().split(/\s+/).filter((x) => x);
    if (w.length < 3 || w[0].startsWith('#')) continue;
    const [name, , output, ...rest] = w;
    const dd = rest.indexOf('--');
    const opts = (dd < 0 ? rest : rest.slice(0, dd)).filter((o) => o !== 'SPECIAL_t');
    const filter = dd < 0 ? null : rest.slice(dd + 1).join(' ');
    if (seen.has(output)) continue;
    seen.add(output);
    tests.push({ name, output, opts, filter });
  }
  return tests;
}

/** --skip S, -c C, --print-sampling=K (also as separate words). */
function selection(opts) {
  const sel = { skip: 0, count: Infinity, sampling: 1 };
  for (let i = 0; i < opts.length; i++) {
    const o = opts[i];
    let m;
    if ((m = /^--skip(?:=(\d+))?$/.exec(o))) sel.skip = +(m[1] ?? opts[++i]);
    else if ((m = /^-c(\d+)?$/.exec(o))) sel.count = +(m[1] ?? opts[++i]);
    else if ((m = /^--print-sampling(?:=(\d+))?$/.exec(o))) sel.sampling = +(m[1] ?? opts[++i]);
  }
  return sel;
}
const isPartial = (t) => {
  const s = selection(t.opts);
  return t.filter !== null || s.skip > 0 || s.count !== Infinity || s.sampling !== 1;
};
const isVerboseOrLink = (t) => t.opts.some((o) => /^-[a-zA-Z]*[ve]/.test(o) && !o.startsWith('--'));

/** Splits an output into frames: [{num, lines: [...]}]. A frame starts with its -# number
 *  followed by two spaces; hex dumps (-x, -X) are dropped, they only repeat the bytes. */
function readFrames(file) {
  const frames = [];
  for (const l of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^ *(\d+)  (.*)$/.exec(l);
    if (m) frames.push({ num: +m[1], lines: [m[2]] });
    else if (frames.length && l.length && !/^\s+0x[0-9a-f]{4}:/.test(l)) frames[frames.length - 1].lines.push(l);
  }
  return frames;
}

/** An endpoint as tcpdump -n prints it: IPv4 "a.b.c.d[.port]", IPv6 "x:y::z[.port]" (and the
 *  IPv4-suffixed "::ffff:a.b.c.d[.port]"). Returns {addr, port|null} or null if not an address. */
function parseEndpoint(tok) {
  const dots = tok.split('.').length - 1;
  if (tok.includes(':')) {
    let addr = tok, port = null;
    if (dots === 1 || dots === 4) {
      const k = tok.lastIndexOf('.');
      addr = tok.slice(0, k);
      port = +tok.slice(k + 1);
    } else if (dots !== 0 && dots !== 3) return null;
    if (!/^[0-9a-fA-F:.]+$/.test(addr) || !/:/.test(addr)) return null;
    let canon;
    try {
      canon = new URL(`http://[${addr}]/`).hostname.slice(1, -1);
    } catch {
      return null;
    }
    return { addr: canon, port };
  }
  const p = tok.split('.');
  if (p.length !== 4 && p.length !== 5) return null;
  if (!p.every((x) => /^\d{1,5}$/.test(x)) || p.slice(0, 4).some((x) => +x > 255)) return null;
  return { addr: p.slice(0, 4).join('.'), port: p.length === 5 ? +p[4] : null };
}

/** The "SRC > DST:" pairs on a frame's lines (several when tcpdump prints a tunnel's inner
 *  packet after the outer one). MAC pairs (-e) end with "," and are not matched. */
function framePairs(frame) {
  const out = [];
  const re = /(?:^|[\s(])([0-9A-Fa-f:.]+) > ([0-9A-Fa-f:.]+):(?=\s|$)/g;
  for (const l of frame.lines)
    for (const m of l.matchAll(re)) {
      const a = parseEndpoint(m[1]), b = parseEndpoint(m[2]);
      if (!a || !b) continue;
      if ((a.port === null) !== (b.port === null)) continue;
      out.push({ a, b });
    }
  return out;
}

// ---- jobs --------------------------------------------------------------------------------------

const rows = readManifest(corpus);
const jobs = [];
for (const r of rows) {
  const stem = r.path.replace(/\.pcap(ng)?$/, '');
  const list = path.join(corpus, `${stem}.expected.TESTLIST.txt`);
  if (stem === r.path || !fs.existsSync(list)) continue;
  const tests = readTestList(list).filter((t) => fs.existsSync(path.join(corpus, `${stem}.expected.${t.output}`)));
  if (!tests.length) continue;
  const full = tests.filter((t) => !isPartial(t));
  // Primary output: no filter/skip/count/sampling, preferably without -v/-e, then the fewest options.
  const primary = full.slice().sort((x, y) => isVerboseOrLink(x) - isVerboseOrLink(y) || x.opts.length - y.opts.length)[0] ?? null;
  jobs.push({ capture: r.path, stem, tests, primary });
}
if (!jobs.length) {
  console.log(`SKIP: no tcpdump test outputs (*.expected.TESTLIST.txt) in ${corpus}`);
  process.exit(SKIP);
}

// ---- comparison --------------------------------------------------------------------------------

const STORAGE = makeStorage();
const print = orderedPrinter();
const agree = Object.fromEntries(METRICS.map((m) => [m, 0]));
let compared = 0, passed = 0, failed = 0, nOutputs = 0, nFiltered = 0, nTuples = 0;
const primaries = [];

const ep = (e) => `${e.addr}:${e.port}`;
const sortedPair = (x, y) => [x, y].sort().join('<->');

async function compareOne(job) {
  const name = STORAGE.add(corpus, job.capture);
  const [sum, conv] = await Promise.all([
    callOurs(server, STORAGE, name, { analysis_type: 'summary' }),
    ourConversations(server, STORAGE, name, ['tcp', 'udp', 'ip']),
  ]);
  const total = sum.summary.packets;
  const diffs = Object.fromEntries(METRICS.map((m) => [m, []]));

  // Frames of every output.
  for (const t of job.tests) {
    nOutputs++;
    const frames = readFrames(path.join(corpus, `${job.stem}.expected.${t.output}`));
    const nums = frames.map((f) => f.num);
    if (t.filter !== null) {
      nFiltered++;
      const f = await callOurs(server, STORAGE, name, { analysis_type: 'summary', bpf_filter: t.filter });
      if (f.summary.packets !== nums.length)
        diffs['tcpdump.frames'].push({ key: `filter ${t.filter}`, text: `${t.output} (filter '${t.filter}'): ${f.summary.packets} frames in ours vs ${nums.length}` });
      continue;
    }
    const s = selection(t.opts);
    const want = [];
    for (let n = s.skip + 1; n <= total && want.length < s.count; n++) if (n % s.sampling === 0) want.push(n);
    if (want.join() !== nums.join()) {
      const show = (l) => (l.length ? `${l.length} frames (${l[0]}..${l[l.length - 1]})` : 'no frames');
      let i = 0;
      while (i < want.length && want[i] === nums[i]) i++;
      const at = `first difference: ${want[i] ?? 'none'} vs ${nums[i] ?? 'none'}`;
      diffs['tcpdump.frames'].push({ key: t.output, text: `${t.output}: ours implies ${show(want)}, tcpdump printed ${show(nums)}; ${at}` });
    }
  }

  // Tuples and per-direction frame counts of the primary output.
  if (job.primary) {
    const frames = readFrames(path.join(corpus, `${job.stem}.expected.${job.primary.output}`));
    const tdPorts = new Map(); // "src:port>dst:port" directed -> frames
    const tdAddrs = new Map(); // "src>dst" -> frames
    const pairsPorts = new Map(); // sorted pair -> [endpoint x, endpoint y]
    const pairsAddrs = new Map();
    for (const f of frames) {
      const dp = new Set(), da = new Set();
      for (const { a, b } of framePairs(f)) {
        da.add(`${a.addr}>${b.addr}`);
        pairsAddrs.set(`ip ${sortedPair(a.addr, b.addr)}`, [a.addr, b.addr]);
        if (a.port !== null) {
          dp.add(`${ep(a)}>${ep(b)}`);
          pairsPorts.set(sortedPair(ep(a), ep(b)), [ep(a), ep(b)]);
        }
      }
      for (const k of dp) tdPorts.set(k, (tdPorts.get(k) ?? 0) + 1);
      for (const k of da) tdAddrs.set(k, (tdAddrs.get(k) ?? 0) + 1);
    }
    // Tuples without ports: the address pairs printed with no ports on some frame.
    const portless = new Set();
    for (const f of frames) for (const { a, b } of framePairs(f)) if (a.port === null) portless.add(`ip ${sortedPair(a.addr, b.addr)}`);

    // Ours, per directed pair.
    const ourPorts = new Map(), ourAddrs = new Map();
    const add = (m, k, n) => m.set(k, (m.get(k) ?? 0) + n);
    const ourPairs = new Set(), ourIpPairs = new Set();
    for (const proto of ['tcp', 'udp'])
      for (const c of conv[proto]) {
        const a = `${canonAddr(c.address_a)}:${c.port_a}`, b = `${canonAddr(c.address_b)}:${c.port_b}`;
        ourPairs.add(sortedPair(a, b));
        add(ourPorts, `${a}>${b}`, c.packets_a_to_b);
        add(ourPorts, `${b}>${a}`, c.packets_b_to_a);
      }
    for (const c of conv.ip) {
      const a = canonAddr(c.address_a), b = canonAddr(c.address_b);
      ourIpPairs.add(`ip ${sortedPair(a, b)}`);
      add(ourAddrs, `${a}>${b}`, c.packets_a_to_b);
      add(ourAddrs, `${b}>${a}`, c.packets_b_to_a);
    }

    for (const [k] of pairsPorts) {
      nTuples++;
      if (!ourPairs.has(k)) diffs['tcpdump.tuples'].push({ key: k, text: `${k} not among our TCP/UDP conversations` });
    }
    for (const k of portless) {
      nTuples++;
      if (!ourIpPairs.has(k)) diffs['tcpdump.tuples'].push({ key: k, text: `${k} not among our IP conversations` });
    }
    const cmpCounts = (pairs, td, ours) => {
      for (const [k, [x, y]] of pairs) {
        const bad = [];
        for (const [s, d] of [[x, y], [y, x]]) {
          const tv = td.get(`${s}>${d}`) ?? 0, ov = ours.get(`${s}>${d}`) ?? 0;
          if (tv !== ov) bad.push(`pkts ${s}-> ${ov} vs ${tv}`);
        }
        if (bad.length) diffs['tcpdump.pkts'].push({ key: k, text: `${k}: ${bad.join(', ')}` });
      }
    };
    cmpCounts(pairsPorts, tdPorts, ourPorts);
    cmpCounts(pairsAddrs, tdAddrs, ourAddrs);
  }
  return Object.entries(diffs).filter(([, items]) => items.length).map(([metric, items]) => ({ metric, items }));
}

await pool(jobs, Math.max(2, os.availableParallelism ? os.availableParallelism() : os.cpus().length), async (job, idx) => {
  const label = `${job.capture}${job.primary ? ` (${job.primary.output})` : ''}`;
  const out = [];
  try {
    let diffs;
    try {
      diffs = await compareOne(job);
    } catch (e) {
      diffs = [{ metric: 'tcpdump.read', items: [{ key: 'read', text: `ours failed: ${e.message}` }] }];
    }
    compared++;
    if (job.primary) primaries.push(`${job.stem}.expected.${job.primary.output}`);
    const differing = new Set(diffs.map((d) => d.metric));
    for (const m of METRICS) if (!differing.has(m) && !differing.has('tcpdump.read')) agree[m]++;
    const { unexplained, known: explained, stale } = applyKnown(diffs, (known[job.capture] ?? []).filter((e) => e.metric.startsWith('tcpdump.')));
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
console.log(`captures compared: ${compared} (${nOutputs} tcpdump outputs, ${nFiltered} with a filter expression)`);
for (const m of METRICS) console.log(`  ${m.padEnd(14)} ${agree[m]}/${compared} agree`);
console.log(`  (${nTuples} distinct tuples checked, from the primary outputs: ${primaries.sort().map((p) => path.basename(p).replace(/^.*\.expected\./, '')).join(' ')})`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
