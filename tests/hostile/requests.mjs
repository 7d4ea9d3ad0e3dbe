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
//   3. stdin closed while an analysis runs: it is answered, the server exits 0.
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
  const st = { child, replies: [], byId: new Map(), nullErrors: 0, waiters: [], exited: null, buf: '' };
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
      if (msg.id === null) st.nullErrors++;
      else {
        const k = JSON.stringify(msg.id);
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
  st.call = async (id, name, args, ms = 30000) => {
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
  await s.until(() => [...expectIds].every((k) => s.byId.has(k)) && s.nullErrors >= expectNull, 60000,
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
    await s.until(() => open.every((id) => s.byId.has(JSON.stringify(id))), 60000, `round ${round}`).catch((e) => fail(e.message));
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
  await s.until(() => s.exited, 30000, 'exit after stdin closed').catch((e) => fail(e.message));
  const got = s.byId.get('"last"') ?? [];
  check(got.length === 1 && got[0].result && !got[0].result.isError, `the call running at end of input: ${JSON.stringify(got).slice(0, 300)}`);
  check(s.exited && s.exited.code === 0, `exit after stdin closed: ${JSON.stringify(s.exited)}`);
  console.log('stdin closed during an analysis: answered, exit 0');
}

try {
  await flood();
  await concurrency();
  await closeDuringAnalysis();
} catch (e) {
  fail(e.stack);
}
fs.rmSync(dir, { recursive: true, force: true });
console.log(failures ? `${failures} failures` : 'hostile requests: ok');
process.exit(failures ? 1 : 0);
