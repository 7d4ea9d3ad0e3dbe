// Our HTTP/1.x messages against tshark 4.0's, frame for frame, on every corpus capture: each
// request's method and URI, each response's status code and its response time (Wireshark's
// http.time, to the microsecond). A message is placed on the frame that completes it, as
// tshark does with its default reassembly. Deliberate differences are listed in
// known_differences.json under "http.*". Where Zeek's http.log sits beside a capture, each
// request it logged (method, host, URI, final status) must be among ours too (metric http.zeek).
//
// Usage: node compare_http.mjs FLAGS_BIN [CORPUS_DIR]   (FLAGS_BIN: tests' pa-tcp-flags)
import path from 'node:path';
import { parseArgs, run, available, compareFrames, zeekLogRows, clip, SKIP } from './common.mjs';
import { TSHARK_STREAMS } from './common.mjs';

const { server: bin, corpus } = parseArgs(process.argv, 'compare_http.mjs FLAGS_BIN');
if (!(await available('tshark', ['-v']))) {
  console.log('SKIP: tshark not found');
  process.exit(SKIP);
}
const METRICS = ['http.requests', 'http.method', 'http.uri', 'http.responses', 'http.code', 'http.time', 'http.zeek'];
let nreq = 0, nresp = 0, nzeek = 0;

async function theirs(file) {
  const r = await run('tshark', ['-r', file, ...TSHARK_STREAMS, '-Y', '(http.request || http.response) && !icmp && !icmpv6', '-T', 'fields',
    '-e', 'frame.number', '-e', 'http.request.method', '-e', 'http.request.uri',
    '-e', 'http.response.code', '-e', 'http.time', '-E', 'occurrence=f']);
  if (r.code !== 0) return null;
  const req = new Map(), resp = new Map();
  for (const line of r.stdout.split('\n')) {
    if (!line) continue;
    const [frame, method, uri, code, time] = line.split('\t');
    if (method) req.set(+frame, { method, uri });
    if (code) resp.set(+frame, { code: +code, time: time ? (+time * 1000).toFixed(3) : '-' });
  }
  return { req, resp };
}

async function ours(file) {
  const r = await run(bin, [file]);
  if (r.code !== 0) return null;
  const req = new Map(), resp = new Map();
  for (const line of r.stdout.split('\n')) {
    const parts = line.split(' ');
    if (parts[0] === 'http_req')
      req.set(+parts[1], { method: parts[2], host: parts[3] === '-' ? '' : parts[3], uri: parts.slice(4).join(' ') });
    if (parts[0] === 'http_resp')
      resp.set(+parts[1], { code: +parts[2], time: parts[3] === '-' ? '-' : (+parts[3]).toFixed(3), req: +parts[4] });
  }
  return { req, resp };
}

/** Requests of the Zeek http.log files beside a capture: method, host, URI and final status. */
function zeekHttp(capturePath) {
  const text = (v) => (v === '-' || v === '(empty)' ? '' : v);
  // method '-': a reply Zeek could not pair with a request. Status 0: Zeek read the reply as
  // HTTP/0.9 (no status line), so there is no status to compare.
  return zeekLogRows(corpus, capturePath, 'http.log').filter((r) => r.method !== '-').map((r) => ({
    method: r.method, host: text(r.host), uri: text(r.uri),
    status: r.status_code === '-' || r.status_code === '0' ? null : +r.status_code, file: r.file }));
}

function diff(t, o, row) {
  nreq += t.req.size;
  nresp += t.resp.size;
  const diffs = Object.fromEntries(METRICS.map((m) => [m, []]));
  const d = (m, key, text) => diffs[m].push({ key: `${key}`, text });
  for (const [frame, tv] of t.req) {
    const ov = o.req.get(frame);
    if (!ov) { d('http.requests', frame, `request frame ${frame} missing`); continue; }
    if (ov.method !== tv.method) d('http.method', frame, `frame ${frame}: ${ov.method} vs ${tv.method}`);
    if (ov.uri !== tv.uri) d('http.uri', frame, `frame ${frame}: ${clip(ov.uri)} vs ${clip(tv.uri)}`);
  }
  for (const frame of o.req.keys()) if (!t.req.has(frame)) d('http.requests', frame, `request frame ${frame} extra`);
  for (const [frame, tv] of t.resp) {
    const ov = o.resp.get(frame);
    if (!ov) { d('http.responses', frame, `response frame ${frame} missing`); continue; }
    if (ov.code !== tv.code) d('http.code', frame, `frame ${frame}: ${ov.code} vs ${tv.code}`);
    if (ov.time !== tv.time) d('http.time', frame, `frame ${frame}: ${ov.time} vs ${tv.time} ms`);
  }
  for (const frame of o.resp.keys()) if (!t.resp.has(frame)) d('http.responses', frame, `response frame ${frame} extra`);
  // every request Zeek logged is among ours, with the same final status when Zeek has one
  const status = new Map([...o.resp.values()].filter((r) => r.req).map((r) => [r.req, r.code]));
  const unused = new Set(o.req.keys());
  for (const z of zeekHttp(row.path)) {
    nzeek++;
    const hit = [...unused].find((f) => {
      const r = o.req.get(f);
      return r.method === z.method && r.host === z.host && r.uri === z.uri &&
        (z.status === null || status.get(f) === z.status);
    });
    if (hit === undefined) d('http.zeek', `${z.method} ${z.host}${z.uri}`, `${z.file}: ${z.method} ${z.host}${clip(z.uri)} ${z.status ?? '-'} not among ours`);
    else unused.delete(hit);
  }
  return diffs;
}

process.exit(await compareFrames({ corpus, metrics: METRICS, theirs, ours, diff,
  summary: () => `tshark HTTP requests: ${nreq}, responses: ${nresp}; Zeek http.log requests: ${nzeek}` }));
