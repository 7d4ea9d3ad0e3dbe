// Shared helpers for the corpus comparisons (compare_tshark.mjs, compare_zeek.mjs).
// Plain Node 20, no dependencies.

import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const SKIP = 77;

/** Command line: SERVER_BIN [CORPUS_DIR]. The corpus defaults to ../shared/corpus beside the
 *  repository (three levels up from this directory, then shared/corpus). */
export function parseArgs(argv, usage) {
  const args = argv.slice(2);
  if (args.length < 1 || args.length > 2 || args[0].startsWith('-')) {
    process.stderr.write(`usage: ${usage} SERVER_BIN [CORPUS_DIR]\n`);
    process.exit(2);
  }
  const server = path.resolve(args[0]);
  const corpus = path.resolve(args[1] ?? path.join(HERE, '..', '..', '..', 'shared', 'corpus'));
  if (!fs.existsSync(server)) {
    process.stderr.write(`server binary not found: ${server}\n`);
    process.exit(2);
  }
  if (!fs.existsSync(path.join(corpus, 'MANIFEST.tsv'))) {
    console.log(`SKIP: no corpus at ${corpus} (MANIFEST.tsv missing)`);
    process.exit(SKIP);
  }
  return { server, corpus };
}

/** MANIFEST.tsv rows as objects keyed by the header's column names. */
export function readManifest(corpus) {
  const lines = fs.readFileSync(path.join(corpus, 'MANIFEST.tsv'), 'utf8').split('\n').filter((l) => l.length);
  const head = lines[0].split('\t');
  return lines.slice(1).map((l) => {
    const cells = l.split('\t');
    const row = {};
    head.forEach((h, i) => (row[h] = cells[i] ?? ''));
    return row;
  });
}

/** known_differences.json: { "corpus/path": [ {metric, reason, items?}, ... ] }. */
export function readKnown() {
  const f = path.join(HERE, 'known_differences.json');
  if (!fs.existsSync(f)) return {};
  const k = JSON.parse(fs.readFileSync(f, 'utf8'));
  for (const [file, list] of Object.entries(k)) {
    if (file.startsWith('_')) continue; // comments
    if (!Array.isArray(list)) throw new Error(`known_differences.json: ${file}: not an array`);
    for (const e of list)
      if (typeof e.metric !== 'string' || typeof e.reason !== 'string' || !e.reason.trim())
        throw new Error(`known_differences.json: ${file}: every entry needs a metric and a reason`);
  }
  return k;
}

// ---- child processes, at most `cpus` at a time -------------------------------------------
const slots = Math.max(2, os.availableParallelism ? os.availableParallelism() : os.cpus().length);
let running = 0;
const waiting = [];
async function acquire() {
  if (running < slots) return void running++;
  await new Promise((r) => waiting.push(r));
}
function release() {
  const next = waiting.shift();
  if (next) next();
  else running--;
}

// ---- the oracles' answers, cached ------------------------------------------------------
// tshark and capinfos answer the same question the same way every time, and `scripts/test`
// asks each question twice (the release and the sanitizer suites), so their outputs are kept
// under build/oracle-cache, keyed by the program's version, its arguments with every file
// argument replaced by the file's content hash, and TZ. Only our side runs twice. PA_ORACLE_CACHE
// moves the cache; PA_ORACLE_CACHE=off turns it off.
const ORACLES = new Set(['tshark', 'capinfos']);
const cacheDir = process.env.PA_ORACLE_CACHE === 'off' ? null
  : (process.env.PA_ORACLE_CACHE || path.join(HERE, '..', '..', 'build', 'oracle-cache'));
