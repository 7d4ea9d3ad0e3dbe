// analyze_icmp_errors and analyze_mtu_fragmentation against tshark 4.0 on every capture of
// ../shared/corpus and ../shared/corpus-real. Metrics:
//   icmp.kinds     errors per (ICMP or ICMPv6, type, code) = the frames whose first icmp.type and
//                  icmp.code (icmpv6.*) are those
//   icmp.names     each kind's name = the start of tshark's Info column for its frames
//                  (whitespace collapsed: Wireshark pads some type names)
//   icmp.quoted    errors per quoted datagram (type/code, addresses and ports of the quoted header:
//                  tshark's last ip/ipv6 and udp/tcp values of the frame), and the smallest MTU
//                  announced about it (icmp.mtu, icmpv6.mtu)
//   icmp.senders   errors per sender (the frame's first ip.src / ipv6.src)
//   frag.frames    fragments: IPv4 frames with MF set or an offset, IPv6 frames with a fragment
//                  header that is not atomic (the frame's innermost header; an ICMP error's first)
//   frag.datagrams fragments per datagram (version, source, destination, identification)
//   frag.reassembled  datagrams reassembled = frames carrying ip.fragment.count / ipv6.fragment.count
//   mtu.paths      per path (version, quoted source and destination) the smallest MTU announced,
//                  and the packets that later went that way larger than it (IPv4 with DF, IPv6;
//                  not ICMP errors), counted from tshark's per-frame lengths
// The captures in $ICMP_MTU_EXTRA (the ones unit_tools_icmp builds: a black-hole suspect, fragments
// whole, incomplete and overlapping, hostile quotes, tables past their caps) are compared too, as
// "extra/NAME". Deliberate differences go in known_differences.json under these metrics.
// Usage: node compare_icmp_mtu.mjs SERVER_BIN [CORPUS_DIR]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs, readManifest, readKnown, run, available, orderedPrinter, pool, applyKnown, describe,
  makeStorage, canonAddr, SKIP } from './common.mjs';

const METRICS = ['icmp.kinds', 'icmp.names', 'icmp.quoted', 'icmp.senders', 'frag.frames', 'frag.datagrams',
  'frag.reassembled', 'mtu.paths'];
const { server, corpus } = parseArgs(process.argv, 'compare_icmp_mtu.mjs SERVER_BIN');
if (!(await available('tshark', ['-v']))) {
  console.log('SKIP: tshark not found');
  process.exit(SKIP);
}
const files = readManifest(corpus).filter((r) => r.tshark_status !== 'tshark cannot read')
  .map((r) => ({ key: r.path, dir: corpus, rel: r.path }));
const real = path.join(path.dirname(corpus), 'corpus-real');
if (fs.existsSync(path.join(real, 'MANIFEST.tsv')))
  for (const r of readManifest(real))
    if (fs.existsSync(path.join(real, r.name))) files.push({ key: `corpus-real/${r.name}`, dir: real, rel: r.name });
const extra = process.env.ICMP_MTU_EXTRA;
if (extra && fs.existsSync(extra))
  for (const n of fs.readdirSync(extra).filter((x) => x.endsWith('.pcap')).sort())
    files.push({ key: `extra/${n}`, dir: extra, rel: n });

const isError = (ver, type) => (ver === 6 ? type >= 1 && type <= 4 : [3, 4, 5, 11, 12].includes(type));
const FIELDS = ['frame.number', 'icmp.type', 'icmp.code', 'icmpv6.type', 'icmpv6.code', 'icmp.mtu', 'icmpv6.mtu',
  'ip.src', 'ip.dst', 'ipv6.src', 'ipv6.dst', 'ip.proto', 'ipv6.nxt', 'udp.srcport', 'udp.dstport', 'tcp.srcport',
  'tcp.dstport', 'ip.flags.mf', 'ip.frag_offset', 'ip.id', 'ip.flags.df', 'ip.len', 'ipv6.plen',
  'ipv6.fraghdr.offset', 'ipv6.fraghdr.more', 'ipv6.fraghdr.ident', 'ip.fragment.count', 'ipv6.fragment.count',
  '_ws.col.Info'];
const vals = (s) => (s ? s.split(',') : []);
const last = (s) => vals(s).at(-1) ?? '';
const first = (s) => vals(s)[0] ?? '';
const truthy = (v) => v === '1' || v === 'True' || v === 'true';
const quotedKey = (ver, type, code, src, dst, sp, dp) =>
  `${ver}:${type}/${code} ${canonAddr(src)}:${sp ?? ''} > ${canonAddr(dst)}:${dp ?? ''}`;
