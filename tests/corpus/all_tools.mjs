#!/usr/bin/env node
// Every tool that reads a capture, on every corpus capture (damaged ones
// included), through one running server: each call gets exactly one answer
// and no protocol error; a tool result may be an error only where the file
// cannot be read at all, or for follow_stream (a file with no stream 0). The
// server must exit 0 at end of input: in the sanitizer build that means no
// error and no leak report; with --valgrind the server runs under memcheck
// and must report no error and no definite leak (scripts/valgrind-corpus).
// Every percentile a tool prints or returns must lie within the min and
// max beside it (and p50 <= p90 <= p99), and no text may still give a
// percentile as a bucket bound ("p99 <= ..."): see checkPercentiles.
// Skips (77) without the corpus.
// Usage: node all_tools.mjs SERVER_BIN [CORPUS_DIR] [--valgrind]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { makeStorage, parseArgs, readManifest } from './common.mjs';

const useValgrind = process.argv.includes('--valgrind');
const { server, corpus } = parseArgs(process.argv.filter((a) => a !== '--valgrind'), 'all_tools.mjs');
const storage = makeStorage();
const names = readManifest(corpus).map((r) => storage.add(corpus, r.path));

let failures = 0;
const fail = (msg) => { failures++; console.error(`FAIL ${msg}`); };
// valgrind's report goes to a file of its own: it also warns about every
// openat2 call (a system call it does not know; the resolver then falls
// back to realpath + O_NOFOLLOW), which would bury the report in stderr
const vgLog = `${storage.scratch}/valgrind.log`;
const [cmd, args] = useValgrind
  ? ['valgrind', ['--error-exitcode=99', '--leak-check=full', '--errors-for-leak-kinds=definite', '--show-leak-kinds=definite', ...(process.env.PA_VG_ORIGINS ? ['--track-origins=yes'] : []),
      '-q', `--log-file=${vgLog}`, server]]
  : [server, []];
const child = spawn(cmd, args, { env: { ...process.env, PCAP_STORAGE_PATH: storage.store }, stdio: ['pipe', 'pipe', 'pipe'] });
let stderr = '', buf = '', exited = null, waiter = null;
const replies = new Map();
child.stderr.on('data', (d) => { stderr += d; });
child.stdout.on('data', (d) => {
  buf += d;
  let nl;
  while ((nl = buf.indexOf('\n')) >= 0) {
    const m = JSON.parse(buf.slice(0, nl));
    buf = buf.slice(nl + 1);
    if (m.id === undefined) continue;
    replies.set(m.id, (replies.get(m.id) ?? []).concat([m]));
    if (waiter) waiter();
  }
});
child.on('exit', (code, sig) => { exited = { code, sig }; if (waiter) waiter(); });
let next = 1;
function request(method, params) {
  const id = next++;
  child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
  return new Promise((res, rej) => {
    const t = setTimeout(() => rej(new Error(`no answer to ${method} ${JSON.stringify(params)}`)), 600000);
    waiter = () => {
      if (replies.has(id)) { clearTimeout(t); waiter = null; res(replies.get(id)[0]); }
      else if (exited) { clearTimeout(t); waiter = null; rej(new Error(`server exited ${JSON.stringify(exited)}: ${stderr.slice(-3000)}`)); }
    };
    waiter();
  });
}

