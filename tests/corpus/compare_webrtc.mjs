// STUN, DTLS and RTCP per frame against tshark 4.0 on the real captures: the values of each field
// below (`tshark -T fields`, hex integers read as numbers) must equal ours
// (pa-dfield-values) on every frame where either side has one. Frames that hold an ICMP error
// are left out: tshark dissects the datagram the error quotes, we do not. PA_WEBRTC_EXTRA adds
// captures the tests build (webrtc.pcap: TURN, ICE over IPv4 and IPv6, DTLS with SNI, alerts).
// Usage: node compare_webrtc.mjs PA_DFIELD_VALUES [CORPUS_REAL_DIR]
import fs from 'node:fs';
import path from 'node:path';
import { HERE, SKIP, compareFieldValues, run } from './common.mjs';

const FIELDS = ['stun.type', 'stun.type.method', 'stun.type.class', 'stun.id', 'stun.att.error', 'stun.att.error.class',
  'stun.att.error.reason', 'stun.att.ipv4', 'stun.att.ipv6', 'stun.att.port', 'stun.att.ipv4-xord', 'stun.att.port-xord',
  'stun.att.lifetime', 'stun.att.software', 'stun.att.username', 'stun.att.realm', 'stun.att.priority',
  'stun.att.transp', 'stun.att.channelnum', 'stun.channel', 'stun.response-to', 'stun.time', 'stun.att.crc32', 'stun.att.crc32.status', 'dtls.record.length', 'dtls.record.content_type', 'dtls.record.version', 'dtls.record.epoch',
  'dtls.record.sequence_number', 'dtls.handshake.type', 'dtls.handshake.message_seq',
  'dtls.handshake.fragment_offset', 'dtls.handshake.fragment_length', 'dtls.handshake.length',
  'dtls.handshake.version', 'dtls.handshake.ciphersuite', 'dtls.handshake.extensions_server_name',
  'dtls.use_srtp.protection_profile', 'dtls.alert_message.level', 'dtls.alert_message.desc',
  'rtcp.pt', 'rtcp.senderssrc', 'rtcp.sender.packetcount', 'rtcp.sender.octetcount', 'rtcp.ssrc.identifier',
  'rtcp.ssrc.fraction', 'rtcp.ssrc.cum_nr', 'rtcp.ssrc.jitter', 'rtcp.ssrc.lsr', 'rtcp.ssrc.dlsr',
  'rtcp.roundtrip-delay', 'rtp.p_type', 'rtp.seq', 'rtp.ssrc'];
const FILES = ['ndpi__capwap.pcap', 'ndpi__discord.pcap', 'ndpi__dtls2.pcap', 'ndpi__dtls_mid_sessions.pcapng',
  'ndpi__skype-conference-call.pcap', 'ndpi__stun.pcap', 'ndpi__stun_dtls_unidirectional_server.pcap',
  'ndpi__stun_signal.pcapng', 'ndpi__wa_voice.pcap'];

const [bin, dirArg] = process.argv.slice(2);
if (!bin) {
  process.stderr.write('usage: compare_webrtc.mjs PA_DFIELD_VALUES [CORPUS_REAL_DIR]\n');
  process.exit(2);
}
const dir = path.resolve(dirArg ?? path.join(HERE, '..', '..', '..', 'shared', 'corpus-real'));
if ((await run('tshark', ['-v'])).code !== 0) {
  console.log('SKIP: tshark not installed');
  process.exit(SKIP);
}
const extra = (process.env.PA_WEBRTC_EXTRA ?? '').split(':').filter((f) => f && fs.existsSync(f));
if (!fs.existsSync(dir) && !extra.length) {
  console.log(`SKIP: no corpus at ${dir}`);
  process.exit(SKIP);
}

const { seen, diffs } = await compareFieldValues({ bin, files: [...FILES.map((f) => path.join(dir, f)), ...extra],
  fields: FIELDS,
  // the round trip is a field only with this preference (at any size)
  tsharkArgs: ['-o', 'rtcp.show_roundtrip_calculation:TRUE', '-o', 'rtcp.roundtrip_min_threshhold:0'],
  malformed: true,
  // SRTCP: tshark reads the encrypted rest as more packets until one is malformed; we keep the
  // packets before (its first header)
  same: (field, x, y, malformed) => (malformed && field.startsWith('rtcp.') && x.startsWith(y) ? null : x === y) });
if (!seen) {
  console.log(`SKIP: none of the STUN/DTLS captures in ${dir}`);
  process.exit(SKIP);
}
console.log(`total: ${diffs} values differ`);
process.exit(diffs ? 1 : 0);
