// SSH per frame against tshark 4.0, and per connection against Zeek's ssh.log, on every corpus
// capture with SSH. Per frame: the values of each field below (`tshark -T fields -E occurrence=a`,
// reassembling out of order as our streams do) must equal ours (pa-dfield-values) on every frame
// where either side has one; `ssh` itself is compared as presence (frame.protocols holds ssh).
// tshark names SSH by port (22); the servers we find on other ports (by their identification
// string) are given to it with -d tcp.port==P,ssh. Per connection: version, client and server
// identification strings and the algorithms chosen, from analyze_application_response_times
// (protocol ssh), must equal Zeek's ssh.log row of the same four-tuple. Deliberate differences
// are listed in KNOWN below with their reasons.
// PA_SSH_EXTRA adds captures the tests build (ssh_gen/ssh.pcap: weak algorithms, SSH-1, a huge length).
//
// Usage: node compare_ssh.mjs PA_DFIELD_VALUES SERVER_BIN [CORPUS_REAL_DIR] [CORPUS_DIR]
import fs from 'node:fs';
import path from 'node:path';
import { SKIP, run, makeStorage, callOurs, TSHARK_STREAMS, corporaWithTshark } from './common.mjs';

const FIELDS = ['ssh', 'ssh.direction', 'ssh.protocol', 'ssh.packet_length', 'ssh.padding_length', 'ssh.message_code',
  'ssh.cookie', 'ssh.kex_algorithms', 'ssh.server_host_key_algorithms', 'ssh.encryption_algorithms_client_to_server',
  'ssh.encryption_algorithms_server_to_client', 'ssh.mac_algorithms_client_to_server',
  'ssh.mac_algorithms_server_to_client', 'ssh.compression_algorithms_client_to_server',
  'ssh.compression_algorithms_server_to_client', 'ssh.languages_client_to_server', 'ssh.languages_server_to_client',
  'ssh.kex_algorithms_length', 'ssh.server_host_key_algorithms_length',
  'ssh.encryption_algorithms_client_to_server_length', 'ssh.encryption_algorithms_server_to_client_length',
  'ssh.mac_algorithms_client_to_server_length', 'ssh.mac_algorithms_server_to_client_length',
  'ssh.compression_algorithms_client_to_server_length', 'ssh.compression_algorithms_server_to_client_length',
  'ssh.languages_client_to_server_length', 'ssh.languages_server_to_client_length', 'ssh.first_kex_packet_follows',
  'ssh.kex.hassh_algorithms', 'ssh.kex.hassh', 'ssh.kex.hasshserver_algorithms', 'ssh.kex.hasshserver',
  'ssh.host_key.type'];
// corpus-real captures, then ../shared/corpus ones (with the Zeek ssh.log beside them, if any)
const REAL = ['ndpi__ssh.pcap', 'tcpdump__ssh.pcap', 'tcpdump__mptcp-v0.pcap'];
const CORPUS = [['zeek/ssh__ssh.pcap', 'zeek/ssh__ssh.expected.ssh.basic.ssh.log'], ['zeek/tcp__ssh-dups.pcap'],
  ['zeek/tunnels__gre-sample.pcap', 'zeek/tunnels__gre-sample.expected.core.tunnels.gre.ssh.log'],
  ['arkime/gre-sample.pcap'], ['tcpdump/geneve.pcap']];
// file -> TCP streams whose frames differ on purpose, with the reason
const KNOWN = {
};

const [bin, server, realArg, corpusArg] = process.argv.slice(2);
if (!bin || !server) {
  process.stderr.write('usage: compare_ssh.mjs PA_DFIELD_VALUES SERVER_BIN [CORPUS_REAL_DIR] [CORPUS_DIR]\n');
  process.exit(2);
}
const { real, corpus } = await corporaWithTshark(realArg, corpusArg);
// captures the tests build (PA_SSH_EXTRA, colon-separated: ssh_gen/ssh.pcap)
const extra = (process.env.PA_SSH_EXTRA ?? '').split(':').filter((f) => f && fs.existsSync(f))
  .map((f) => ({ dir: path.dirname(path.resolve(f)), rel: path.basename(f) }));
const files = [...REAL.map((f) => ({ dir: real, rel: f })), ...CORPUS.map(([f, z]) => ({ dir: corpus, rel: f, zeek: z })),
  ...extra].filter((f) => fs.existsSync(path.join(f.dir, f.rel)));
if (!files.length) {
  console.log(`SKIP: none of the SSH captures in ${real} or ${corpus}`);
  process.exit(SKIP);
}

const streamOf = new Map(); // tshark's tcp.stream of each frame of the capture being compared
const norm = (v) => v.split(',').filter((x) => x !== '').join(',');
function rows(text, theirs) {
  const m = new Map();
  for (const line of text.split('\n')) {
    if (!line) continue;
    const cells = line.split('\t');
    let vals;
    if (theirs) { // frame.protocols stands for `ssh`; then tcp.stream
      vals = [/(^|:)ssh(:|$)/.test(cells[1]) ? '1' : '', ...cells.slice(3)];
      streamOf.set(Number(cells[0]), cells[2]);
    } else {
      vals = cells.slice(1);
    }
    // name-lists hold commas: only numeric fields are lists of values
    vals = vals.map((v, i) => (/length|code|follows/.test(FIELDS[i]) ? norm(v) : v));
    if (vals.some((v) => v !== '')) m.set(Number(cells[0]), vals);
  }
  return m;
}

