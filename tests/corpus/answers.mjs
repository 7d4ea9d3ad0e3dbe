#!/usr/bin/env node
// What a model reads: every tool that reads a capture, on every capture of
// the corpora (../shared/corpus and ../shared/corpus-real), with default
// arguments and with the largest ones (limit at its maximum, details and
// secrets on, the longest stream page), through one running server. Checks:
//   - the text block is at most 16 KiB and the whole result at most 64 KiB;
//   - every row of every list in structuredContent is visible in the text,
//     in the same order (its frame numbers, streams, addresses, names: see
//     rowKeys), and every frame number of a frame list;
//   - paging is honest: a page with more rows names next_offset = offset +
//     returned, and the text says "offset=<next_offset>"; a list the budget
//     cut is named in left_out with the same offset;
//   - follow_stream's text holds exactly the bytes its chunks claim.
// Skips (77) without the corpus. ANSWERS_TOOLS=a,b limits the run to those
// tools (while working on them).
// Usage: node answers.mjs SERVER_BIN [CORPUS_DIR]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { makeStorage, parseArgs, readManifest } from './common.mjs';

const TEXT_BUDGET = 16384;
const RESULT_BUDGET = 65536;

const { server, corpus } = parseArgs(process.argv, 'answers.mjs');
const storage = makeStorage();
const names = readManifest(corpus).map((r) => storage.add(corpus, r.path));
const real = path.join(path.dirname(corpus), 'corpus-real');
if (fs.existsSync(path.join(real, 'MANIFEST.tsv')))
  for (const r of readManifest(real)) if (fs.existsSync(path.join(real, r.name))) names.push(storage.add(real, r.name));

let failures = 0;
const failed = new Map(); // one line per tool and kind of failure, with a count
function fail(tool, kind, msg) {
  failures++;
  const k = `${tool}: ${kind}`;
  const e = failed.get(k) ?? { n: 0, first: msg };
  e.n++;
  failed.set(k, e);
}

const child = spawn(server, [], {
  env: { ...process.env, PCAP_STORAGE_PATH: storage.store, PCAP_MCP_TEXT_BUDGET: '16KB', PCAP_MCP_RESULT_BUDGET: '64KB' },
  stdio: ['pipe', 'pipe', 'pipe'],
});
let stderr = '', buf = '', exited = null;
const waiting = new Map();
child.stderr.on('data', (d) => { stderr += d; });
child.stdout.on('data', (d) => {
  buf += d;
  let nl;
  while ((nl = buf.indexOf('\n')) >= 0) {
    const line = buf.slice(0, nl);
    buf = buf.slice(nl + 1);
    const m = JSON.parse(line);
    if (m.id !== undefined && waiting.has(m.id)) { waiting.get(m.id)(m); waiting.delete(m.id); }
  }
});
child.on('exit', (code, sig) => {
  exited = { code, sig };
  for (const w of waiting.values()) w({ error: { message: `server exited ${JSON.stringify(exited)}: ${stderr.slice(-2000)}` } });
});
let next = 1;
function request(method, params) {
  const id = next++;
  return new Promise((res) => {
    waiting.set(id, res);
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
  });
}

// The fields that identify a row for a reader who wants to act on it.
const ID_KEYS = new Set(['frame', 'number', 'first_frame', 'query_frame', 'response_frame', 'reset_frame',
  'resumed_at_frame', 'stream', 'client', 'server', 'address', 'address_a', 'address_b', 'src', 'dst', 'mac',
  'name', 'domain', 'sni', 'host', 'method', 'uri', 'summary', 'kind', 'protocol', 'table', 'status', 'rcode',
  'subject', 'sha256', 'prefix', 'display_filter', 'ja3', 'ja4', 'ja3s', 'ja4s', 'secret', 'user', 'password',
  'interval', 'direction', 'severity', 'description']);
function rowKeys(row) {
  const ids = [];
  for (const [k, v] of Object.entries(row))
    if (ID_KEYS.has(k) && (typeof v === 'string' || Number.isInteger(v)) && v !== '') ids.push(v);
  if (ids.length) return ids;
  // a row with no identifying field (a count, an interval): its whole numbers and names
  for (const v of Object.values(row)) if ((typeof v === 'string' && v !== '') || Number.isInteger(v)) ids.push(v);
  return ids;
}
const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
function found(line, v) {
  if (typeof v === 'number') return new RegExp(`(^|[^0-9.])${v}([^0-9]|$)`).test(line);
  return line.includes(v);
}
const SPAN = 8; // lines a row may take in the text

// Every array of objects, in document order, with its path.
function arrays(v, p, out) {
  if (Array.isArray(v)) {
    if (v.length && v.every((x) => x && typeof x === 'object' && !Array.isArray(x))) out.push({ p, rows: v });
    if (/frames$/.test(p) && v.every(Number.isInteger)) out.push({ p, frames: v });
    v.forEach((x, i) => arrays(x, `${p}[${i}]`, out));
  } else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) arrays(x, p ? `${p}.${k}` : k, out);
  }
  return out;
}
function pages(v, p, out) {
  if (Array.isArray(v)) v.forEach((x, i) => pages(x, `${p}[${i}]`, out));
  else if (v && typeof v === 'object') {
    if (p.endsWith('page') && 'more' in v) out.push({ p, page: v });
    for (const [k, x] of Object.entries(v)) pages(x, p ? `${p}.${k}` : k, out);
  }
  return out;
}