// ---- percentiles within [min, max] ------------------------------------------------------
let pairs = 0;
const pctKey = /^(p\d+|median)_(.+)$/;
/** Structured: every object with pNN_<unit> and max_<unit> (or peak_<unit>) beside it. */
function checkPctObjects(v, where) {
  if (Array.isArray(v)) return v.forEach((x, i) => checkPctObjects(x, `${where}[${i}]`));
  if (!v || typeof v !== 'object') return;
  const ps = {};
  for (const [k, x] of Object.entries(v)) {
    const m = pctKey.exec(k);
    if (m && typeof x === 'number') (ps[m[2]] ??= []).push([m[1] === 'median' ? 50 : +m[1].slice(1), k, x]);
  }
  for (const [unit, list] of Object.entries(ps)) {
    const max = v[`max_${unit}`] ?? v[`peak_${unit}`], min = v[`min_${unit}`];
    list.sort((a, b) => a[0] - b[0]);
    for (const [, k, x] of list) {
      if (typeof max === 'number') {
        pairs++;
        if (x > max + 1e-9 * Math.max(1, Math.abs(max))) fail(`${where}.${k} = ${x} exceeds max ${max}`);
      }
      if (typeof min === 'number' && x < min - 1e-9 * Math.max(1, Math.abs(min))) fail(`${where}.${k} = ${x} is below min ${min}`);
    }
    for (let i = 1; i < list.length; i++)
      if (list[i][2] < list[i - 1][2]) fail(`${where}: ${list[i][1]} ${list[i][2]} < ${list[i - 1][1]} ${list[i - 1][2]}`);
  }
  for (const [k, x] of Object.entries(v)) checkPctObjects(x, `${where}.${k}`);
}
/** Text: on each line, every "pNN [about] V ms" / "median V ms" against "max V ms" and "min V ms". */
function checkPctText(text, where) {
  for (const line of text.split('\n')) {
    if (/\b(p\d+|median)\s*<=/.test(line)) fail(`${where}: a percentile given as a bucket bound: ${line.trim()}`);
    const max = /\bmax\s+(-?[\d.]+)\s*ms/.exec(line), min = /\bmin\s+(-?[\d.]+)\s*ms/.exec(line);
    for (const m of line.matchAll(/\b(p\d+|median)\s+(?:about\s+)?(-?[\d.]+)\s*ms/g)) {
      if (max) {
        pairs++;
        if (+m[2] > +max[1]) fail(`${where}: ${m[1]} ${m[2]} ms above max ${max[1]} ms: ${line.trim()}`);
      }
      if (min && +m[2] < +min[1]) fail(`${where}: ${m[1]} ${m[2]} ms below min ${min[1]} ms: ${line.trim()}`);
    }
  }
}
function checkPercentiles(r, where) {
  if (!r || r.isError) return;
  checkPctObjects(r.structuredContent, where);
  checkPctText((r.content ?? []).map((c) => c.text ?? '').join('\n'), where);
}

let calls = 0;
const started = Date.now();
try {
  await request('initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'all-tools', version: '1' } });
  child.stdin.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
  const tools = (await request('tools/list', {})).result.tools.filter((t) => (t.inputSchema.required ?? []).includes('pcap_file'));
  const extra = { search_packet_content: { search_pattern: 'GET' }, get_packet_details: { frame_number: 1 } };
  let n = 0;
  for (const name of names) {
    const first = await request('tools/call', { name: 'analyze_pcap_file', arguments: { pcap_file: name } });
    const unreadable = !!first.result?.isError;
    for (const t of tools) {
      const a = { pcap_file: name, ...(extra[t.name] ?? {}) };
      if (t.name === 'export_packets') a.output_file = `all_tools_export_${n++}.pcap`;
      if (t.inputSchema.properties.verify_checksums) a.verify_checksums = true;
      const r = await request('tools/call', { name: t.name, arguments: a });
      calls++;
      checkPercentiles(r.result, `${t.name} on ${name}`);
      if (r.error) fail(`${t.name} on ${name}: protocol error ${JSON.stringify(r.error)}`);
      else if (r.result.isError && !unreadable && t.name !== 'follow_stream' && t.name !== 'get_packet_details')
        fail(`${t.name} on ${name}: ${JSON.stringify(r.result.content).slice(0, 300)}`);
    }
  }
  for (const [id, list] of replies) if (list.length !== 1) fail(`request ${id}: ${list.length} answers`);
} catch (e) {
  fail(e.stack);
}
child.stdin.end();
await new Promise((r) => { if (exited) r(); else child.on('exit', r); });
if (!exited || exited.code !== 0) {
  const report = useValgrind && fs.existsSync(vgLog)
    ? fs.readFileSync(vgLog, 'utf8').split('\n').filter((l) => !/unhandled amd64-linux syscall|write your own handler|README_MISSING|consider this a bug|valgrind.org\/support/.test(l)).join('\n')
    : stderr;
  fail(`server exit ${JSON.stringify(exited)}: ${useValgrind ? report : report.slice(-6000)}`);
}
const secs = ((Date.now() - started) / 1000).toFixed(0);
console.log(`${calls} calls (${names.length} captures x every file tool)${useValgrind ? ' under valgrind' : ''} in ${secs} s, ` +
  `${pairs} percentile/max pairs checked: ${failures ? `${failures} failures` : 'ok'}`);
process.exit(failures ? 1 : 0);
