// Our FTP control-channel view against tshark 4.0's, on every capture of the corpora that
// carries FTP and on the generated captures (tests/support/ftp_scenarios.c):
//  - ftp.frames: frame for frame, what Wireshark's FTP dissector shows of each segment's first
//    line: direction (ftp.request), ftp.request.command, ftp.request.arg, ftp.response.code,
//    ftp.response.arg;
//  - ftp.pairs: each command's first final reply (2xx-5xx; 1xx are preliminary; a first 220,
//    120 or 421 is the greeting), derived from tshark's frames with the same rule, against the
//    pairs our engine made (command frame -> the frame where the reply began, and its code);
//    a capture's MANIFEST row may say ftp_pairs=no when its lines share or straddle segments
//    (tshark then shows only each segment's first line, so its frames cannot give the pairs);
//  - ftp.time: tshark 4.0 has no field for command -> reply time (ftp.command-response.* time
//    the data transfers), so our time is checked against tshark's timestamps of the command
//    frame and of the frame that completed the reply, to the microsecond.
//  - ftp-data.frames: frame for frame, which segments are ftp-data (a data connection the control
//    channel announced: 227, 229, PORT; bytes already seen are not, as tshark's TCP hands them to
//    no dissector) and their ftp-data.setup-frame, setup-method, command-frame, command and
//    current-working-directory; a frame tshark names ftp-data without a setup-method is one only
//    its port-20 registration names (an EPRT transfer: tshark 4.0's EPRT conversation never
//    matches), where only the name is compared;
//  - ftp-data.transfers: per command that opened a data connection, tshark's (two-pass)
//    ftp.command-response.frames, bytes, first and last frame, duration and bitrate against our
//    transfer's (EPRT transfers are not linked by tshark and are left out).
//
// Usage: node compare_ftp.mjs FLAGS_BIN [DIR...]   (FLAGS_BIN: tests' pa-tcp-flags; DIRs hold a
// MANIFEST.tsv; default ../shared/corpus and ../shared/corpus-real)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HERE, SKIP, run, available, compareFrames, readManifest } from './common.mjs';

const args = process.argv.slice(2);
if (args.length < 1) {
  process.stderr.write('usage: compare_ftp.mjs FLAGS_BIN [DIR...]\n');
  process.exit(2);
}
const bin = path.resolve(args[0]);
const shared = path.join(HERE, '..', '..', '..', 'shared');
const dirs = [path.join(shared, 'corpus'), path.join(shared, 'corpus-real'), ...args.slice(1).map((d) => path.resolve(d))]
  .filter((d) => fs.existsSync(path.join(d, 'MANIFEST.tsv')));
if (!(await available('tshark', ['-v']))) {
  console.log('SKIP: tshark not found');
  process.exit(SKIP);
}
if (!dirs.length) {
  console.log('SKIP: no corpus and no generated captures');
  process.exit(SKIP);
}
const METRICS = ['ftp.frames', 'ftp.pairs', 'ftp.time', 'ftp-data.frames', 'ftp-data.transfers'];
let nframes = 0, npairs = 0, nfiles = 0, ndata = 0, ntransfers = 0;

// Ours runs first: tshark is asked only about captures where it could see FTP, those with
// TCP payload on port 21 (its FTP port; our TCP decoding agrees with tshark's on the whole
// corpus, compare_tshark.mjs) or FTP of ours; the corpus has hundreds of captures.
const oursDone = new Map();
function oursOnce(file) {
  if (!oursDone.has(file)) oursDone.set(file, ours(file));
  return oursDone.get(file);
}

