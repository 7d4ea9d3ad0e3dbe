// Display filters keep whole transactions (docs/DISPLAY_FILTERS.md), on corpus captures: an
// HTTP request with its response, a DNS query with its responses, a TLS connection, an FTP
// command with its replies is reported complete when any frame carrying its bytes matches the
// filter. For each capture present, the filtered answer is compared with the unfiltered one (the
// same transactions, the same times) and with tshark 4.0 (which requests a filter selects, their
// http.time and dns.time; which FTP commands the frames it selects belong to, and their times).
// Captures absent from ../shared/corpus or ../shared/corpus-real are skipped.
//
// Usage: node compare_dfilter_tx.mjs SERVER_BIN [CORPUS_DIR]
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs, run, available, makeStorage, callOurs, SKIP, TSHARK_STREAMS } from './common.mjs';

const { server, corpus } = parseArgs(process.argv, 'compare_dfilter_tx.mjs');
if (!(await available('tshark', ['-v']))) {
  console.log('SKIP: tshark not found');
  process.exit(SKIP);
}
const real = path.join(corpus, '..', 'corpus-real');
const storage = makeStorage();
let passed = 0, failed = 0;

function check(cond, what) {
  if (cond) passed++;
  else {
    failed++;
    console.log(`FAIL ${what}`);
  }
}

/** tshark's fields for the frames a filter matches, one array per frame. */
async function tshark(file, filter, fields) {
  const r = await run('tshark', ['-r', file, ...TSHARK_STREAMS, '-Y', filter, '-T', 'fields', '-E', 'occurrence=f',
    ...fields.flatMap((f) => ['-e', f])]);
  if (r.code !== 0) throw new Error(`tshark ${filter}: ${r.stderr.trim()}`);
  return r.stdout.split('\n').filter((l) => l).map((l) => l.split('\t'));
}

const ms3 = (x) => (+x).toFixed(3);
const quote = (s) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** The captures present, as { full, name } (name: the file in our storage). */
function present(list) {
  return list.map(([dir, rel]) => path.join(dir, rel)).filter((f) => fs.existsSync(f))
    .map((full) => ({ full, name: storage.add(path.dirname(full), path.basename(full)) }));
}

// ---- HTTP: extract_http_requests ------------------------------------------------------------

async function httpRequests(name, filter) {
  const s = await callOurs(server, storage, name, { limit: 1000, ...(filter ? { display_filter: filter } : {}) },
    'extract_http_requests');
  return { totals: s.totals, byFrame: new Map(s.requests.map((x) => [x.frame, x])) };
}

const same = (a, b) => a.status === b.status && a.response_frame === b.response_frame &&
  (a.response_time_ms === undefined ? b.response_time_ms === undefined : ms3(a.response_time_ms) === ms3(b.response_time_ms));

async function http({ full, name }) {
  const all = await httpRequests(name);
  // tshark's responses: the request each answers and its http.time
  const resp = new Map();
  for (const [frame, time, req] of await tshark(full, 'http.response && http.request_in', ['frame.number', 'http.time', 'http.request_in']))
    resp.set(+req, { frame: +frame, ms: ms3(+time * 1000) });
  const hosts = new Map();
  for (const [frame, host] of await tshark(full, 'http.request', ['frame.number', 'http.host']))
    if (host) hosts.set(host, [...(hosts.get(host) ?? []), +frame]);
  const byCount = [...hosts.entries()].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
  const picks = byCount.length > 1 ? [byCount[0], byCount[byCount.length - 1]] : byCount;
  for (const [host, frames] of picks) {
    const filter = `http.host == ${quote(host)}`;
    const got = await httpRequests(name, filter);
    const tag = `${name} [${filter}]`;
    check(got.totals.requests === frames.length && got.byFrame.size === frames.length &&
      frames.every((f) => got.byFrame.has(f)), `${tag}: requests ${[...got.byFrame.keys()]} vs tshark ${frames}`);
    let answered = 0;
    for (const f of frames) {
      const x = got.byFrame.get(f), u = all.byFrame.get(f), t = resp.get(f);
      if (!x) continue;
      if (x.response_frame) answered++;
      check(u && same(x, u), `${tag}: request ${f} differs from the unfiltered one`);
      if (t) check(x.response_frame === t.frame && ms3(x.response_time_ms) === t.ms,
        `${tag}: request ${f}: response ${x.response_frame} in ${x.response_time_ms} ms vs tshark ${t.frame} in ${t.ms} ms`);
    }
    check(got.totals.answered === answered && got.totals.responses >= answered, `${tag}: answered ${got.totals.answered} vs ${answered}`);
  }
  // only response frames match: every answered request is reported, with its time
  const onlyResp = await httpRequests(name, 'http.response');
  const answeredAll = [...all.byFrame.values()].filter((x) => x.response_frame);
  check(onlyResp.byFrame.size === answeredAll.length && answeredAll.every((u) => same(onlyResp.byFrame.get(u.frame) ?? {}, u)),
    `${name} [http.response]: ${onlyResp.byFrame.size} requests vs ${answeredAll.length} answered unfiltered`);
  const everything = await httpRequests(name, 'frame');
  check(JSON.stringify(everything.totals) === JSON.stringify(all.totals), `${name} [frame]: totals differ from unfiltered`);
  const nothing = await httpRequests(name, 'frame.number == 0');
  check(nothing.totals.requests === 0 && nothing.totals.responses === 0 && nothing.byFrame.size === 0,
    `${name} [frame.number == 0]: ${nothing.totals.requests} requests`);
  // the response-time tool reads the same transactions
  if (picks.length) {
    const filter = `http.host == ${quote(picks[0][0])}`;
    const s = await callOurs(server, storage, name, { protocol: 'http', limit: 500, display_filter: filter },
      'analyze_application_response_times');
    const sec = s.sections[0];
    const want = picks[0][1].filter((f) => all.byFrame.get(f)?.response_frame);
    check(sec.overall.samples === want.length && sec.slowest.every((x) =>
      want.includes(x.frame) && ms3(x.time_ms) === ms3(all.byFrame.get(x.frame).response_time_ms)),
    `${name} [${filter}] response times: ${sec.overall.samples} samples vs ${want.length}`);
  }
}

