// Our display filters against tshark 4.0's: for every filter of dfilters.txt, the set of
// frame numbers it matches must equal `tshark -r F -Y FILTER -T fields -e frame.number`.
// F is one capture made of the corpus's small Ethernet captures that tshark reads, joined
// with `mergecap -a` (one tshark start per filter, not per filter and file). Our side runs
// every filter in one pass (pa-dfilter). Deliberate differences are listed in
// known_differences.json under "dfilter" (filter -> reason).
//
// Usage: node compare_dfilter.mjs DFILTER_BIN [CORPUS_DIR]   (DFILTER_BIN: tests' pa-dfilter)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HERE, SKIP, parseArgs, available, run, readManifest, readKnown, pool } from './common.mjs';

const { server: bin, corpus } = parseArgs(process.argv, 'compare_dfilter.mjs DFILTER_BIN');
if (!(await available('tshark', ['-v'])) || !(await available('mergecap', ['-h']))) {
  console.log('SKIP: tshark or mergecap not found');
  process.exit(SKIP);
}
const filters = fs.readFileSync(path.join(HERE, 'dfilters.txt'), 'utf8').split('\n')
  .map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
const known = Object.fromEntries((readKnown().dfilter ?? []).map((e) => [e.metric, e.reason]));

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-dfilter-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));
const files = readManifest(corpus)
  .filter((r) => r.tshark_status === 'ok' && /^Ethernet/.test(r['link_type(s)']) && +r.size_bytes < 1500000)
  .map((r) => path.join(corpus, r.path));
// captures made by the tests for fields the corpus lacks (FTP), appended after the corpus's
files.push(...(process.env.PA_DFILTER_EXTRA ?? '').split(':').filter((f) => f && fs.existsSync(f)));
const merged = path.join(tmp, 'merged.pcapng');
const m = await run('mergecap', ['-a', '-F', 'pcapng', '-w', merged, ...files]);
if (m.code !== 0) {
  console.log(`mergecap failed: ${m.stderr}`);
  process.exit(1);
}
const list = path.join(tmp, 'filters.txt');
fs.writeFileSync(list, filters.join('\n') + '\n');
const o = await run(bin, [merged, list]);
if (o.code !== 0) {
  console.log(`pa-dfilter failed: ${o.stderr}`);
  process.exit(1);
}
const ours = new Map();
for (const line of o.stdout.split('\n')) {
  const tab = line.indexOf('\t');
  if (tab > 0) ours.set(line.slice(0, tab), line.slice(tab + 1));
}

let agree = 0, failed = 0, excused = 0, matched = 0;
const lines = [];
await pool(filters, 2, async (f, i) => {
  const t = await run('tshark', ['-r', merged, '-Y', f, '-T', 'fields', '-e', 'frame.number']);
  const mine = ours.get(f) ?? 'ERROR no output';
  let text;
  if (t.code !== 0) {
    text = `DIFF ${f}: tshark rejects it: ${t.stderr.trim().split('\n')[0]}`;
  } else if (mine.startsWith('ERROR')) {
    text = `DIFF ${f}: ours rejects it: ${mine.slice(6)}`;
  } else {
    const a = new Set(mine.split(' ').filter(Boolean).map(Number));
    const b = new Set(t.stdout.split('\n').filter(Boolean).map(Number));
    const onlyOurs = [...a].filter((x) => !b.has(x)), onlyTheirs = [...b].filter((x) => !a.has(x));
    if (!onlyOurs.length && !onlyTheirs.length) {
      agree++;
      if (b.size) matched++;
      lines[i] = `ok   ${f} (${b.size} frames)`;
      return;
    }
    text = `DIFF ${f}: ${a.size} vs tshark ${b.size}; only ours: ${onlyOurs.slice(0, 8).join(' ')}${onlyOurs.length > 8 ? ' ...' : ''}; only tshark: ${onlyTheirs.slice(0, 8).join(' ')}${onlyTheirs.length > 8 ? ' ...' : ''}`;
  }
  if (known[f]) {
    excused++;
    lines[i] = `known ${f}: ${known[f]}`;
  } else {
    failed++;
    lines[i] = text;
  }
});
for (const l of lines) console.log(l);
console.log(`\n${filters.length} filters on ${files.length} captures joined: ${agree} agree (${matched} of them match frames), ${excused} known differences, ${failed} differ`);
process.exit(failed ? 1 : 0);