function checkResult(tool, file, mode, r) {
  const where = `${file} (${mode})`;
  const text = r.content?.[0]?.text ?? '';
  const size = Buffer.byteLength(JSON.stringify(r));
  if (Buffer.byteLength(text) > TEXT_BUDGET) fail(tool, 'text over 16 KiB', `${where}: ${Buffer.byteLength(text)} bytes`);
  if (size > RESULT_BUDGET) fail(tool, 'result over 64 KiB', `${where}: ${size} bytes`);
  if (r.isError) return;
  const sc = r.structuredContent;
  const lines = text.split('\n');
  for (const a of arrays(sc, '', [])) {
    if (a.p.startsWith('left_out')) continue;
    if (a.frames) {
      for (const f of a.frames) if (!found(text, f)) { fail(tool, `frame list ${a.p.replace(/\[\d+\]/g, '[]')} not in text`, `${where}: frame ${f}`); break; }
      continue;
    }
    let cursor = 0;
    for (let i = 0; i < a.rows.length; i++) {
      const ids = rowKeys(a.rows[i]);
      if (!ids.length) continue;
      let at = -1;
      for (let L = cursor; L < lines.length && at < 0; L++) {
        if (!found(lines[L], ids[0])) continue;
        const block = lines.slice(L, L + SPAN).join('\n');
        if (ids.every((v) => found(block, v))) at = L;
      }
      if (at < 0) {
        fail(tool, `row of ${a.p.replace(/\[\d+\]/g, '[]')} not in text`, `${where}: row ${i} ${JSON.stringify(ids).slice(0, 300)}`);
        break;
      }
      cursor = at + 1;
    }
  }
  for (const { p, page } of pages(sc, '', [])) {
    const nextOff = page.offset + (page.returned ?? page.returned_bytes);
    if (page.more) {
      if (page.next_offset !== nextOff) fail(tool, 'page.next_offset is not offset + returned', `${where}: ${p} ${JSON.stringify(page)}`);
      else if (!text.includes(`offset=${nextOff}`)) fail(tool, 'text does not name the next offset', `${where}: ${p} offset=${nextOff}`);
    }
  }
  for (const lo of sc.left_out ?? [])
    if (lo.next_offset !== undefined && !text.includes(`offset=${lo.next_offset}`)) fail(tool, 'left_out offset not in text', `${where}: ${JSON.stringify(lo)}`);
  if (tool === 'follow_stream') {
    let pos = 0;
    for (const c of sc.chunks) {
      const at = text.indexOf(c.data, pos);
      if (at < 0) { fail(tool, 'chunk data not in text', `${where}: chunk at ${c.offset}`); break; }
      pos = at + c.data.length;
    }
    const shown = sc.chunks.reduce((n, c) => n + c.length, 0);
    if (shown !== sc.page.returned_bytes) fail(tool, 'chunks do not add up to returned_bytes', `${where}: ${shown} vs ${sc.page.returned_bytes}`);
  }
}

let calls = 0;
try {
  await request('initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'answers', version: '1' } });
  child.stdin.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
  const only = process.env.ANSWERS_TOOLS ? new Set(process.env.ANSWERS_TOOLS.split(',')) : null;
  const tools = (await request('tools/list', {})).result.tools.filter((t) => (t.inputSchema.required ?? []).includes('pcap_file')
    && t.name !== 'export_packets' && (!only || only.has(t.name)));
  const extra = { search_packet_content: { search_pattern: 'e' }, get_packet_details: { frame_number: 1 }, follow_stream: { stream: 0 } };
  // tools whose answer changes shape with an argument: each shape is checked
  const variants = {
    analyze_pcap_file: ['summary', 'protocols', 'conversations', 'endpoints', 'security'].map((analysis_type) => ({ analysis_type })),
    analyze_application_response_times: [{ protocol: 'http' }, { protocol: 'all' }],
    follow_stream: [{ format: 'text' }, { format: 'hex' }],
  };
  for (const name of names) {
    for (const t of tools) {
      for (const [mode, variant] of ['default', 'largest'].flatMap((md) => (variants[t.name] ?? [{}]).map((v) => [md, v]))) {
        const a = { pcap_file: name, ...(extra[t.name] ?? {}), ...variant };
        if (mode === 'largest') {
          for (const [k, s] of Object.entries(t.inputSchema.properties)) {
            if (['limit', 'max_bytes', 'hex_bytes'].includes(k)) a[k] = s.maximum;
            if (['details', 'show_secrets'].includes(k)) a[k] = true;
            if (k === 'time_interval' || k === 'time_window') a[k] = s.minimum;
          }
        }
        const m = await request('tools/call', { name: t.name, arguments: a });
        calls++;
        const how = `${mode}${Object.keys(variant).length ? ' ' + JSON.stringify(variant) : ''}`;
        if (m.error) { fail(t.name, 'protocol error', `${name} (${how}): ${JSON.stringify(m.error).slice(0, 300)}`); continue; }
        checkResult(t.name, name, how, m.result);
      }
    }
  }
} finally {
  child.stdin.end();
}
for (const [k, e] of failed) console.error(`FAIL ${k}: ${e.n}x, first ${e.first}`);
console.log(`${calls} calls on ${names.length} captures; ${failures} failures`);
process.exit(failures ? 1 : 0);