// ---- DNS: analyze_dns_resolution_issues -----------------------------------------------------

async function dnsIssues(name, filter) {
  return callOurs(server, storage, name, { limit: 500, ...(filter ? { display_filter: filter } : {}) },
    'analyze_dns_resolution_issues');
}

const slowSet = (s) => s.slowest.map((e) => `${e.frame}:${ms3(e.response_time_ms)}`).sort().join(' ');

async function dns({ full, name }) {
  const all = await dnsIssues(name);
  const u = all.totals;
  // tshark: each response's dns.time, by its query's name
  const times = new Map(); // name -> [frame:time]
  for (const [frame, time, qname] of await tshark(full, 'dns.flags.response == 1 && dns.time', ['frame.number', 'dns.time', 'dns.qry.name']))
    times.set(qname, [...(times.get(qname) ?? []), `${frame}:${ms3(+time * 1000)}`]);
  // queries only match: every transaction with a query, answered as without the filter (a
  // repeated response counts as one without a query, yet belongs to its query's transaction)
  const q = await dnsIssues(name, 'dns.flags.response == 0');
  check(q.totals.queries === u.queries && q.totals.answered === u.answered && q.totals.unanswered === u.unanswered &&
    q.totals.responses >= u.responses - u.responses_without_query && q.totals.responses <= u.responses &&
    q.response_time.samples === u.answered &&
    (u.answered > 32 || slowSet(q) === slowSet(all)),
  `${name} [dns.flags.response == 0]: ${JSON.stringify(q.totals)} vs ${JSON.stringify(u)}`);
  if (u.answered && u.answered <= 32) {
    const tsharkAll = [...times.values()].flat().sort().join(' ');
    check(slowSet(all) === tsharkAll, `${name}: dns.time ${slowSet(all)} vs tshark ${tsharkAll}`);
  }
  // responses only match: the answered transactions, queries included; none unanswered
  const r = await dnsIssues(name, 'dns.flags.response == 1');
  check(r.totals.answered === u.answered && r.totals.unanswered === 0 && r.totals.responses === u.responses &&
    (u.answered > 32 || slowSet(r) === slowSet(all)), `${name} [dns.flags.response == 1]: ${JSON.stringify(r.totals)}`);
  // one name: its transactions and their tshark times
  const [qname, want] = [...times.entries()].sort((a, b) => b[1].length - a[1].length)[0] ?? [];
  if (qname) {
    const filter = `dns.qry.name == ${quote(qname)}`;
    const n = await dnsIssues(name, filter);
    check(n.totals.answered === want.length && slowSet(n) === [...want].sort().join(' '),
      `${name} [${filter}]: ${slowSet(n)} vs tshark ${want.join(' ')}`);
    const s = await callOurs(server, storage, name, { protocol: 'dns', limit: 500, display_filter: filter },
      'analyze_application_response_times');
    check(s.sections[0].overall.samples === want.length, `${name} [${filter}] response times: ${s.sections[0].overall.samples}`);
  }
  const everything = await dnsIssues(name, 'frame');
  check(JSON.stringify(everything.totals) === JSON.stringify(u), `${name} [frame]: totals differ from unfiltered`);
  const nothing = await dnsIssues(name, 'frame.number == 0');
  check(nothing.totals.queries === 0 && nothing.totals.responses === 0 && nothing.totals.unanswered === 0,
    `${name} [frame.number == 0]: ${JSON.stringify(nothing.totals)}`);
}