const pathKey = (ver, src, dst) => `${ver} ${canonAddr(src)} > ${canonAddr(dst)}`;
const bump = (map, key, n = 1) => map.set(key, (map.get(key) ?? 0) + n);

async function theirs(file) {
  const r = await run('tshark', ['-r', file, '-T', 'fields', '-E', 'occurrence=a', ...FIELDS.flatMap((f) => ['-e', f])]);
  if (r.code !== 0) return null;
  const out = { kinds: new Map(), names: new Map(), quoted: new Map(), mtu: new Map(), senders: new Map(),
    frags: 0, dgrams: new Map(), reassembled: 0, paths: new Map() };
  const frames = [];
  for (const line of r.stdout.split('\n')) {
    if (!line) continue;
    const c = Object.fromEntries(line.split('\t').map((v, i) => [FIELDS[i], v]));
    frames.push(c);
    if (c['ip.fragment.count'] || c['ipv6.fragment.count']) out.reassembled++;
    const ver = c['icmp.type'] ? 4 : c['icmpv6.type'] ? 6 : 0;
    const p = ver === 6 ? 'icmpv6' : 'icmp', ip = ver === 6 ? 'ipv6' : 'ip';
    const type = +first(c[`${p}.type`]), code = +first(c[`${p}.code`]);
    const error = ver && isError(ver, type);
    // fragments: the innermost header, or an ICMP error's own (its first)
    const pick = error ? first : last;
    const v4frag = c['ip.src'] && (truthy(pick(c['ip.flags.mf'])) || +pick(c['ip.frag_offset']) > 0);
    // an ICMPv6 error's own header has a fragment header only when every IPv6 header has one
    const own6 = !error || vals(c['ipv6.fraghdr.offset']).length === vals(c['ipv6.src']).length;
    const off6 = own6 ? pick(c['ipv6.fraghdr.offset']) : '', more6 = pick(c['ipv6.fraghdr.more']);
    const v6frag = off6 !== '' && (+off6 > 0 || truthy(more6));
    if (v6frag) {
      out.frags++;
      bump(out.dgrams, `6 ${canonAddr(pick(c['ipv6.src']))} > ${canonAddr(pick(c['ipv6.dst']))} id ${parseInt(pick(c['ipv6.fraghdr.ident']), 16)}`);
    } else if (v4frag) {
      out.frags++;
      bump(out.dgrams, `4 ${canonAddr(pick(c['ip.src']))} > ${canonAddr(pick(c['ip.dst']))} id ${parseInt(pick(c['ip.id']), 16)}`);
    }
    c.error = error ? ver : 0;
    if (!error) continue;
    const kind = `${ver}:${type}/${code}`;
    bump(out.kinds, kind);
    if (!out.names.has(kind)) out.names.set(kind, (c['_ws.col.Info'] ?? '').replace(/\s+/g, ' '));
    // the error's own header: the one before the quoted one (outer ones are tunnels)
    const srcs = vals(c[`${ip}.src`]);
    bump(out.senders, canonAddr(srcs.length >= 2 ? srcs.at(-2) : srcs[0]));
    if (vals(c[`${ip}.src`]).length < 2) continue; // no quoted header
    const proto = +last(c[ver === 6 ? 'ipv6.nxt' : 'ip.proto']);
    const l4 = proto === 6 ? 'tcp' : proto === 17 ? 'udp' : null;
    const src = last(c[`${ip}.src`]), dst = last(c[`${ip}.dst`]);
    const key = quotedKey(ver, type, code, src, dst, l4 ? last(c[`${l4}.srcport`]) || null : null,
      l4 ? last(c[`${l4}.dstport`]) || null : null);
    bump(out.quoted, key);
    const mtu = +(c[`${p}.mtu`] || 0);
    if (mtu) {
      out.mtu.set(key, Math.min(out.mtu.get(key) ?? Infinity, mtu));
      const pk = pathKey(ver, src, dst);
      const e = out.paths.get(pk) ?? { mtu: Infinity, first: +c['frame.number'], oversize: 0 };
      e.mtu = Math.min(e.mtu, mtu);
      out.paths.set(pk, e);
      e.changes = [...(e.changes ?? []), [+c['frame.number'], e.mtu]];
    }
  }
  // packets too large for a path after its first announcement (against the smallest MTU so far)
  if (out.paths.size)
    for (const c of frames) {
      const n = +c['frame.number'];
      // the innermost header (an ICMP error's own: the last is the quoted one)
      const pick = c.error ? first : last;
      const v6 = c.error ? c.error === 6 : !!c['ipv6.src'];
      const ver = v6 ? 6 : 4, ip = v6 ? 'ipv6' : 'ip';
      if (!c[`${ip}.src`] || (!v6 && !truthy(pick(c['ip.flags.df'])))) continue;
      const e = out.paths.get(pathKey(ver, pick(c[`${ip}.src`]), pick(c[`${ip}.dst`])));
      if (!e || n <= e.first) continue;
      let mtu = Infinity;
      for (const [f, m] of e.changes) if (f <= n) mtu = m;
      const len = v6 ? +pick(c['ipv6.plen']) + 40 : +pick(c['ip.len']);
      if (len > mtu) e.oversize++;
    }
  return out;
}

