#!/usr/bin/env node
// Hostile and broken requests against the running server (issue 10):
//   1. calls before initialize, then thousands of malformed lines (bad JSON,
//      invalid UTF-8, deep nesting, huge strings, wrong types, unknown
//      methods, duplicate ids, hostile arguments): every line that carries an
//      id gets exactly one response with that id, every line that cannot be
//      read gets exactly one error with id null, notifications get nothing;
//      then a valid analysis answers exactly as before the flood;
//   2. many concurrent calls on several files, a third cancelled right after
//      being sent: every call not cancelled gets exactly one response, a
//      cancelled one at most one, no response to an unknown id; the server's
//      resident memory after four more rounds stays near the first round's;
//   3. stdin closed while an analysis runs: it is answered, the server exits 0;
//   4. requests at the limits: a line of exactly the 1 MiB cap and one byte
//      over, nesting at exactly the depth cap and one over, near-cap params
//      made of deep arrays of strings (with brackets and quotes inside the
//      strings) in every place a request can carry them: each is answered
//      once, errors are short and name the limit, the analysis is unchanged.
// Usage: node requests.mjs SERVER SAMPLE.pcap TCP_SCENARIOS.pcap [--no-rss]
//   --no-rss  skip the memory comparison (sanitizer builds keep freed memory)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [server, sample, scenarios, rssOpt] = process.argv.slice(2);
const checkRss = rssOpt !== '--no-rss';
if (!server || !sample || !scenarios) {
  console.error('usage: node requests.mjs SERVER SAMPLE.pcap TCP_SCENARIOS.pcap');
  process.exit(2);
}
let failures = 0;
const fail = (msg) => { failures++; console.error(`FAIL ${msg}`); };
const check = (cond, msg) => { if (!cond) fail(msg); };

// ---- the storage directory: two real captures and a large one built from
// the sample's records repeated (about 24 MB: analyses long enough to be
// cancelled while they run)
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pa_hostile_'));
fs.copyFileSync(sample, path.join(dir, 'sample.pcap'));
fs.copyFileSync(scenarios, path.join(dir, 'scenarios.pcap'));
{
  const s = fs.readFileSync(sample);
  const recs = s.subarray(24);
  const parts = [s.subarray(0, 24)];
  for (let i = 0; i < 24 * 1024 * 1024 / recs.length; i++) parts.push(recs);
  fs.writeFileSync(path.join(dir, 'big.pcap'), Buffer.concat(parts));
}
const files = ['sample.pcap', 'scenarios.pcap', 'big.pcap'];

// ---- a server and its replies, indexed by id
function start() {
  const child = spawn(server, [], { env: { ...process.env, PCAP_STORAGE_PATH: dir }, stdio: ['pipe', 'pipe', 'ignore'] });
  const st = { child, replies: [], byId: new Map(), lineLen: new Map(), nullErrors: 0, nullMsgs: [], waiters: [], exited: null, buf: '' };
  child.stdout.on('data', (d) => {
    st.buf += d.toString('utf8');
    let nl;
    while ((nl = st.buf.indexOf('\n')) >= 0) {
      const line = st.buf.slice(0, nl);
      st.buf = st.buf.slice(nl + 1);
      let msg;
      try { msg = JSON.parse(line); } catch { fail(`the server wrote a line that is not JSON: ${line.slice(0, 200)}`); continue; }
      if (msg.jsonrpc !== '2.0') fail(`reply without jsonrpc 2.0: ${line.slice(0, 200)}`);
      if (msg.method) continue; // notifications (progress, log messages)
      st.replies.push(msg);
      if (msg.id === null) { st.nullErrors++; st.nullMsgs.push(msg); } else {
        const k = JSON.stringify(msg.id);
        st.lineLen.set(k, Buffer.byteLength(line));
        st.byId.set(k, (st.byId.get(k) ?? []).concat([msg]));
      }
      st.waiters = st.waiters.filter((w) => !w());
    }
  });
  child.on('exit', (code, sig) => { st.exited = { code, sig }; st.waiters = st.waiters.filter((w) => !w()); });
  st.send = (obj) => child.stdin.write(`${typeof obj === 'string' ? obj : JSON.stringify(obj)}\n`);
  st.sendRaw = (buf) => child.stdin.write(Buffer.concat([buf, Buffer.from('\n')]));
  // resolves when cond() holds, or rejects after ms
  st.until = (cond, ms, what) => new Promise((res, rej) => {
    if (cond()) return res();
    const t = setTimeout(() => rej(new Error(`timed out waiting for ${what}`)), ms);
    st.waiters.push(() => { if (cond()) { clearTimeout(t); res(); return true; } return false; });
  });
  st.call = async (id, name, args, ms = HANG_MS) => {
    st.send({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });
    await st.until(() => st.byId.has(JSON.stringify(id)), ms, `the answer to ${id}`);
    return st.byId.get(JSON.stringify(id))[0];
  };
  return st;
}
const rss = (pid) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
};
const init = { jsonrpc: '2.0', id: 'init', method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'hostile', version: '1' } } };