// ---- TLS: analyze_tls_handshakes, analyze_tls_alerts, extract_certificate_details -----------

async function tls({ full, name }) {
  const call = (tool, filter) => callOurs(server, storage, name, { limit: 500, ...(filter ? { display_filter: filter } : {}) }, tool);
  const all = await call('analyze_tls_handshakes');
  const sni = [...new Set((await tshark(full, 'tls.handshake.extensions_server_name', ['tls.handshake.extensions_server_name'])).map((r) => r[0]))];
  for (const host of sni) {
    const filter = `tls.handshake.extensions_server_name == ${quote(host)}`;
    const got = await call('analyze_tls_handshakes', filter);
    const want = all.connections.filter((c) => c.sni === host);
    // the ClientHello alone matches; outcome, ServerHello, timing and fingerprints are all there
    check(JSON.stringify(got.connections) === JSON.stringify(want), `${name} [${filter}]: connections differ from unfiltered`);
  }
  // ClientHellos only: the alerts and certificates of every connection that has one
  const hellos = 'tls.handshake.type == 1';
  const withHello = all.connections.filter((c) => c.versions_offered);
  if (withHello.length === all.connections.length) {
    for (const tool of ['analyze_tls_alerts', 'extract_certificate_details']) {
      const a = await call(tool), h = await call(tool, hellos);
      delete a.capture;
      delete h.capture;
      check(JSON.stringify(a) === JSON.stringify(h), `${name} [${hellos}] ${tool}: differs from unfiltered`);
    }
  }
  const nothing = await call('analyze_tls_handshakes', 'frame.number == 0');
  check(nothing.totals.connections === 0, `${name} [frame.number == 0]: ${nothing.totals.connections} connections`);
}

// ---- FTP: analyze_application_response_times, protocol ftp ----------------------------------

async function ftpSection(name, filter) {
  const s = await callOurs(server, storage, name, { protocol: 'ftp', limit: 500, ...(filter ? { display_filter: filter } : {}) },
    'analyze_application_response_times');
  const sec = s.sections[0];
  return { sec, byFrame: new Map(sec.slowest.map((x) => [x.frame, x])) };
}

/** tshark's time_epoch in microseconds (BigInt: no float rounding). */
function usOf(epoch) {
  const [sec, frac = ''] = epoch.split('.');
  return BigInt(sec) * 1000000n + BigInt((frac + '000000').slice(0, 6));
}

