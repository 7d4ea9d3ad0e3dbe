// LAN discovery against tshark 4.0, frame by frame, on the captures of ../shared/corpus-real with
// NetBIOS datagrams (browser announcements) or Dropbox LAN sync discovery, and the capture test_landisc
// writes (PA_LANDISC_EXTRA: every browser command, the LANMAN layout, the netlogon and other mailslots,
// datagrams of every kind, Dropbox announcements with their keys in either order, CoAP on port 17500,
// MikroTik neighbour announcements, a truncated one and datagrams on 5678 that are not MNDP, SLP
// version 2 messages of eight functions and a version 1 request):
//   - the name: tshark's last protocol of frame.protocols (past data and json) against the protocol
//     column of list_packets, on every frame either side names nbdgm, browser, smb_netlogon,
//     db-lsp-disc, mndp, srvloc, or smb over UDP;
//   - the values of the nbdgm.*, mailslot.*, browser.*, mndp.* and srvloc.* fields (pa-dfield-values).
// Skipped (77) without tshark or without any of the captures.
// Usage: node compare_landisc.mjs SERVER PA_DFIELD_VALUES [CORPUS_REAL_DIR]
import fs from 'node:fs';
import path from 'node:path';
import { HERE, SKIP, run, makeStorage, callOurs, compareFieldValues } from './common.mjs';

const FIELDS = ['nbdgm.type', 'nbdgm.dgram_id', 'nbdgm.src.ip', 'nbdgm.src.port', 'nbdgm.source_name',
  'nbdgm.destination_name', 'nbdgm.error_code', 'mailslot.name', 'mailslot.opcode', 'mailslot.class',
  'browser.command', 'browser.server', 'browser.mb_server', 'browser.comment', 'browser.os_major',
  'browser.os_minor', 'browser.windows_version', 'browser.server_type', 'browser.server_type.domain_controller',
  'browser.server_type.browser.master', 'browser.period', 'browser.election.criteria', 'mndp.header.seqno',
  'mndp.tlv.type', 'mndp.tlv.length', 'mndp.mac', 'mndp.identity', 'mndp.version', 'mndp.platform', 'mndp.uptime',
  'mndp.softwareid', 'mndp.board', 'mndp.unpack', 'mndp.ipv6address', 'mndp.interfacename', 'mndp.ipv4address',
  'srvloc.version', 'srvloc.function', 'srvloc.pktlen', 'srvloc.xid', 'srvloc.langtag', 'srvloc.flags_v2',
  'srvloc.nextextoff', 'srvloc.errv2', 'srvloc.url.url', 'srvloc.url.lifetime', 'srvloc.srvreq.srvtypelist',
  'srvloc.srvreq.scopelist', 'srvloc.srvreq.srvtype', 'srvloc.srvtyperply.srvtypelist', 'srvloc.daadvert.url',
  'srvloc.daadvert.scopelist', 'srvloc.saadvert.url', 'srvloc.flags_v1', 'srvloc.dialect', 'srvloc.language',
  'srvloc.encoding', 'srvloc.transaction_id'];
const REAL = ['ndpi__netbios.pcap', 'ndpi__telegram.pcap', 'ndpi__wechat.pcap', 'ndpi__dropbox.pcap',
  'ndpi__android.pcap', 'ndpi__iphone.pcap', 'ndpi__wa_voice.pcap', 'ndpi__whatsapp_login_chat.pcap',
  'ndpi__zoom_p2p.pcapng', 'pcapplusplus__many_interfaces-1.pcapng'];
const NAMES = new Set(['nbdgm', 'browser', 'smb_netlogon', 'db-lsp-disc', 'mndp', 'srvloc']);
const TAILS = new Set(['data', 'json']);

const [server, bin, dirArg] = process.argv.slice(2);
if (!server || !bin) {
  process.stderr.write('usage: compare_landisc.mjs SERVER PA_DFIELD_VALUES [CORPUS_REAL_DIR]\n');
  process.exit(2);
}
const dir = path.resolve(dirArg ?? path.join(HERE, '..', '..', '..', 'shared', 'corpus-real'));
if ((await run('tshark', ['-v'])).code !== 0) {
  console.log('SKIP: tshark not installed');
  process.exit(SKIP);
}
const files = [...REAL.map((f) => path.join(dir, f)), ...(process.env.PA_LANDISC_EXTRA ?? '').split(':')]
  .filter((f) => f && fs.existsSync(f));
if (!files.length) {
  console.log(`SKIP: none of the LAN discovery captures in ${dir}`);
  process.exit(SKIP);
}

async function columns(storage, name) {
  const out = new Map();
  for (let offset = 0; ; ) {
    const sc = await callOurs(server, storage, name, { limit: 1000, offset }, 'list_packets');
    for (const p of sc.packets) out.set(p.number, p.protocol.toLowerCase());
    if (!sc.page.more) break;
    offset += sc.page.returned;
  }
  return out;
}

let failures = 0;
const storage = makeStorage();
for (const file of files) {
  const name = storage.add(path.dirname(file), path.basename(file));
  const t = await run('tshark', ['-r', file, '-T', 'fields', '-e', 'frame.number', '-e', 'frame.protocols']);
  if (t.code !== 0) {
    console.log(`FAIL ${name}: tshark ${t.code}`);
    failures++;
    continue;
  }
  const cols = await columns(storage, name);
  let frames = 0, bad = 0;
  for (const line of t.stdout.split('\n').filter(Boolean)) {
    const [no, chain] = line.split('\t');
    const ps = chain.split(':');
    while (ps.length && TAILS.has(ps[ps.length - 1])) ps.pop();
    const want = ps[ps.length - 1], udp = ps.includes('udp');
    const got = cols.get(+no) ?? '';
    const ours = NAMES.has(got) || (got === 'smb' && udp), theirs = NAMES.has(want) || (want === 'smb' && udp);
    if (!ours && !theirs) continue;
    frames++;
    if (got !== want && bad++ < 8) console.log(`  ${name} frame ${no}: ours "${got}", tshark "${want}" (${chain})`);
  }
  failures += bad;
  console.log(`${bad ? 'FAIL' : 'ok'} ${name}: ${frames} frames named, ${bad} differ`);
}
const { diffs } = await compareFieldValues({ bin, files, fields: FIELDS });
console.log(`total: ${failures} names and ${diffs} values differ`);
process.exit(failures || diffs ? 1 : 0);