const storage = makeStorage();
const child = spawn(server, [], { env: { ...process.env, PCAP_STORAGE_PATH: storage.store, ANALYSIS_TEMP_DIR: storage.scratch },
  stdio: ['pipe', 'pipe', 'inherit'] });
const waiting = new Map();
let buf = '', nextId = 1;
child.stdout.on('data', (d) => {
  buf += d;
  for (let nl; (nl = buf.indexOf('\n')) >= 0; buf = buf.slice(nl + 1)) {
    const m = JSON.parse(buf.slice(0, nl));
    waiting.get(m.id)?.(m);
    waiting.delete(m.id);
  }
});
child.on('exit', () => { for (const w of waiting.values()) w({ error: { message: 'the server exited' } }); });
function request(method, params) {
  const id = nextId++;
  return new Promise((res) => {
    waiting.set(id, res);
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
  });
}
async function call(tool, args) {
  const m = await request('tools/call', { name: tool, arguments: args });
  if (m.error) throw new Error(m.error.message);
  if (m.result.isError) throw new Error(m.result.content.map((c) => c.text).join(' ').split('\n')[0]);
  return m.result.structuredContent;
}
await request('initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'compare_icmp_mtu', version: '1' } });
child.stdin.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');

async function ours(f) {
  const name = storage.add(f.dir, f.rel);
  const out = { kinds: new Map(), names: new Map(), quoted: new Map(), mtu: new Map(), senders: new Map(),
    frags: 0, dgrams: new Map(), reassembled: 0, paths: new Map() };
  try {
    for (let offset = 0; ; ) {
      const q = await call('analyze_icmp_errors', { pcap_file: name, limit: 500, offset });
      if (offset === 0) {
        for (const k of q.kinds) {
          const key = `${k.protocol === 'icmpv6' ? 6 : 4}:${k.type}/${k.code}`;
          out.kinds.set(key, k.count);
          out.names.set(key, k.name);
        }
        for (const s of q.senders ?? []) out.senders.set(canonAddr(s.sender), s.errors);
      }
      for (const e of q.errors) {
        if (!e.src) continue;
        const key = quotedKey(e.protocol === 'icmpv6' ? 6 : 4, e.type, e.code, e.src, e.dst, e.src_port, e.dst_port);
        bump(out.quoted, key, e.count);
        if (e.mtu) out.mtu.set(key, Math.min(out.mtu.get(key) ?? Infinity, e.mtu));
      }
      offset += q.errors.length;
      if (!q.page.more || !q.errors.length) break;
    }
    for (let offset = 0; ; ) {
      const m = await call('analyze_mtu_fragmentation', { pcap_file: name, limit: 500, offset });
      if (offset === 0) {
        out.frags = m.totals.fragments;
        out.dgramOverflow = m.totals.datagrams_not_itemised;
        out.reassembled = m.totals.reassembled;
        for (const p of m.mtu_paths ?? [])
          out.paths.set(pathKey(p.protocol === 'ipv6' ? 6 : 4, p.src, p.dst), { mtu: p.mtu, oversize: p.oversize_packets });
        out.pathCount = m.totals.paths_with_mtu;
        out.pathCap = (m.capture.limits_reached ?? []).find((x) => x.table === 'icmp_mtu_paths')?.cap;
      }
      for (const d of m.datagrams) bump(out.dgrams, `${d.protocol === 'ipv6' ? 6 : 4} ${canonAddr(d.src)} > ${canonAddr(d.dst)} id ${d.id}`, d.fragments);
      offset += m.datagrams.length;
      if (!m.page.more || !m.datagrams.length) break;
    }
    return out;
  } catch (e) {
    return { error: e.message };
  }
}

function diffMaps(a, b, show = (v) => v) {
  const items = [];
  for (const k of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(k), y = b.get(k);
    if (JSON.stringify(x) !== JSON.stringify(y))
      items.push({ key: k, text: `${k}: tshark ${x === undefined ? 'none' : show(x)}, ours ${y === undefined ? 'none' : show(y)}` });
  }
  return items;
}

const known = readKnown();
const print = orderedPrinter();
const agree = Object.fromEntries(METRICS.map((m) => [m, 0]));
const seen = { errors: 0, frags: 0, paths: 0, dgrams: 0 };
let passed = 0, failed = 0, compared = 0;
await pool(files, 2, async (f, i) => {
  const [t, o] = await Promise.all([theirs(path.join(f.dir, f.rel)), ours(f)]);
  if (!t) return print(i, `skip ${f.key}: tshark cannot read it`);
  if (o.error) {
    if ((known[f.key] ?? []).some((e) => e.metric === 'read')) {
      passed++;
      return print(i, `known ${f.key}: read`);
    }
    failed++;
    return print(i, `DIFF ${f.key}: our analysis failed: ${o.error}`);
  }
  compared++;
  for (const n of t.kinds.values()) seen.errors += n;
  seen.frags += t.frags;
  seen.paths += t.paths.size;
  seen.dgrams += t.dgrams.size;
  const names = [];
  for (const [k, name] of o.names) {
    const info = t.names.get(k);
    if (info === undefined || !info.startsWith(name)) names.push({ key: k, text: `${k}: tshark "${info}", ours "${name}"` });
  }
  // every path we list agrees with tshark's; we list them all unless the table's cap or the byte
  // budget stopped us, and past the cap we hold exactly the cap's number of paths
  const paths = new Map([...t.paths].filter(([k]) => o.paths.has(k) || o.paths.size === o.pathCount)
    .map(([k, e]) => [k, { mtu: e.mtu, oversize: e.oversize }]));
  const pathCount = o.pathCap ? Math.min(o.pathCap, t.paths.size) : t.paths.size;
  const diffs = {
    'icmp.kinds': diffMaps(t.kinds, o.kinds),
    'icmp.names': names,
    'icmp.quoted': [...diffMaps(t.quoted, o.quoted), ...diffMaps(t.mtu, o.mtu, (m) => `MTU ${m}`)],
    'icmp.senders': diffMaps(t.senders, o.senders),
    'frag.frames': t.frags === o.frags ? [] : [{ key: 'count', text: `fragments: tshark ${t.frags}, ours ${o.frags}` }],
    // past the table's cap, the datagrams listed must each agree, and with the fragments not
    // itemised they must add up to every fragment
    'frag.datagrams': o.dgramOverflow
      ? [...diffMaps(new Map([...t.dgrams].filter(([k]) => o.dgrams.has(k))), o.dgrams),
        ...([...o.dgrams.values()].reduce((a, n) => a + n, 0) + o.dgramOverflow === t.frags ? []
          : [{ key: 'sum', text: `fragments itemised + not itemised != tshark's ${t.frags}` }])]
      : diffMaps(t.dgrams, o.dgrams),
    'frag.reassembled': t.reassembled === o.reassembled ? []
      : [{ key: 'count', text: `reassembled: tshark ${t.reassembled}, ours ${o.reassembled}` }],
    'mtu.paths': [...diffMaps(paths, o.paths, (e) => `MTU ${e.mtu}, ${e.oversize} larger after`),
      ...(o.pathCount === pathCount ? [] : [{ key: 'count', text: `paths: tshark ${t.paths.size}, ours ${o.pathCount}` }])],
  };
  for (const m of METRICS) if (!diffs[m].length) agree[m]++;
  const list = Object.entries(diffs).filter(([, it]) => it.length).map(([metric, items]) => ({ metric, items }));
  const { unexplained, known: explained } = applyKnown(list, known[f.key]);
  const ic = [...t.kinds.values()].reduce((s, n) => s + n, 0);
  if (unexplained.length) {
    failed++;
    print(i, `DIFF ${f.key}: ${unexplained.map((x) => `${x.metric}: ${describe(x)}`).join(' | ')}`);
  } else {
    passed++;
    print(i, explained.length ? `known ${f.key}: ${explained.map((k) => k.metric).join(', ')}`
      : ic || t.frags ? `ok ${f.key} (${ic} ICMP errors, ${t.frags} fragments, ${t.paths.size} paths with an MTU)` : '');
  }
});
console.log(`\nfiles compared: ${compared} (tshark's view: ${seen.errors} ICMP errors, ${seen.frags} fragments of ` +
  `${seen.dgrams} datagrams, ${seen.paths} paths with an announced MTU)`);
for (const m of METRICS) console.log(`  ${m.padEnd(17)} ${agree[m]}/${compared} agree`);
console.log(`${passed} passed, ${failed} failed`);
child.stdin.end();
process.exit(failed ? 1 : 0);