// a deterministic generator, so a failure can be replayed
let seed = 0x2545F491;
const rnd = (n) => { seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0; return seed % n; };
const pick = (a) => a[rnd(a.length)];
// Waits are hang guards, not timings: generous, since a sanitizer build on a
// busy shared machine can be many times slower than usual.
const HANG_MS = 300000;

// ---- 1. before initialize, the flood, and the same answer after it
async function flood() {
  const s = start();
  const expectIds = new Set();
  let expectNull = 0;
  for (let i = 0; i < 100; i++) {
    const id = `pre${i}`;
    expectIds.add(JSON.stringify(id));
    s.send({ jsonrpc: '2.0', id, method: pick(['tools/call', 'tools/list', 'logging/setLevel']), params: { name: 'analyze_pcap_file', arguments: { pcap_file: 'sample.pcap' } } });
  }
  await s.until(() => [...expectIds].every((k) => s.byId.has(k)), 10000, 'the answers before initialize');
  for (const k of expectIds) {
    const r = s.byId.get(k)[0];
    check(r.error && r.error.code === -32002, `${k} before initialize: ${JSON.stringify(r).slice(0, 200)}`);
  }
  s.send(init);
  s.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  const before = await s.call('before', 'analyze_pcap_file', { pcap_file: 'sample.pcap' });
  check(before.result && !before.result.isError, 'the analysis before the flood failed');

  const valid = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'analyze_pcap_file', arguments: { pcap_file: 'sample.pcap' } } });
  const hostileNames = ['../etc/passwd', '/etc/passwd', 'a/../../x', '..', '.', '', 'sample.pcap\u0000.txt', 'x\ny', '\\\\server\\share', 'sample.pcap/', '~root/.ssh/id_rsa', '%2e%2e%2fetc', 'big.pcap'.repeat(200)];
  const badArgs = [
    { pcap_file: 5 }, { pcap_file: null }, { pcap_file: ['sample.pcap'] }, { pcap_file: { a: 1 } },
    { pcap_file: 'sample.pcap', limit: -1 }, { pcap_file: 'sample.pcap', limit: 1e300 }, { pcap_file: 'sample.pcap', limit: '10' },
    { pcap_file: 'sample.pcap', bpf_filter: 'tcp port' }, { pcap_file: 'sample.pcap', display_filter: 'ip.addr ==' },
    { pcap_file: 'sample.pcap', display_filter: '('.repeat(3000) }, { pcap_file: 'sample.pcap', unknown: true },
    { pcap_file: 'sample.pcap', search_pattern: 'x'.repeat(100000) },
  ];
  let n = 0;
  for (let i = 0; i < 3000; i++) {
    const id = `h${i}`;
    const kind = rnd(14);
    switch (kind) {
      case 0: s.send(valid.slice(0, 1 + rnd(valid.length - 2))); expectNull++; break; // cut short
      case 1: { // random bytes, mostly invalid UTF-8, never a newline
        const b = Buffer.alloc(1 + rnd(300));
        for (let j = 0; j < b.length; j++) { b[j] = rnd(256); if (b[j] === 10) b[j] = 0xff; }
        b[0] = 0xfe; // never valid JSON
        s.sendRaw(b); expectNull++; break;
      }
      case 2: s.send(`${'['.repeat(1000 + rnd(50000))}${']'.repeat(10)}`); expectNull++; break; // deep nesting
      case 3: s.send({ jsonrpc: '2.0', id, method: 'ping', params: { s: '\u00e9'.repeat(100000 + rnd(300000)) } }); expectIds.add(JSON.stringify(id)); break;
      case 4: s.send({ jsonrpc: '2.0', id, method: pick(['tools/cal', 'TOOLS/LIST', '', 'resources/list', 'x'.repeat(5000), 'rpc.discover']) }); expectIds.add(JSON.stringify(id)); break;
      case 5: s.send({ jsonrpc: '2.0', id: pick([{ a: 1 }, [1], true, 1.5e308]), method: 'ping' }); expectNull++; break; // an id of the wrong type
      case 6: s.send({ jsonrpc: pick(['1.0', 2, null]), id, method: 'ping' }); expectIds.add(JSON.stringify(id)); break;
      case 7: s.send({ jsonrpc: '2.0', id, method: 'tools/call', params: pick([{ name: 5 }, { name: 'analyze_pcap_file', arguments: 'x' }, 'params', [1, 2], { name: 'x'.repeat(10000) }]) }); expectIds.add(JSON.stringify(id)); break;
      case 8: s.send({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: pick(['analyze_pcap_file', 'search_packet_content', 'list_packets', 'follow_stream', 'get_packet_details', 'export_packets', 'analyze_tcp_retransmissions']), arguments: { pcap_file: pick(hostileNames) } } }); expectIds.add(JSON.stringify(id)); break;
      case 9: s.send({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: pick(['analyze_pcap_file', 'search_packet_content', 'analyze_security_threats']), arguments: pick(badArgs) } }); expectIds.add(JSON.stringify(id)); break;
      case 10: s.send({ jsonrpc: '2.0', method: pick(['notifications/cancelled', 'notifications/whatever', 'ping']), params: pick([{ requestId: 'nope' }, {}, 'x']) }); break; // notifications: no reply
      case 11: s.send({ jsonrpc: '2.0', id: 'dup', method: 'ping' }); expectIds.add('"dup"'); break; // the same id again and again (each answered before the next)
      case 12: s.send({ jsonrpc: '2.0', id, method: 'initialize', params: init.params }); expectIds.add(JSON.stringify(id)); break; // a second initialize
      default: s.send({ jsonrpc: '2.0', id: 1e6 + i, method: 'ping', extra: { nested: [[[[{}]]]] } }); expectIds.add(JSON.stringify(1e6 + i)); break;
    }
    n++;
    if (i % 200 === 199) await new Promise((r) => setTimeout(r, 5)); // let replies drain
  }
  // duplicates of "dup" were each answered; count them separately
  const dupSent = [...expectIds].includes('"dup"');
  await s.until(() => [...expectIds].every((k) => s.byId.has(k)) && s.nullErrors >= expectNull, HANG_MS,
    `the answers to ${n} hostile lines (${expectNull} without a readable id)`).catch((e) => fail(e.message));
  await new Promise((r) => setTimeout(r, 300)); // any extra reply would show now
  for (const k of expectIds) {
    const got = s.byId.get(k) ?? [];
    if (k === '"dup"') continue;
    check(got.length === 1, `id ${k.slice(0, 60)}: ${got.length} responses`);
  }
  check(s.nullErrors === expectNull, `${s.nullErrors} errors with id null for ${expectNull} unreadable lines`);
  const known = new Set(expectIds);
  known.add('"init"'); known.add('"before"');
  for (const k of s.byId.keys()) check(known.has(k), `a response to an id never sent: ${k.slice(0, 80)}`);
  if (dupSent) check((s.byId.get('"dup"') ?? []).every((r) => r.result), 'a sequential duplicate id was refused');

  const after = await s.call('after', 'analyze_pcap_file', { pcap_file: 'sample.pcap' });
  check(JSON.stringify(after.result) === JSON.stringify(before.result), 'the analysis after the flood differs from before');
  // nothing outside the storage directory was created or named
  check(fs.readdirSync(dir).sort().join() === [...files].sort().join(), `the storage directory changed: ${fs.readdirSync(dir)}`);
  s.child.stdin.end();
  await s.until(() => s.exited, 10000, 'exit after the flood').catch((e) => fail(e.message));
  check(s.exited && s.exited.code === 0, `exit after the flood: ${JSON.stringify(s.exited)}`);
  console.log(`flood: ${n} lines, ${expectIds.size} ids, ${expectNull} unreadable: each answered once`);
}