const versions = new Map();
const fileHashes = new Map();
function oracleVersion(cmd) {
  if (!versions.has(cmd)) {
    const r = spawnSync(cmd, [cmd.endsWith('capinfos') ? '-h' : '-v'], { encoding: 'utf8' });
    versions.set(cmd, r.status === 0 || r.stdout ? String(r.stdout).split('\n')[0] : null);
  }
  return versions.get(cmd);
}
function fileHash(p) {
  let st;
  try {
    st = fs.statSync(p);
  } catch {
    return null;
  }
  if (!st.isFile()) return null;
  const memo = `${p}\0${st.size}\0${st.mtimeMs}\0${st.ino}`;
  if (!fileHashes.has(memo)) fileHashes.set(memo, crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex'));
  return fileHashes.get(memo);
}
function oracleKey(cmd, args, env) {
  if (!cacheDir || !ORACLES.has(path.basename(cmd))) return null;
  const version = oracleVersion(cmd);
  if (!version) return null;
  const parts = [path.basename(cmd), version, (env ?? process.env).TZ ?? ''];
  for (const a of args) parts.push(typeof a === 'string' && a.startsWith('/') || a.includes(path.sep) ? (fileHash(a) ?? a) : a);
  return crypto.createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/** Runs a program; resolves to {code, stdout, stderr} (never rejects; code -1 if it could not run).
 *  An oracle's successful answers come from the cache above when it holds them. */
export async function run(cmd, args, env) {
  const key = oracleKey(cmd, args, env);
  const file = key && path.join(cacheDir, key.slice(0, 2), `${key}.json`);
  if (file && fs.existsSync(file)) {
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch {
      // a torn entry: ask again
    }
  }
  const r = await runNow(cmd, args, env);
  if (file && r.code === 0) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ code: r.code, stdout: r.stdout, stderr: r.stderr }));
    fs.renameSync(tmp, file);
  }
  return r;
}