async function theirs(file) {
  const o = await oursOnce(file);
  if (o && !o.port21 && !o.frames.size)
    return { frames: new Map(), times: new Map(), pairs: new Map(), data: new Map(), transfers: new Map() };
  const r = await run('tshark', ['-r', file, '-Y', 'ftp', '-T', 'fields', '-E', 'occurrence=f',
    '-e', 'frame.number', '-e', 'tcp.stream', '-e', 'frame.time_epoch', '-e', 'ftp.request',
    '-e', 'ftp.request.command', '-e', 'ftp.request.arg', '-e', 'ftp.response.code', '-e', 'ftp.response.arg']);
  if (r.code !== 0) return null;
  const frames = new Map(), times = new Map(), byStream = new Map();
  for (const line of r.stdout.split('\n')) {
    if (!line) continue;
    const [frame, stream, epoch, req, cmd, rarg, code, sarg] = line.split('\t');
    const f = { req: req === '1', cmd: cmd || '-', code: code || '-', arg: (req === '1' ? rarg : sarg) || '-' };
    frames.set(+frame, f);
    times.set(+frame, epoch);
    if (!byStream.has(stream)) byStream.set(stream, []);
    byStream.get(stream).push({ frame: +frame, ...f });
  }
  // the pairs, by the rule the engine follows, from what tshark shows of each frame
  const pairs = new Map();
  for (const list of byStream.values()) {
    const queue = [];
    let greeted = false;
    for (const f of list) {
      if (f.req && f.cmd !== '-') queue.push(f.frame);
      if (f.req || f.code === '-') continue;
      const code = +f.code, first = !greeted;
      greeted = true;
      if (first && (code === 220 || code === 120 || code === 421)) continue;
      if (code < 200 || !queue.length) continue;
      pairs.set(queue.shift(), `${f.frame} ${code}`);
    }
    for (const c of queue) pairs.set(c, '-');
  }
  const data = new Map(), transfers = new Map();
  const d = await run('tshark', ['-r', file, '-Y', 'ftp-data', '-T', 'fields', '-E', 'occurrence=f',
    '-e', 'frame.number', '-e', 'ftp-data.setup-frame', '-e', 'ftp-data.setup-method', '-e', 'ftp-data.command-frame',
    '-e', 'ftp-data.current-working-directory', '-e', 'ftp-data.command']);
  if (d.code !== 0) return null;
  for (const line of d.stdout.split('\n')) {
    if (!line) continue;
    const [frame, setup, method, cframe, cwd, cmd] = line.split('\t');
    data.set(+frame, method ? `${setup} ${method} ${cframe || '-'} ${cwd || '-'} | ${cmd || '-'}` : 'port20');
  }
  const x = await run('tshark', ['-2', '-r', file, '-Y', 'ftp.command-response.frames', '-T', 'fields',
    '-e', 'frame.number', '-e', 'ftp.command-response.frames', '-e', 'ftp.command-response.bytes',
    '-e', 'ftp.command-response.first-frame-num', '-e', 'ftp.command-response.last-frame-num',
    '-e', 'ftp.command-response.duration', '-e', 'ftp.command-response.bitrate']);
  if (x.code !== 0) return null;
  for (const line of x.stdout.split('\n')) {
    if (!line) continue;
    const [frame, n, bytes, first, last, ms, kbps] = line.split('\t');
    transfers.set(+frame, `${n} ${bytes} ${first} ${last} ${ms || '-'} ${kbps || '-'}`);
  }
  return { frames, times, pairs, data, transfers };
}

async function ours(file) {
  const r = await run(bin, [file]);
  if (r.code !== 0) return null;
  const frames = new Map(), pairs = new Map(), tx = [], data = new Map(), transfers = new Map();
  let port21 = 0;
  for (const line of r.stdout.split('\n')) {
    const p = line.split(' ');
    if (p[0] === 'tcp21_payload') port21 = +p[1];
    if (p[0] === 'ftp_frame') frames.set(+p[1], { req: p[2] === 'req', cmd: p[3], code: p[4], arg: p.slice(5).join(' ') });
    if (p[0] === 'ftpd_frame') data.set(+p[1], p[3] === '-' ? 'port20' : p.slice(2).join(' '));
    if (p[0] === 'ftpd_tx' && p[2] !== '0')
      transfers.set(+p[2], { eprt: false, row: `${p[3]} ${p[4]} ${p[5]} ${p[6]} ${p[7]} ${p[8]}` });
    if (p[0] === 'ftp_tx') {
      pairs.set(+p[1], p[3] === '-' ? '-' : `${p[3]} ${p[5]}`);
      if (p[3] !== '-') tx.push({ cmd: +p[1], end: +p[4], ms: p[6] });
    }
  }
  return { frames, pairs, tx, port21, data, transfers };
}

/** Seconds since 1970 as tshark prints them, in microseconds (BigInt, no float rounding). */
function us(epoch) {
  const [s, frac = ''] = epoch.split('.');
  return BigInt(s) * 1000000n + BigInt((frac + '000000').slice(0, 6));
}

