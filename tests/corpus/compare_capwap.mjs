// CAPWAP and the IEEE 802.11 frames it carries, against tshark 4.0, frame by frame, on
// ndpi__capwap.pcap (../shared/corpus-real) and the capture unit_decode builds (PA_CAPWAP_EXTRA:
// every frame type, DS combination, A-MSDU, fragments, keep-alive, 802.3 inside, DTLS on the
// data channel, malformed headers):
//   - the protocol column of list_packets against tshark's, Wireshark's names read as ours
//     (802.11 is WLAN, our upper-cased short names, as ../shared/tools/coverage.py reads them);
//   - frame.protocols: ours (the decoded layers) a prefix of tshark's, stopping at no layer we
//     decode;
//   - the values of every capwap.*, wlan.* and llc.* field (pa-dfield-values);
//   - DHCP inside the tunnel: analyze_dhcp_traffic's messages, types and client frames against
//     `tshark -Y dhcp`.
// Skipped (77) without tshark or without both captures.
// Usage: node compare_capwap.mjs SERVER PA_DFIELD_VALUES [CORPUS_REAL_DIR]
import fs from 'node:fs';
import path from 'node:path';
import { HERE, SKIP, run, makeStorage, callOurs } from './common.mjs';

const FIELDS = ['capwap.preamble.version', 'capwap.preamble.type', 'capwap.header.length', 'capwap.header.rid',
  'capwap.header.wbid', 'capwap.header.flags', 'capwap.header.flags.t', 'capwap.header.flags.f',
  'capwap.header.flags.l', 'capwap.header.flags.w', 'capwap.header.flags.m', 'capwap.header.flags.k',
  'capwap.header.fragment.id', 'capwap.header.fragment.offset', 'capwap.header.mac.length',
  'capwap.header.mac.eui48', 'capwap.header.wireless.length', 'capwap.control.header.message_type',
  'capwap.control.header.sequence_number', 'capwap.control.header.message_element_length',
  'capwap.control.header.flags', 'wlan.fc.version', 'wlan.fc.type', 'wlan.fc.subtype', 'wlan.fc.type_subtype',
  'wlan.fc.ds', 'wlan.fc.tods', 'wlan.fc.fromds', 'wlan.fc.frag', 'wlan.fc.retry', 'wlan.fc.pwrmgt',
  'wlan.fc.moredata', 'wlan.fc.protected', 'wlan.fc.order', 'wlan.duration', 'wlan.ra', 'wlan.ta', 'wlan.da',
  'wlan.sa', 'wlan.bssid', 'wlan.staa', 'wlan.addr', 'wlan.seq', 'wlan.frag', 'wlan.qos.tid', 'wlan.qos.priority',
  'wlan.qos.amsdupresent', 'wlan.htc', 'llc.dsap', 'llc.ssap', 'llc.control', 'llc.oui', 'llc.type'];
// Wireshark's protocol column -> ours, where the names differ
const COLUMN = { '802.11': 'WLAN', 'CAPWAP-Control': 'CAPWAP', 'CAPWAP-Data': 'CAPWAP.DATA', 'IGMPv2': 'IGMP',
  'IGMPv3': 'IGMP', 'DTLSv1.0': 'DTLS', 'DTLSv1.2': 'DTLS' };
// layers we decode: our frame.protocols may not stop before one of these
const DECODED = new Set(['eth', 'ethertype', 'ip', 'ipv6', 'udp', 'tcp', 'llc', 'wlan', 'capwap.data', 'arp', 'icmp',
  'icmpv6', 'igmp', 'wlccp']);
// IPv6 extension headers tshark lists as protocols of their own
const TSHARK_ONLY = new Set(['ipv6.hopopts', 'ipv6.dstopts', 'ipv6.routing']);

const [server, bin, dirArg] = process.argv.slice(2);
if (!server || !bin) {
  process.stderr.write('usage: compare_capwap.mjs SERVER PA_DFIELD_VALUES [CORPUS_REAL_DIR]\n');
  process.exit(2);
}
const dir = path.resolve(dirArg ?? path.join(HERE, '..', '..', '..', 'shared', 'corpus-real'));
if ((await run('tshark', ['-v'])).code !== 0) {
  console.log('SKIP: tshark not installed');
  process.exit(SKIP);
}
const files = [path.join(dir, 'ndpi__capwap.pcap'), ...(process.env.PA_CAPWAP_EXTRA ?? '').split(':')]
  .filter((f) => f && fs.existsSync(f));
if (files.length < 2) {
  console.log(`SKIP: ndpi__capwap.pcap (${dir}) or the built capture is missing`);
  process.exit(SKIP);
}

// values as one set: the order Wireshark adds an address under its roles is not ours
const norm = (v) => v.split(',').filter((x) => x !== '').map((x) => (/^0x[0-9a-f]+$/i.test(x) ? String(BigInt(x)) : x))
  .sort().join(',');
let failures = 0;
const fail = (msg) => {
  if (failures++ < 40) console.log(`  ${msg}`);
};

