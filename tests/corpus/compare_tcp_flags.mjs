// Our tcp.analysis flags against tshark 4.0's, frame for frame, on every corpus capture that
// tshark reads: for each flag the set of frames carrying it must be equal. Differences kept on
// purpose are listed in known_differences.json under metrics "tcp.<flag>".
//
// Usage: node compare_tcp_flags.mjs FLAGS_BIN [CORPUS_DIR]
//   FLAGS_BIN is tests' pa-tcp-flags (prints "FLAG FRAME" lines for one capture).
import path from 'node:path';
import { parseArgs, readManifest, readKnown, run, available, orderedPrinter, pool, applyKnown,
  describe, clip, SKIP } from './common.mjs';

const FLAGS = ['retransmission', 'fast_retransmission', 'spurious_retransmission', 'out_of_order',
  'lost_segment', 'ack_lost_segment', 'duplicate_ack', 'zero_window', 'zero_window_probe',
  'zero_window_probe_ack', 'window_full', 'window_update', 'keep_alive', 'keep_alive_ack', 'reused_ports'];

const { server: flagsBin, corpus } = parseArgs(process.argv, 'compare_tcp_flags.mjs FLAGS_BIN');
if (!(await available('tshark', ['-v']))) {
  console.log('SKIP: tshark not found');
  process.exit(SKIP);
}
const known = readKnown();
const rows = readManifest(corpus).filter((r) => r.tshark_status !== 'tshark cannot read');
const print = orderedPrinter();
const agree = Object.fromEntries(FLAGS.map((f) => [f, 0]).concat([['acks_frame', 0], ['bytes_in_flight', 0]]));
const totals = Object.fromEntries(FLAGS.map((f) => [f, 0]).concat([['acks_frame', 0], ['bytes_in_flight', 0]]));
let passed = 0, failed = 0, compared = 0;

async function tsharkFlags(file) {
  const args = ['-r', file, '-Y', 'tcp.analysis.flags', '-T', 'fields', '-e', 'frame.number',
    ...FLAGS.flatMap((f) => ['-e', `tcp.analysis.${f}`])];
  const r = await run('tshark', args);
  if (r.code !== 0) return null;
  const sets = Object.fromEntries(FLAGS.map((f) => [f, new Set()]));
  for (const line of r.stdout.split('\n')) {
    if (!line) continue;
    const cells = line.split('\t');
    FLAGS.forEach((f, i) => {
      if (cells[i + 1]) sets[f].add(+cells[0]);
    });
  }
  return sets;
}

// Values printed on frames whether or not a flag is set: "FRAME=VALUE" strings.
const VALUES = ['acks_frame', 'bytes_in_flight'];

async function tsharkValues(file) {
  const r = await run('tshark', ['-r', file, '-Y', 'tcp.analysis.acks_frame || tcp.analysis.bytes_in_flight',
    '-T', 'fields', '-e', 'frame.number', ...VALUES.flatMap((v) => ['-e', `tcp.analysis.${v}`])]);
  if (r.code !== 0) return null;
  const sets = Object.fromEntries(VALUES.map((v) => [v, new Set()]));
  for (const line of r.stdout.split('\n')) {
    if (!line) continue;
    const cells = line.split('\t');
    VALUES.forEach((v, i) => {
      if (cells[i + 1]) sets[v].add(`${cells[0]}=${cells[i + 1]}`);
    });
  }
  return sets;
}

async function ourFlags(file) {
  const r = await run(flagsBin, [file]);
  const sets = Object.fromEntries([...FLAGS, ...VALUES].map((f) => [f, new Set()]));
  for (const line of r.stdout.split('\n')) {
    const [f, n, v] = line.split(' ');
    if (/^(dns|dnsq|http_\w+|tls_\w+)$/.test(f)) continue; // compare_dns/http/tls.mjs read these
    if (VALUES.includes(f)) sets[f].add(`${n}=${v}`);
    else if (sets[f]) sets[f].add(+n);
  }
  return r.code === 0 ? sets : null;
}

await pool(rows, 2, async (row, i) => {
  const file = path.join(corpus, row.path);
  const [theirs, ours, values] = await Promise.all([tsharkFlags(file), ourFlags(file), tsharkValues(file)]);
  if (theirs && values) Object.assign(theirs, values);
  if (!theirs) return print(i, `skip ${row.path}: tshark cannot read it`);
  if (!ours) {
    const why = (known[row.path] ?? []).find((e) => e.metric === 'read');
    if (why) {
      passed++;
      return print(i, `known ${row.path}: read: ${clip(why.reason)}`);
    }
    failed++;
    return print(i, `DIFF ${row.path}: our analysis failed`);
  }
  compared++;
  const diffs = [];
  for (const f of [...FLAGS, ...VALUES]) {
    totals[f] += theirs[f].size;
    const missing = [...theirs[f]].filter((n) => !ours[f].has(n));
    const extra = [...ours[f]].filter((n) => !theirs[f].has(n));
    if (!missing.length && !extra.length) {
      agree[f]++;
      continue;
    }
    const items = [
      ...missing.map((n) => ({ key: `${n}`, text: `${n} missing` })),
      ...extra.map((n) => ({ key: `${n}`, text: `${n} extra` })),
    ];
    diffs.push({ metric: `tcp.${f}`, items });
  }
  const { unexplained, known: explained } = applyKnown(diffs, known[row.path]);
  if (unexplained.length) {
    failed++;
    print(i, `DIFF ${row.path}: ${unexplained.map((d) => `${d.metric}: ${describe(d)}`).join(' | ')}`);
  } else {
    passed++;
    print(i, explained.length ? `known ${row.path}: ${[...new Set(explained.map((k) => clip(`${k.metric}: ${k.reason}`)))].join('; ')}` : `ok ${row.path}`);
  }
});

console.log(`\nfiles compared: ${compared}`);
for (const f of Object.keys(agree)) console.log(`  ${f.padEnd(24)} ${agree[f]}/${compared} agree (tshark: ${totals[f]} frames)`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
