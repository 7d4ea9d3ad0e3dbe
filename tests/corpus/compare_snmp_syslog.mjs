// SNMP and syslog per frame against tshark 4.0: the values of each field below must equal ours
// (pa-dfield-values) on every frame where either side has one, on the real traffic
// tests/support/gen_snmp_syslog.sh captures (PA_SNMP_EXTRA: snmpd, snmptrapd and the net-snmp
// tools in v1, v2c and v3; logger over UDP) and on any capture of the corpora that carries them.
// tshark prints an empty byte field (an SNMPv3 discovery's engine id) as <MISSING>: empty to us.
// Then the tool's snmp section against what tshark's fields give: requests (get, getnext, set,
// getbulk, inform; encrypted v3 ones by their reportable flag), responses (get-response, report),
// and requests no response answered (by request-id, v3 by msgID, as the section pairs them).
// Usage: node compare_snmp_syslog.mjs PA_DFIELD_VALUES SERVER [CORPUS_REAL_DIR [CORPUS_DIR]]
import fs from 'node:fs';
import path from 'node:path';
import { SKIP, callOurs, compareFieldValues, corporaWithTshark, makeStorage, run } from './common.mjs';

const SNMP = ['snmp.version', 'snmp.msgVersion', 'snmp.community', 'snmp.data', 'snmp.request_id',
  'snmp.error_status', 'snmp.error_index', 'snmp.non_repeaters', 'snmp.max_repetitions', 'snmp.generic_trap',
  'snmp.specific_trap', 'snmp.agent_addr', 'snmp.msgID', 'snmp.msgFlags', 'snmp.msgSecurityModel',
  'snmp.msgUserName', 'snmp.msgAuthoritativeEngineID'];
const SYSLOG = ['syslog.facility', 'syslog.level', 'syslog.msg', 'syslog.version', 'syslog.timestamp_rfc3164',
  'syslog.hostname', 'syslog.appname', 'syslog.procid', 'syslog.msgid'];

const [bin, server, realArg, corpusArg] = process.argv.slice(2);
if (!bin || !server) {
  process.stderr.write('usage: compare_snmp_syslog.mjs PA_DFIELD_VALUES SERVER [CORPUS_REAL_DIR [CORPUS_DIR]]\n');
  process.exit(2);
}
const { real, corpus } = await corporaWithTshark(realArg, corpusArg);
const extra = (process.env.PA_SNMP_EXTRA ?? '').split(':').filter((f) => f && fs.existsSync(f));
// the corpora's captures with UDP or TCP on 161, 162 or 514 (where tshark could see either
// protocol), found with our fast decoder; tshark then says which carry them
const PORTS = new Set(['161', '162', '514']);
const found = [];
for (const dir of [real, corpus]) {
  if (!fs.existsSync(dir)) continue;
  const files = fs.readdirSync(dir, { recursive: true }).filter((f) => /\.(pcap|pcapng|cap)$/.test(f));
  for (const f of files) {
    const o = await run(bin, [path.join(dir, f), 'udp.port', 'tcp.port']);
    const hit = o.stdout.split('\n').some((l) => l.split('\t').slice(1).some((c) => c.split(',').some((x) => PORTS.has(x))));
    if (!hit) continue;
    const r = await run('tshark', ['-r', path.join(dir, f), '-Y', 'snmp or syslog', '-T', 'fields', '-e', 'frame.number']);
    if (r.code === 0 && r.stdout.trim()) found.push(path.join(dir, f));
  }
}
const files = [...extra, ...found];
const same = (f, a, b) => a === b || (a === '<MISSING>' && b === '');
let total = 0;
const s = await compareFieldValues({ bin, files, fields: SNMP, same });
const l = await compareFieldValues({ bin, files, fields: SYSLOG, same });
total += s.diffs + l.diffs;
if (!s.seen) {
  console.log('SKIP: no capture with SNMP or syslog (gen_snmp_syslog.sh needs root and net-snmp)');
  process.exit(SKIP);
}

// the snmp section against tshark's fields
const storage = makeStorage();
for (const file of files) {
  const t = await run('tshark', ['-r', file, '-Y', 'snmp', '-T', 'fields', '-e', 'ip.src', '-e', 'udp.srcport',
    '-e', 'tcp.srcport', '-e', 'ip.dst', '-e', 'udp.dstport', '-e', 'tcp.dstport', '-e', 'snmp.data',
    '-e', 'snmp.request_id', '-e', 'snmp.msgID', '-e', 'snmp.msgFlags', '-e', 'snmp.encryptedPDU']);
  const pending = new Map();
  let requests = 0, responses = 0;
  for (const line of t.stdout.split('\n')) {
    if (!line) continue;
    const [src, us, ts, dst, ud, td, pdu, rid, mid, flags, enc] = line.split('\t');
    const v3 = mid !== '';
    const flagsN = parseInt(flags || '0', 16);
    const req = enc ? (flagsN & 4) !== 0 : ['0', '1', '3', '5', '6'].includes(pdu);
    const resp = enc ? (flagsN & 4) === 0 : ['2', '8'].includes(pdu);
    const id = v3 ? `m${mid}` : `r${rid}`;
    if (!v3 && rid === '') continue;
    if (req) {
      requests++;
      pending.set(`${src}|${us || ts}|${dst}|${ud || td}|${id}`, true);
    }
    if (resp) {
      responses++;
      const k = `${dst}|${ud || td}|${src}|${us || ts}|${id}`;
      if (pending.has(k)) pending.set(k, false);
    }
  }
  const unanswered = [...pending.values()].filter(Boolean).length;
  const name = path.basename(file);
  fs.copyFileSync(file, path.join(storage.store, name)); /* the server follows no link out of its storage */
  let sec;
  try {
    const out = await callOurs(server, storage, name, { protocol: 'snmp' }, 'analyze_application_response_times');
    sec = out.sections.find((x) => x.name === 'snmp');
  } catch (e) {
    console.log(`FAIL ${name}: ${e.message}`);
    total++;
    continue;
  }
  if (!requests && !responses) continue;
  const timed = sec.overall?.samples ?? 0;
  const want = `requests ${requests}, responses ${responses}, unanswered ${unanswered}`;
  const got = `unanswered ${sec.unanswered}, timed ${timed}`;
  // every request and its retransmissions share one pending entry: the timed pairs are the
  // distinct requests answered
  const distinct = pending.size;
  const ok = sec.unanswered === unanswered && timed === distinct - unanswered;
  console.log(`${ok ? 'ok' : 'FAIL'} ${name} snmp section: tshark ${want} (${distinct} distinct); ours ${got}`);
  if (!ok) total++;
}
console.log(`total: ${total} differences`);
process.exit(total ? 1 : 0);