async function ftp({ full, name }) {
  const all = await ftpSection(name);
  // tshark's view of each FTP frame (the first line of its segment), and from it each command's
  // transaction by the engine's rule: the command, its 1xx replies and its final reply (a first
  // 220, 120 or 421 is the greeting). Valid where every line begins a segment, as in the
  // captures listed.
  const time = new Map(), codeOf = new Map(), streamOf = new Map(), cmds = [];
  const streams = new Map();
  for (const [frame, stream, epoch, req, verb, code] of await tshark(full, 'ftp',
    ['frame.number', 'tcp.stream', 'frame.time_epoch', 'ftp.request', 'ftp.request.command', 'ftp.response.code'])) {
    time.set(+frame, epoch);
    streamOf.set(+frame, stream);
    if (!streams.has(stream)) streams.set(stream, { queue: [], greeted: false });
    const st = streams.get(stream);
    if (req === '1') {
      if (verb) {
        const t = { frame: +frame, verb, frames: [+frame], code: 0 };
        cmds.push(t);
        st.queue.push(t);
      }
      continue;
    }
    if (!code) continue;
    codeOf.set(+frame, +code);
    const first = !st.greeted;
    st.greeted = true;
    if (first && ['220', '120', '421'].includes(code)) continue;
    const head = st.queue[0];
    if (!head) continue;
    head.frames.push(+frame);
    if (+code >= 200) {
      head.code = +code;
      st.queue.shift();
    }
  }
  // unfiltered: one timed pair per answered command, timed as tshark's timestamps say
  const answered = cmds.filter((t) => t.code);
  check(all.sec.commands === cmds.length && all.byFrame.size === answered.length,
    `${name}: ${all.sec.commands} commands, ${all.byFrame.size} answered vs tshark ${cmds.length}, ${answered.length}`);
  for (const x of all.byFrame.values()) {
    const a = time.get(x.frame), b = time.get(x.reply_frame);
    const want = a && b ? (Number(usOf(b) - usOf(a)) / 1000).toFixed(3) : 'none';
    check(ms3(x.time_ms) === want, `${name}: command ${x.frame}: ${x.time_ms} ms vs tshark ${want}`);
  }
  const sameRow = (x, u) => u && x.reply_frame === u.reply_frame && ms3(x.time_ms) === ms3(u.time_ms) && x.name === u.name;
  // each filter keeps the commands whose transaction has a frame it selects, complete; a
  // session counts when a frame it selects carries the session's bytes
  const expect = async (filter, selected, want) => {
    const got = await ftpSection(name, filter);
    const tag = `${name} [${filter}]`;
    const timed = want.filter((t) => t.code);
    check(got.sec.commands === want.length && got.byFrame.size === timed.length && timed.every((t) => got.byFrame.has(t.frame)),
      `${tag}: commands ${got.sec.commands}, timed ${[...got.byFrame.keys()]} vs ${want.map((t) => t.frame)}`);
    for (const x of got.byFrame.values())
      check(sameRow(x, all.byFrame.get(x.frame)), `${tag}: command ${x.frame} differs from the unfiltered one`);
    const logins = (c) => want.filter((t) => ['USER', 'PASS', 'ACCT'].includes(t.verb) && t.code === c).length;
    check(got.sec.logins.succeeded === logins(230) && got.sec.logins.failed === logins(530),
      `${tag}: logins ${JSON.stringify(got.sec.logins)}`);
    const sessions = new Set(selected.map((f) => streamOf.get(f))).size;
    check(got.sec.sessions === sessions, `${tag}: ${got.sec.sessions} sessions vs ${sessions}`);
  };
  for (const verb of [...new Set(cmds.map((t) => t.verb))].slice(0, 12)) {
    const want = cmds.filter((t) => t.verb === verb);
    await expect(`ftp.request.command == ${quote(verb)}`, want.map((t) => t.frame), want);
  }
  for (const code of [...new Set(codeOf.values())].slice(0, 12))
    await expect(`ftp.response.code == ${code}`, [...codeOf.keys()].filter((f) => codeOf.get(f) === code),
      cmds.filter((t) => t.frames.some((f) => codeOf.get(f) === code)));
  const everything = await ftpSection(name, 'frame');
  check(JSON.stringify(everything.sec) === JSON.stringify(all.sec), `${name} [frame]: ftp section differs from unfiltered`);
  const nothing = await ftpSection(name, 'frame.number == 0');
  check(nothing.sec.sessions === 0 && nothing.sec.commands === 0 && nothing.sec.replies === 0 && nothing.byFrame.size === 0,
    `${name} [frame.number == 0]: ${nothing.sec.sessions} sessions, ${nothing.sec.commands} commands`);
}

const HTTP = [[corpus, 'zeek/wikipedia.pcap'], [corpus, 'zeek/http__methods.pcap'], [corpus, 'zeek/http__100-continue.pcap'],
  [corpus, 'arkime/http-simple-get.pcap'], [real, 'pcapplusplus__http-packets.pcap']];
const DNS = [[corpus, 'arkime/dns-wiresharkrepo.pcap'], [corpus, 'tcpdump/dns_udp.pcap'], [corpus, 'tcpdump/dns_tcp.pcap'],
  [corpus, 'arkime/dns-tcp.pcap'], [corpus, 'suricata-verify/dns-dig.pcap'], [corpus, 'zeek/dns-two-responses.pcap']];
const TLS = [[corpus, 'arkime/tls-alpn-h2.pcap'], [corpus, 'zeek/tls__tls-1.2-handshake-failure.pcap'],
  [corpus, 'arkime/openssl-tls1_2.pcap'], [corpus, 'suricata-verify/tls-client-auth.pcap'], [corpus, 'zeek/tls__tls1.2.pcap']];
const FTP = [[real, 'ndpi__ftp.pcap']];

let files = 0;
for (const [fn, list] of [[http, HTTP], [dns, DNS], [tls, TLS], [ftp, FTP]])
  for (const cap of present(list)) {
    files++;
    try {
      await fn(cap);
    } catch (e) {
      check(false, `${cap.name}: ${e.message}`);
    }
  }
if (!files) {
  console.log('SKIP: none of the captures is present');
  process.exit(SKIP);
}
console.log(`dfilter transactions: ${files} captures`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