// ---- 2. concurrency and cancellation, memory across rounds
async function concurrency() {
  const s = start();
  s.send(init);
  await s.until(() => s.byId.has('"init"'), 10000, 'initialize');
  s.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  const tools = [
    ['analyze_pcap_file', {}], ['analyze_tcp_retransmissions', {}], ['search_packet_content', { search_pattern: 'HTTP' }],
    ['list_packets', { limit: 5 }], ['analyze_expert_information', {}], ['analyze_network_topology', {}],
  ];
  const filters = [{}, { bpf_filter: 'tcp' }, { display_filter: 'tcp.port == 80' }, { bpf_filter: 'udp' }];
  const sizes = [];
  for (let round = 0; round < 5; round++) {
    const sent = [], cancelled = new Set();
    for (let i = 0; i < 36; i++) {
      const id = `r${round}c${i}`;
      const [name, extra] = tools[i % tools.length];
      const args = { pcap_file: files[i % files.length], ...extra, ...filters[(i >> 1) % filters.length] };
      s.send({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args, _meta: { progressToken: id } } });
      sent.push(id);
      if (i % 3 === 0) {
        s.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason: 'test' } });
        cancelled.add(id);
      }
    }
    const open = sent.filter((id) => !cancelled.has(id));
    await s.until(() => open.every((id) => s.byId.has(JSON.stringify(id))), HANG_MS, `round ${round}`).catch((e) => fail(e.message));
    s.send({ jsonrpc: '2.0', id: `ping${round}`, method: 'ping' });
    await s.until(() => s.byId.has(`"ping${round}"`), 10000, 'ping').catch((e) => fail(e.message));
    await new Promise((r) => setTimeout(r, 200)); // cancelled calls finish
    for (const id of sent) {
      const got = s.byId.get(JSON.stringify(id)) ?? [];
      if (cancelled.has(id)) check(got.length <= 1, `cancelled ${id}: ${got.length} responses`);
      else {
        check(got.length === 1, `${id}: ${got.length} responses`);
        if (got[0]?.result?.isError) fail(`${id}: ${JSON.stringify(got[0].result.content).slice(0, 300)}`);
      }
    }
    sizes.push(rss(s.child.pid));
  }
  // the first round fills the model cache; later rounds reuse or rebuild
  // the same models, so memory must not keep growing
  const growth = sizes[4] - sizes[1];
  if (checkRss) check(growth < 16 * 1024, `resident memory grew by ${growth} kB from round 2 to round 5 (${sizes.join(', ')} kB)`);
  s.child.stdin.end();
  await s.until(() => s.exited, 10000, 'exit').catch((e) => fail(e.message));
  check(s.exited && s.exited.code === 0, `exit after the rounds: ${JSON.stringify(s.exited)}`);
  console.log(`concurrency: 5 rounds of 36 calls, a third cancelled; resident memory after each round ${sizes.join(', ')} kB`);
}