const storage = makeStorage();
const agree = FIELDS.map(() => ({ frames: 0, equal: 0 }));
let diffs = 0, excused = 0, zeekRows = 0, zeekDiffs = 0;
for (const f of files) {
  const file = path.join(f.dir, f.rel);
  const name = path.basename(file);
  let sessions;
  try {
    const sc = await callOurs(server, storage, storage.add(f.dir, f.rel), { protocol: 'ssh', limit: 500 },
      'analyze_application_response_times');
    sessions = sc.sections.find((s) => s.name === 'ssh')?.connections ?? [];
  } catch (e) {
    console.log(`FAIL ${name}: ${e.message}`);
    diffs++;
    continue;
  }
  const ports = [...new Set(sessions.map((s) => s.server_port).filter((p) => p !== 22))];
  const decode = ports.flatMap((p) => ['-d', `tcp.port==${p},ssh`]);
  const t = await run('tshark', ['-r', file, ...TSHARK_STREAMS, ...decode, '-T', 'fields', '-E', 'occurrence=a',
    '-e', 'frame.number', '-e', 'frame.protocols', '-e', 'tcp.stream', ...FIELDS.slice(1).flatMap((x) => ['-e', x])]);
  const o = await run(bin, [file, ...FIELDS]);
  if (t.code !== 0 || o.code !== 0) {
    console.log(`FAIL ${name}: tshark ${t.code}, ours ${o.code} ${o.stderr.trim()}`);
    diffs++;
    continue;
  }
  streamOf.clear();
  const theirs = rows(t.stdout, true), ours = rows(o.stdout, false);
  const frames = new Set([...theirs.keys(), ...ours.keys()]);
  const known = KNOWN[name];
  let bad = 0, skipped = 0;
  for (const fr of [...frames].sort((a, b) => a - b)) {
    const a = theirs.get(fr) ?? [], b = ours.get(fr) ?? [];
    const differs = FIELDS.some((_, i) => (a[i] ?? '') !== (b[i] ?? ''));
    if (differs && known?.streams.has(streamOf.get(fr))) {
      skipped++;
      continue;
    }
    FIELDS.forEach((field, i) => {
      const x = a[i] ?? '', y = b[i] ?? '';
      if (x === '' && y === '') return;
      agree[i].frames++;
      if (x === y) agree[i].equal++;
      else if (bad++ < 8) console.log(`  ${name} frame ${fr} ${field}: tshark "${x.slice(0, 120)}", ours "${y.slice(0, 120)}"`);
    });
  }
  diffs += bad;
  excused += skipped;
  console.log(`${bad ? 'FAIL' : 'ok'} ${name}: ${frames.size} frames with SSH, ${bad} values differ` +
    (skipped ? `, ${skipped} frames known to differ (${known.why})` : '') +
    (decode.length ? ` (tshark: ${decode.filter((_, i) => i % 2).join(' ')})` : ''));

  if (!f.zeek || !fs.existsSync(path.join(f.dir, f.zeek))) continue;
  const lines = fs.readFileSync(path.join(f.dir, f.zeek), 'utf8').split('\n');
  const head = lines.find((l) => l.startsWith('#fields'))?.split('\t').slice(1) ?? [];
  const dash = (v) => (v === '-' || v === '' || v === undefined ? '-' : v);
  for (const l of lines) {
    if (!l || l.startsWith('#')) continue;
    const z = Object.fromEntries(l.split('\t').map((v, i) => [head[i], v]));
    zeekRows++;
    const s = sessions.find((x) => x.client === z['id.orig_h'] && x.client_port === +z['id.orig_p'] &&
      x.server === z['id.resp_h'] && x.server_port === +z['id.resp_p']);
    const pairs = s ? [['version', String(s.version), z.version], ['client', s.client_software, z.client],
      ['server', s.server_software, z.server], ['cipher_alg', dash(s.cipher), dash(z.cipher_alg)],
      ['mac_alg', dash(s.mac), dash(z.mac_alg)], ['compression_alg', dash(s.compression), dash(z.compression_alg)],
      ['kex_alg', dash(s.kex), dash(z.kex_alg)], ['host_key_alg', dash(s.host_key), dash(z.host_key_alg)]] : [];
    const wrong = s ? pairs.filter(([, x, y]) => x !== y) : [['session', 'none', 'one']];
    if (wrong.length) {
      zeekDiffs++;
      console.log(`  ${name} zeek ${z['id.orig_h']}:${z['id.orig_p']} -> ${z['id.resp_h']}:${z['id.resp_p']}: ` +
        wrong.map(([k, x, y]) => `${k} ours "${x}" zeek "${y}"`).join('; '));
    }
  }
  console.log(`${zeekDiffs ? 'FAIL' : 'ok'} ${name}: ${sessions.length} sessions against Zeek's ssh.log`);
}
for (let i = 0; i < FIELDS.length; i++) console.log(`  ${FIELDS[i]}: ${agree[i].equal}/${agree[i].frames} frames equal`);
console.log(`zeek ssh.log: ${zeekRows - zeekDiffs}/${zeekRows} connections equal (version, client, server, cipher, ` +
  'mac, compression, kex, host key)');
console.log(`total: ${diffs} values differ, ${zeekDiffs} Zeek connections differ, ${excused} frames known to differ`);
process.exit(diffs || zeekDiffs ? 1 : 0);