/** Every frame's protocol column, paging list_packets. */
async function columns(storage, name) {
  const out = new Map();
  for (let offset = 0; ; ) {
    const sc = await callOurs(server, storage, name, { limit: 1000, offset }, 'list_packets');
    for (const p of sc.packets) out.set(p.number, p.protocol);
    if (!sc.page.more) break;
    offset += sc.page.returned;
  }
  return out;
}

const storage = makeStorage();
for (const file of files) {
  const name = storage.add(path.dirname(file), path.basename(file));
  const before = failures;
  // columns and frame.protocols
  const t = await run('tshark', ['-r', file, '-T', 'fields', '-e', 'frame.number', '-e', '_ws.col.Protocol', '-e',
    'frame.protocols']);
  const layers = await run(bin, [file, 'frame.protocols']);
  if (t.code !== 0 || layers.code !== 0) {
    fail(`${name}: tshark ${t.code}, ours ${layers.code} ${layers.stderr.trim()}`);
    continue;
  }
  const ours = new Map(layers.stdout.split('\n').filter(Boolean).map((l) => l.split('\t')).map(([n, s]) => [+n, s]));
  const cols = await columns(storage, name);
  let frames = 0;
  for (const line of t.stdout.split('\n').filter(Boolean)) {
    const [no, col, chain] = line.split('\t');
    frames++;
    const want = COLUMN[col] ?? col, got = cols.get(+no);
    if (got !== want) fail(`${name} frame ${no}: column "${got}", tshark "${col}"`);
    const theirs = chain.split(':').filter((p) => !TSHARK_ONLY.has(p)), mine = (ours.get(+no) ?? '').split(':');
    const prefix = mine.every((p, i) => theirs[i] === p);
    const next = theirs[mine.length]; /* tshark names IGMP twice */
    if (!prefix || (DECODED.has(next) && next !== mine[mine.length - 1])) fail(`${name} frame ${no}: layers ${mine.join(':')}, tshark ${chain}`);
  }
  // field values
  const tv = await run('tshark', ['-r', file, '-T', 'fields', '-E', 'occurrence=a', '-e', 'frame.number',
    ...FIELDS.flatMap((f) => ['-e', f])]);
  const ov = await run(bin, [file, ...FIELDS]);
  const rows = (text) => new Map(text.split('\n').filter(Boolean).map((l) => l.split('\t'))
    .filter((c) => c.slice(1).some((v) => v !== '')).map((c) => [+c[0], c.slice(1).map(norm)]));
  const a = rows(tv.stdout), b = rows(ov.stdout);
  let values = 0;
  for (const f of new Set([...a.keys(), ...b.keys()])) {
    FIELDS.forEach((field, i) => {
      const x = a.get(f)?.[i] ?? '', y = b.get(f)?.[i] ?? '';
      if (x === '' && y === '') return;
      values++;
      if (x !== y) fail(`${name} frame ${f} ${field}: tshark "${x}", ours "${y}"`);
    });
  }
  console.log(`${failures > before ? 'FAIL' : 'ok'} ${name}: ${frames} frames (columns, layers), ${values} field values`);
}

// DHCP inside the tunnel: our transactions against tshark's DHCP frames
{
  const file = files[0];
  const name = path.basename(file);
  const t = await run('tshark', ['-r', file, '-Y', 'dhcp', '-T', 'fields', '-e', 'frame.number', '-e',
    'dhcp.option.dhcp', '-e', 'dhcp.id']);
  const rows = t.stdout.split('\n').filter(Boolean).map((l) => l.split('\t'));
  const sc = await callOurs(server, storage, name, {}, 'analyze_dhcp_traffic');
  const names = { 1: 'Discover', 2: 'Offer', 3: 'Request', 4: 'Decline', 5: 'ACK', 6: 'NAK', 7: 'Release', 8: 'Inform' };
  const types = {};
  for (const [, type] of rows) types[names[type] ?? type] = (types[names[type] ?? type] ?? 0) + 1;
  const frames = sc.clients.flatMap((c) => c.frames).sort((x, y) => x - y);
  const want = rows.map((r) => +r[0]);
  if (sc.totals.dhcp_messages !== rows.length) fail(`DHCP messages ${sc.totals.dhcp_messages}, tshark ${rows.length}`);
  const sorted = (o) => JSON.stringify(Object.entries(o).sort());
  if (sorted(sc.message_types.dhcp) !== sorted(types))
    fail(`DHCP types ${JSON.stringify(sc.message_types.dhcp)}, tshark ${JSON.stringify(types)}`);
  if (JSON.stringify(frames) !== JSON.stringify(want)) fail(`DHCP frames ${frames}, tshark ${want}`);
  const xids = new Set(rows.map((r) => BigInt(r[2])));
  if (sc.totals.transactions !== xids.size) fail(`DHCP transactions ${sc.totals.transactions}, tshark xids ${xids.size}`);
  console.log(`DHCP in CAPWAP (${name}): ${rows.length} messages, ${xids.size} transactions; ours ${sc.totals.dhcp_messages}, ${sc.totals.transactions}`);
}
console.log(`total: ${failures} differences`);
process.exit(failures ? 1 : 0);