// ---- 3. stdin closed while an analysis runs
async function closeDuringAnalysis() {
  const s = start();
  s.send(init);
  await s.until(() => s.byId.has('"init"'), 10000, 'initialize');
  s.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  s.send({ jsonrpc: '2.0', id: 'last', method: 'tools/call', params: { name: 'analyze_pcap_file', arguments: { pcap_file: 'big.pcap', bpf_filter: 'ip' } } });
  s.child.stdin.end();
  await s.until(() => s.exited, HANG_MS, 'exit after stdin closed').catch((e) => fail(e.message));
  const got = s.byId.get('"last"') ?? [];
  check(got.length === 1 && got[0].result && !got[0].result.isError, `the call running at end of input: ${JSON.stringify(got).slice(0, 300)}`);
  check(s.exited && s.exited.code === 0, `exit after stdin closed: ${JSON.stringify(s.exited)}`);
  console.log('stdin closed during an analysis: answered, exit 0');
}

// ---- 4. requests at the size and depth limits
const FRAME_MAX = 1024 * 1024; // PA_MAX_FRAME_BYTES: the longest accepted line, newline excluded
const DEPTH_MAX = 64;          // PA_MAX_JSON_DEPTH
// Arrays nested `depth` levels deep; the innermost holds strings that contain
// brackets, braces and escaped quotes (a depth counter that does not skip
// strings would be fooled). Strings of 'a' pad the innermost array until
// make(pad) serialises to exactly `bytes` bytes.
function deep(depth, strings) {
  let v = strings;
  for (let i = 1; i < depth; i++) v = [v, `lvl${i}]}"[{`];
  return v;
}
function exactLine(bytes, make) {
  const tricky = ['[[[[{{{{', ']]]]}}}}', '"\\"[', '\u00e9\u2028[', 'x'.repeat(1000)];
  const strings = [];
  for (let i = 0; i < 40; i++) strings.push(...tricky);
  let pad = 0;
  let line = make(strings, pad);
  const base = Buffer.byteLength(line);
  if (base > bytes) throw new Error(`a request of ${base} bytes exceeds the ${bytes} wanted`);
  pad = bytes - base;
  line = make(strings, pad);
  // the padding string's growth is exactly its length (plain ASCII)
  if (Buffer.byteLength(line) !== bytes) throw new Error(`built ${Buffer.byteLength(line)} bytes, wanted ${bytes}`);
  return line;
}
async function limits() {
  const s = start();
  s.send(init);
  await s.until(() => s.byId.has('"init"'), 10000, 'initialize');
  s.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  const before = await s.call('before', 'analyze_pcap_file', { pcap_file: 'sample.pcap' });
  check(before.result && !before.result.isError, 'the analysis before the limit requests failed');
  s.send({ jsonrpc: '2.0', id: 'list-plain', method: 'tools/list' });
  await s.until(() => s.byId.has('"list-plain"'), 10000, 'tools/list');
  const payload = (depthUsed) => (strings, pad) => deep(DEPTH_MAX - depthUsed, strings.concat(['a'.repeat(pad)]));
  // depths: the request object is level 1, params 2, a key inside it 3...
  const cases = [
    // [id, line bytes, builder(strings, pad) -> line, what the answer must be]
    ['ping-cap', FRAME_MAX, (st, p) => JSON.stringify({ jsonrpc: '2.0', id: 'ping-cap', method: 'ping', params: { pad: payload(2)(st, p) } }), 'result'],
    ['list-cap', FRAME_MAX, (st, p) => JSON.stringify({ jsonrpc: '2.0', id: 'list-cap', method: 'tools/list', params: { cursor: null, pad: payload(2)(st, p) } }), 'result'],
    ['meta-cap', FRAME_MAX, (st, p) => JSON.stringify({ jsonrpc: '2.0', id: 'meta-cap', method: 'tools/call', params: { name: 'analyze_pcap_file', arguments: { pcap_file: 'sample.pcap' }, _meta: { progressToken: 'm', pad: payload(3)(st, p) } } }), 'same'],
    ['arg-cap', FRAME_MAX, (st, p) => JSON.stringify({ jsonrpc: '2.0', id: 'arg-cap', method: 'tools/call', params: { name: 'analyze_pcap_file', arguments: { pcap_file: 'sample.pcap', bpf_filter: payload(3)(st, p) } } }), 'bpf_filter'],
    ['file-cap', FRAME_MAX, (st, p) => JSON.stringify({ jsonrpc: '2.0', id: 'file-cap', method: 'tools/call', params: { name: 'search_packet_content', arguments: { pcap_file: payload(3)(st, p), search_pattern: 'x' } } }), 'pcap_file'],
    ['name-cap', FRAME_MAX, (st, p) => JSON.stringify({ jsonrpc: '2.0', id: 'name-cap', method: 'tools/call', params: { name: payload(2)(st, p), arguments: {} } }), 'error'],
    ['extra-cap', FRAME_MAX, (st, p) => JSON.stringify({ jsonrpc: '2.0', id: 'extra-cap', method: 'tools/call', params: { name: 'list_packets', arguments: { pcap_file: 'sample.pcap', limit: 1, extra: payload(3)(st, p) } } }), 'extra'],
  ];
  const sent = [];
  for (const [id, bytes, make, want] of cases) {
    s.send(exactLine(bytes, make));
    sent.push([id, want]);
  }
  // one byte over the cap, and nesting one level over the depth cap: no id can be read
  s.send(exactLine(FRAME_MAX + 1, (st, p) => JSON.stringify({ jsonrpc: '2.0', id: 'over', method: 'ping', params: { pad: payload(2)(st, p) } })));
  s.send(JSON.stringify({ jsonrpc: '2.0', id: 'deep-over', method: 'ping', params: { pad: deep(DEPTH_MAX - 1, ['x']) } }));
  s.send(JSON.stringify({ jsonrpc: '2.0', id: 'deep-max', method: 'ping', params: { pad: deep(DEPTH_MAX - 2, ['x']) } }));
  sent.push(['deep-max', 'result']);
  s.send({ jsonrpc: '2.0', id: 'after-ping', method: 'ping' });
  sent.push(['after-ping', 'result']);
  await s.until(() => sent.every(([id]) => s.byId.has(JSON.stringify(id))) && s.nullErrors >= 2, HANG_MS,
    'the answers to the requests at the limits').catch((e) => fail(e.message));
  for (const [id, want] of sent) {
    const k = JSON.stringify(id);
    const got = s.byId.get(k) ?? [];
    check(got.length === 1, `${id}: ${got.length} responses`);
    const r = got[0];
    if (!r) continue;
    // an answer never echoes the megabyte it was sent: the tool list is as
    // long as without the padding, every other reply is short
    const bound = id === 'list-cap' ? s.lineLen.get('"list-plain"') + 16 : 64 * 1024;
    check((s.lineLen.get(k) ?? 0) <= bound, `${id}: a reply of ${s.lineLen.get(k)} bytes (at most ${bound} expected)`);
    if (want === 'result') check(r.result && !r.result.isError, `${id}: ${JSON.stringify(r).slice(0, 300)}`);
    else if (want === 'same') check(JSON.stringify(r.result) === JSON.stringify(before.result), `${id}: the analysis differs: ${JSON.stringify(r).slice(0, 300)}`);
    else if (want === 'error') check(r.error || r.result?.isError, `${id}: accepted: ${JSON.stringify(r).slice(0, 300)}`);
    else {
      // a tool error that names the offending argument
      const text = r.error ? r.error.message : (r.result?.content ?? []).map((c) => c.text).join(' ');
      check((r.error || r.result?.isError) && text.includes(want), `${id}: the error does not name ${want}: ${JSON.stringify(r).slice(0, 300)}`);
    }
  }
  const msgs = s.nullMsgs.map((m) => m.error?.message ?? '');
  check(s.nullErrors === 2, `${s.nullErrors} errors with id null for 2 unreadable lines: ${msgs.join(' | ').slice(0, 400)}`);
  check(msgs.some((m) => m.includes(`${FRAME_MAX} bytes`)), `no error names the ${FRAME_MAX}-byte line cap: ${msgs.join(' | ').slice(0, 400)}`);
  check(msgs.some((m) => m.includes(`${DEPTH_MAX} levels`)), `no error names the ${DEPTH_MAX}-level depth cap: ${msgs.join(' | ').slice(0, 400)}`);
  for (const id of ['over', 'deep-over']) check(!s.byId.has(JSON.stringify(id)), `${id} was answered as if read`);
  const after = await s.call('after', 'analyze_pcap_file', { pcap_file: 'sample.pcap' });
  check(JSON.stringify(after.result) === JSON.stringify(before.result), 'the analysis after the limit requests differs from before');
  s.child.stdin.end();
  await s.until(() => s.exited, 10000, 'exit after the limit requests').catch((e) => fail(e.message));
  check(s.exited && s.exited.code === 0, `exit after the limit requests: ${JSON.stringify(s.exited)}`);
  console.log(`limits: ${cases.length} requests of exactly ${FRAME_MAX} bytes, depth ${DEPTH_MAX} accepted; ${FRAME_MAX + 1} bytes and depth ${DEPTH_MAX + 1} refused`);
}

try {
  await flood();
  await concurrency();
  await closeDuringAnalysis();
  await limits();
} catch (e) {
  fail(e.stack);
}
fs.rmSync(dir, { recursive: true, force: true });
console.log(failures ? `${failures} failures` : 'hostile requests: ok');
process.exit(failures ? 1 : 0);