async function runNow(cmd, args, env) {
  await acquire();
  try {
    return await new Promise((resolve) => {
      let out = [], err = [];
      let child;
      try {
        child = spawn(cmd, args, { env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (e) {
        resolve({ code: -1, stdout: '', stderr: String(e) });
        return;
      }
      child.stdout.on('data', (d) => out.push(d));
      child.stderr.on('data', (d) => err.push(d));
      child.on('error', (e) => resolve({ code: -1, stdout: '', stderr: String(e) }));
      child.on('close', (code, sig) =>
        resolve({ code: code ?? -1, sig, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    });
  } finally {
    release();
  }
}

/** Whether a program can be started (e.g. tshark -v). */
export async function available(cmd, args) {
  const r = await run(cmd, args);
  return r.code === 0;
}

// ---- our server ---------------------------------------------------------------------------

/** A private storage directory holding a hard link (or a copy) of each capture. The names are
 *  the corpus paths with '/' turned into '__', so they stay unique. */
export function makeStorage() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pcap-corpus-cmp-'));
  const store = path.join(root, 'captures');
  const scratch = path.join(root, 'scratch');
  fs.mkdirSync(store);
  fs.mkdirSync(scratch);
  const cleanup = () => fs.rmSync(root, { recursive: true, force: true });
  process.on('exit', cleanup);
  for (const sig of ['SIGINT', 'SIGTERM'])
    process.on(sig, () => {
      cleanup();
      process.exit(130);
    });
  return {
    store,
    scratch,
    add(corpus, rel) {
      const name = rel.replace(/\//g, '__');
      const dst = path.join(store, name);
      try {
        fs.linkSync(path.join(corpus, rel), dst);
      } catch {
        fs.copyFileSync(path.join(corpus, rel), dst);
      }
      return name;
    },
  };
}

/** One analyze_pcap_file call; returns structuredContent or throws with the server's message. */
export async function callOurs(server, storage, name, extra, tool = 'analyze_pcap_file') {
  const args = JSON.stringify({ pcap_file: name, ...extra });
  // The comparisons check numbers over whole lists: the byte budget a model
  // reads within (docs/RESULTS.md; checked by answers.mjs) is raised for them.
  const env = { ...process.env, PCAP_STORAGE_PATH: storage.store, ANALYSIS_TEMP_DIR: storage.scratch,
    PCAP_MCP_TEXT_BUDGET: '8MB', PCAP_MCP_RESULT_BUDGET: '16MB' };
  const r = await run(server, ['call', tool, args, '--json'], env);
  let res;
  try {
    res = JSON.parse(r.stdout);
  } catch {
    throw new Error(`server exit ${r.code}: ${(r.stderr || r.stdout).trim().split('\n')[0]}`);
  }
  if (res.isError || !res.structuredContent) {
    const msg = res.content?.map((c) => c.text).join(' ') ?? 'no structuredContent';
    throw new Error(`server error: ${msg.trim().split('\n')[0]}`);
  }
  return res.structuredContent;
}

/** All conversations of every kind: {tcp: [...], udp: [...], ...}, paging past the 1000 limit. */
export async function ourConversations(server, storage, name, kinds) {
  const out = {};
  for (const kind of kinds) {
    out[kind] = [];
    for (let offset = 0; ; ) {
      const sc = await callOurs(server, storage, name, {
        analysis_type: 'conversations', conversation_type: kind, limit: 1000, offset,
      });
      const c = sc.conversations?.[kind];
      if (!c) throw new Error(`no conversations.${kind} in the result`);
      out[kind].push(...c.items);
      offset += c.items.length;
      if (c.items.length === 0 || offset >= c.total) break;
    }
  }
  return out;
}

// ---- values -------------------------------------------------------------------------------

/** Canonical text of an address: IPv6 compressed and lower-case, others unchanged. */
export function canonAddr(a) {
  if (typeof a !== 'string') return String(a);
  if (!a.includes(':') || /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i.test(a)) return a.toLowerCase();
  try {
    return new URL(`http://[${a}]/`).hostname.slice(1, -1);
  } catch {
    return a.toLowerCase();
  }
}

/** Our ISO-8601 time ("2013-01-04T19:47:28.512314Z") as BigInt nanoseconds since the epoch. */
export function isoToNs(s) {
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?Z$/.exec(s ?? '');
  if (!m) return null;
  const secs = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) / 1000;
  return BigInt(secs) * 1000000000n + BigInt((m[7] ?? '').padEnd(9, '0') || '0');
}

/** An epoch time as printed by capinfos/tshark ("1357328848.512314", also the odd
 *  "1418145370.-2147483648" of an invalid nanosecond field, whose sign applies to the fraction,
 *  i.e. seconds plus a negative number of nanoseconds) as BigInt nanoseconds. */
export function epochToNs(s) {
  const m = /^(-?\d+)(?:\.(-?)(\d+))?$/.exec((s ?? '').trim());
  if (!m) return null;
  const sec = BigInt(m[1]);
  if (m[3] === undefined) return sec * 1000000000n;
  let frac;
  if (m[2] === '-') frac = -BigInt(m[3]); // raw nanosecond count
  else frac = m[3].length <= 9 ? BigInt(m[3].padEnd(9, '0')) : BigInt(m[3]); // >9 digits: raw count
  return sec * 1000000000n + (sec < 0n ? -frac : frac);
}

/** BigInt ns → "seconds.microseconds" (truncated to the microsecond). */
export function fmtUs(ns) {
  if (ns === null || ns === undefined) return 'none';
  const us = ns / 1000n - (ns % 1000n < 0n ? 1n : 0n);
  const neg = us < 0n;
  const a = neg ? -us : us;
  return `${neg ? '-' : ''}${a / 1000000n}.${String(a % 1000000n).padStart(6, '0')}`;
}

/** Prints results in manifest order as they finish, however they complete. */
export function orderedPrinter() {
  const done = new Map();
  let next = 0;
  return (i, text) => {
    done.set(i, text);
    while (done.has(next)) {
      const t = done.get(next);
      if (t) process.stdout.write(t.endsWith('\n') ? t : t + '\n');
      done.delete(next);
      next++;
    }
  };
}

/** Runs fn over items with a bounded number in flight. */
export async function pool(items, width, fn) {
  let i = 0;
  const workers = Array.from({ length: Math.min(width, items.length) }, async () => {
    while (i < items.length) {
      const k = i++;
      await fn(items[k], k);
    }
  });
  await Promise.all(workers);
}

/** Applies known_differences entries to a file's differences.
 *  diffs: [{metric, items: [{key, text}]}]. An entry {metric, reason, items?} explains a
 *  differing metric; with `items` (keys such as a hierarchy path or a conversation) it explains
 *  only those items, so a new difference in the same metric still fails.
 *  Returns {unexplained: [...diffs], known: [{metric, reason}], stale: [metric]}. */
export function applyKnown(diffs, entries) {
  const unexplained = [], known = [];
  const used = new Set();
  for (const d of diffs) {
    const es = (entries ?? []).filter((e) => e.metric === d.metric);
    if (!es.length) {
      unexplained.push(d);
      continue;
    }
    const left = d.items.filter((it) => !es.some((e) => !e.items || e.items.includes(it.key)));
    for (const e of es)
      if (!e.items || d.items.some((it) => e.items.includes(it.key))) {
        used.add(e);
        known.push({ metric: d.metric, reason: e.reason });
      }
    if (left.length) unexplained.push({ ...d, items: left });
  }
  const stale = (entries ?? []).filter((e) => !used.has(e)).map((e) => e.metric);
  return { unexplained, known, stale };
}

/** "a; b; c (+N more)" with at most `max` items (all of them when CORPUS_CMP_VERBOSE is set). */
export function describe(d, max = process.env.CORPUS_CMP_VERBOSE ? Infinity : 3) {
  const shown = d.items.slice(0, max).map((it) => it.text);
  const more = d.items.length > max ? ` (+${d.items.length - max} more)` : '';
  return `${shown.join('; ')}${more}`;
}

/** A reason shortened for the one-line report (the whole text is in known_differences.json). */
export function clip(s, max = process.env.CORPUS_CMP_VERBOSE ? Infinity : 160) {
  return s.length <= max ? s : `${s.slice(0, max - 1)}\u2026`;
}

/**
 * The per-file loop of the frame-by-frame comparisons (compare_dns, compare_http): for each
 * corpus capture, theirs(file) and ours(file) (null when that side cannot read it), then
 * diff(theirs, ours, row) → {metric: [{key, text}]}. Differences listed in known_differences.json
 * are excused; one line per file, then agreement per metric. Returns the exit code.
 */
export async function compareFrames({ corpus, metrics, theirs, ours, diff, summary }) {
  const known = readKnown();
  const rows = readManifest(corpus);
  const print = orderedPrinter();
  const agree = Object.fromEntries(metrics.map((m) => [m, 0]));
  let passed = 0, failed = 0, compared = 0;
  await pool(rows, 2, async (row, i) => {
    const file = path.join(corpus, row.path);
    const [t, o] = await Promise.all([theirs(file), ours(file)]);
    if (!t) return print(i, `skip ${row.path}: the reference tool cannot read it`);
    if (!o) {
      if ((known[row.path] ?? []).some((e) => e.metric === 'read')) {
        passed++;
        return print(i, `known ${row.path}: read`);
      }
      failed++;
      return print(i, `DIFF ${row.path}: our analysis failed`);
    }
    compared++;
    const diffs = diff(t, o, row);
    for (const m of metrics) if (!diffs[m]?.length) agree[m]++;
    const list = Object.entries(diffs).filter(([, it]) => it.length).map(([metric, items]) => ({ metric, items }));
    const { unexplained, known: explained } = applyKnown(list, known[row.path]);
    if (unexplained.length) {
      failed++;
      print(i, `DIFF ${row.path}: ${unexplained.map((x) => `${x.metric}: ${describe(x)}`).join(' | ')}`);
    } else {
      passed++;
      print(i, explained.length ? `known ${row.path}: ${[...new Set(explained.map((k) => clip(`${k.metric}: ${k.reason}`)))].join('; ')}` : `ok ${row.path}`);
    }
  });
  console.log(`\nfiles compared: ${compared}${summary ? `, ${summary()}` : ''}`);
  for (const m of metrics) console.log(`  ${m.padEnd(15)} ${agree[m]}/${compared} agree`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

/** Rows (objects keyed by the #fields names, plus `file`) of the Zeek logs named
 * CAPTURE.expected.*<suffix> beside a capture of the corpus. */
export function zeekLogRows(corpus, capturePath, suffix) {
  const dir = path.join(corpus, path.dirname(capturePath));
  const stem = path.basename(capturePath).replace(/\.pcap(ng)?$/, '');
  const out = [];
  for (const f of fs.readdirSync(dir)) {
    if (!f.startsWith(`${stem}.expected.`) || !f.endsWith(suffix)) continue;
    let fields = null;
    for (const line of fs.readFileSync(path.join(dir, f), 'utf8').split('\n')) {
      if (line.startsWith('#fields')) fields = line.split('\t').slice(1);
      if (!fields || !line || line.startsWith('#')) continue;
      out.push({ ...Object.fromEntries(line.split('\t').map((v, i) => [fields[i], v])), file: f });
    }
  }
  return out;
}

/** tshark options for the application-layer comparisons: reassemble TCP segments that arrive
 * out of order, as our byte streams do (tshark 4.0's default gives up on a PDU whose segments
 * come out of order, so it misses messages on lossy, reordering paths). */
// The two corpora beside the project (../shared/corpus-real and ../shared/corpus), or the
// directories given; exits with SKIP when tshark is not installed.
export async function corporaWithTshark(realArg, corpusArg) {
  const shared = path.join(HERE, '..', '..', '..', 'shared');
  const real = path.resolve(realArg ?? path.join(shared, 'corpus-real'));
  const corpus = path.resolve(corpusArg ?? path.join(shared, 'corpus'));
  if ((await run('tshark', ['-v'])).code !== 0) {
    console.log('SKIP: tshark not installed');
    process.exit(SKIP);
  }
  return { real, corpus };
}

export const TSHARK_STREAMS = ['-o', 'tcp.reassemble_out_of_order:TRUE'];

/** Per frame, the values of display-filter fields with tshark's (`tshark -T fields -E occurrence=a`,
 *  plus tsharkArgs) and ours (the test helper pa-dfield-values): on every frame where either side has a
 *  value, each field's values must be equal (hex integers read as numbers; same(field, theirs, ours,
 *  malformed) decides, exact by default, null to leave the value out; malformed: tshark marked the frame
 *  malformed, asked only with `malformed: true`). Frames holding an ICMP error are left out: tshark
 *  dissects the datagram the error quotes, we do not. Prints each file's verdict, the first differences
 *  and a line per field; returns { seen: files read, diffs: values that differ }. */
export async function compareFieldValues({ bin, files, fields, tsharkArgs = [], same = (f, a, b) => a === b,
  malformed = false }) {
  const norm = (v) => v.split(',').filter((x) => x !== '').map((x) => (/^0x[0-9a-f]+$/i.test(x) ? String(BigInt(x)) : x)).join(',');
  const rows = (text, skip) => {
    const m = new Map();
    for (const line of text.split('\n')) {
      if (!line) continue;
      const cells = line.split('\t');
      if (skip && skip(cells)) continue;
      const vals = cells.slice(skip ? 2 : 1).map(norm);
      if (vals.some((v) => v !== '')) m.set(Number(cells[0]), vals);
    }
    return m;
  };
  const agree = fields.map(() => ({ frames: 0, equal: 0 }));
  let seen = 0, diffs = 0;
  for (const file of files) {
    const name = path.basename(file);
    if (!fs.existsSync(file)) continue;
    seen++;
    const t = await run('tshark', [...tsharkArgs, '-r', file, '-T', 'fields', '-E', 'occurrence=a', '-e', 'frame.number',
      '-e', 'frame.protocols', ...fields.flatMap((f) => ['-e', f])]);
    const o = await run(bin, [file, ...fields]);
    if (t.code !== 0 || o.code !== 0) {
      console.log(`FAIL ${name}: tshark ${t.code}, ours ${o.code} ${o.stderr.trim()}`);
      diffs++;
      continue;
    }
    const icmp = new Set(), bad_frames = new Set();
    if (malformed) {
      const m = await run('tshark', [...tsharkArgs, '-r', file, '-Y', '_ws.malformed', '-T', 'fields', '-e', 'frame.number']);
      for (const n of m.stdout.split('\n').filter(Boolean)) bad_frames.add(Number(n));
    }
    const theirs = rows(t.stdout, (c) => {
      if (/:icmp(v6)?(:|$)/.test(c[1])) icmp.add(Number(c[0]));
      return false;
    });
    const ours = rows(o.stdout);
    const frames = [...new Set([...theirs.keys(), ...ours.keys()])].filter((f) => !icmp.has(f)).sort((a, b) => a - b);
    let bad = 0;
    for (const f of frames) {
      const a = theirs.get(f) ?? [], b = ours.get(f) ?? [];
      fields.forEach((field, i) => {
        const x = a[i] ?? '', y = b[i] ?? '';
        if (x === '' && y === '') return;
        const verdict = same(field, x, y, bad_frames.has(f));
        if (verdict === null) return;
        agree[i].frames++;
        if (verdict) agree[i].equal++;
        else if (bad++ < 8) console.log(`  ${name} frame ${f} ${field}: tshark "${x}", ours "${y}"`);
      });
    }
    diffs += bad;
    console.log(`${bad ? 'FAIL' : 'ok'} ${name}: ${frames.length} frames, ${bad} values differ`);
  }
  if (seen) for (let i = 0; i < fields.length; i++) console.log(`  ${fields[i]}: ${agree[i].equal}/${agree[i].frames} frames equal`);
  return { seen, diffs };
}