function diff(t, o, row) {
  if (!t.frames.size && !o.frames.size && !t.data.size && !o.data.size) return {};
  nfiles++;
  nframes += t.frames.size;
  const diffs = Object.fromEntries(METRICS.map((m) => [m, []]));
  const d = (m, key, text) => diffs[m].push({ key: `${key}`, text });
  const show = (f) => `${f.req ? 'request' : 'response'} ${f.cmd} ${f.code} ${f.arg}`;
  for (const [frame, tf] of t.frames) {
    const of = o.frames.get(frame);
    if (!of) d('ftp.frames', frame, `frame ${frame} missing (${show(tf)})`);
    else if (show(of) !== show(tf)) d('ftp.frames', frame, `frame ${frame}: ${show(of)} vs ${show(tf)}`);
  }
  for (const [frame, of] of o.frames) if (!t.frames.has(frame)) d('ftp.frames', frame, `frame ${frame} extra (${show(of)})`);
  if (row.ftp_pairs !== 'no') {
    npairs += t.pairs.size;
    for (const [cmd, tp] of t.pairs)
      if (o.pairs.get(cmd) !== tp) d('ftp.pairs', cmd, `command frame ${cmd}: ${o.pairs.get(cmd) ?? 'none'} vs ${tp}`);
    for (const cmd of o.pairs.keys()) if (!t.pairs.has(cmd)) d('ftp.pairs', cmd, `command frame ${cmd} extra`);
  }
  for (const x of o.tx) {
    const a = t.times.get(x.cmd), b = t.times.get(x.end);
    if (!a || !b) { d('ftp.time', x.cmd, `command frame ${x.cmd}: no tshark time for ${a ? x.end : x.cmd}`); continue; }
    const want = Number(us(b) - us(a)) / 1000;
    if (want.toFixed(3) !== (+x.ms).toFixed(3)) d('ftp.time', x.cmd, `command frame ${x.cmd}: ${x.ms} vs ${want} ms`);
  }
  ndata += t.data.size;
  for (const [frame, td] of t.data) {
    const od = o.data.get(frame);
    if (od === undefined) d('ftp-data.frames', frame, `frame ${frame} not ftp-data (${td})`);
    else if (od !== td) d('ftp-data.frames', frame, `frame ${frame}: ${od} vs ${td}`);
  }
  for (const frame of o.data.keys()) if (!t.data.has(frame)) d('ftp-data.frames', frame, `frame ${frame} extra ftp-data`);
  // our EPRT transfers are linked (tshark's are not: no setup-method on their frames)
  const eprt = new Set([...t.data].filter(([, v]) => v === 'port20').map(([f]) => f));
  for (const [cmd, tt] of t.transfers) {
    if (tt.startsWith('0 ')) continue; /* no data frame linked: tshark's EPRT */
    ntransfers++;
    const ot = o.transfers.get(cmd);
    if (!ot) d('ftp-data.transfers', cmd, `command frame ${cmd}: no transfer (${tt})`);
    else if (ot.row !== tt) d('ftp-data.transfers', cmd, `command frame ${cmd}: ${ot.row} vs ${tt}`);
  }
  for (const [cmd, ot] of o.transfers) {
    const first = +ot.row.split(' ')[2];
    if (!t.transfers.has(cmd) && !eprt.has(first) && !ot.row.startsWith('0 '))
      d('ftp-data.transfers', cmd, `command frame ${cmd}: extra transfer`);
  }
  return diffs;
}

/** corpus-real's MANIFEST names its files in `name` (its `path` is where they came from): a
 * temporary directory of links with a MANIFEST whose `path` is that name. */
function usable(dir) {
  const rows = readManifest(dir);
  if (!rows.length || !('name' in rows[0])) return dir;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-ftp-cmp-'));
  process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));
  for (const r of rows) fs.symlinkSync(path.join(dir, r.name), path.join(tmp, r.name));
  fs.writeFileSync(path.join(tmp, 'MANIFEST.tsv'), `path\n${rows.map((r) => r.name).join('\n')}\n`);
  return tmp;
}

let rc = 0;
for (const dir of dirs) {
  const corpus = usable(dir);
  console.log(`== ${dir}`);
  rc |= await compareFrames({ corpus, metrics: METRICS, theirs, ours: oursOnce, diff,
    summary: () => `captures with FTP so far: ${nfiles}, tshark FTP frames: ${nframes}, command -> reply pairs: ${npairs}, ftp-data frames: ${ndata}, transfers: ${ntransfers}` });
}
if (!nfiles) {
  console.log('FAIL: no capture with FTP was compared');
  rc = 1;
}
process.exit(rc);
