// analyze_windows_domain against tshark 4.0, per capture with Kerberos, LDAP, SMB2 or DCE-RPC:
//   - Kerberos: errors, PREAUTH_REQUIRED errors, and the failures listed (every KRB-ERROR but
//     PREAUTH_REQUIRED, grouped by account and reason) add up to tshark's KRB-ERROR messages;
//   - LDAP: failed binds (bindResponse with a resultCode other than success and
//     saslBindInProgress) as tshark counts them;
//   - SMB2: sessions never established whose setups failed, against tshark's Session Setup
//     responses with an error status (per session id);
//   - DCE-RPC: faults (tshark's pkt_type 3), and the fault rows add up to them;
//   - the slowest operation equals the largest of tshark's kerberos pairs' times (we check only
//     that it is not below tshark's largest smb2.time, dcerpc.time and ldap.time, which are
//     among the operations ranked).
// PA_WINDOWS_EXTRA adds captures the other tests generate (Samba, MIT krb5, slapd).
// Usage: node compare_windows_domain.mjs PA_SERVER [CORPUS_REAL_DIR [CORPUS_DIR]]
import fs from 'node:fs';
import path from 'node:path';
import { SKIP, callOurs, corporaWithTshark, makeStorage, run } from './common.mjs';

const [server, realArg, corpusArg] = process.argv.slice(2);
if (!server) {
  process.stderr.write('usage: compare_windows_domain.mjs PA_SERVER [CORPUS_REAL_DIR [CORPUS_DIR]]\n');
  process.exit(2);
}
const { real, corpus } = await corporaWithTshark(realArg, corpusArg);
const extra = (process.env.PA_WINDOWS_EXTRA ?? '').split(':').filter((f) => f && fs.existsSync(f));
const files = [path.join(real, 'ndpi__kerberos.pcap'), path.join(corpus, 'zeek', 'smb__smb3_multichannel.pcap'),
  ...extra].filter((f) => fs.existsSync(f));
if (!files.length) {
  console.log('SKIP: no capture with Windows-domain protocols');
  process.exit(SKIP);
}

async function fields(file, filter, names) {
  const args = ['-r', file, '-Y', filter, '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,'];
  for (const n of names) args.push('-e', n);
  const r = await run('tshark', args);
  if (r.code !== 0) throw new Error(`tshark ${filter}: ${r.stderr}`);
  return r.stdout.split('\n').filter(Boolean).map((l) => l.split('\t'));
}

const storage = makeStorage();
let bad = 0, checked = 0;
const expect = (file, what, ours, theirs) => {
  checked++;
  if (ours !== theirs) {
    bad++;
    console.log(`DIFF ${path.basename(file)}: ${what}: ours ${ours}, tshark ${theirs}`);
  }
};
for (const file of files) {
  const rel = path.join(path.basename(path.dirname(file)), path.basename(file));
  const name = storage.add(path.dirname(path.dirname(file)), rel);
  const sc = await callOurs(server, storage, name, { limit: 500 }, 'analyze_windows_domain');
  const tot = sc.totals;
  const byProto = (p) => sc.authentication_failures.filter((r) => r.protocol === p).reduce((a, r) => a + r.count, 0);

  // Kerberos errors: one value per KRB-ERROR message
  const krb = (await fields(file, 'kerberos.msg_type == 30', ['kerberos.error_code'])).flatMap((r) => r[0].split(','));
  const preauth = krb.filter((c) => c === '25').length;
  expect(file, 'kerberos errors', tot.kerberos.errors, krb.length);
  expect(file, 'kerberos PREAUTH_REQUIRED', tot.kerberos.preauth_required, preauth);
  expect(file, 'kerberos failures listed', byProto('kerberos'), krb.length - preauth);

  // LDAP binds that failed
  const binds = (await fields(file, 'ldap.protocolOp == 1', ['ldap.resultCode'])).flatMap((r) => r[0].split(','));
  const failed = binds.filter((c) => c !== '0' && c !== '14').length;
  expect(file, 'ldap failed binds', tot.ldap.binds_failed, failed);
  expect(file, 'ldap failures listed', byProto('ldap'), failed);

  // SMB2 sessions whose every setup failed
  const setups = await fields(file, 'smb2.cmd == 1 && smb2.flags.response == 1', ['smb2.sesid', 'smb2.nt_status']);
  const sess = new Map();
  for (const [ids, sts] of setups) {
    const i = ids.split(','), s = sts.split(',');
    for (let k = 0; k < i.length; k++) {
      const e = sess.get(i[k]) ?? { ok: false, failed: false };
      if (s[k] === '0x00000000') e.ok = true;
      else if (s[k] !== '0xc0000016') e.failed = true; /* MORE_PROCESSING_REQUIRED: a step */
      sess.set(i[k], e);
    }
  }
  const never = [...sess.values()].filter((e) => e.failed && !e.ok).length;
  expect(file, 'smb2 sessions that never logged on', byProto('smb2'), never);

  // DCE-RPC faults
  const faults = (await fields(file, 'dcerpc.pkt_type == 3', ['dcerpc.cn_call_id'])).length;
  expect(file, 'dcerpc faults', tot.dcerpc.faults, faults);
  expect(file, 'dcerpc fault rows', sc.dcerpc_faults.reduce((a, r) => a + r.count, 0), faults);

  // the slowest operation is at least every timed response tshark shows
  let max = 0;
  for (const f of ['smb2.time', 'dcerpc.time', 'ldap.time']) {
    const rows = await fields(file, f, [f]);
    for (const [v] of rows) for (const x of v.split(',')) max = Math.max(max, Number(x) * 1e3);
  }
  const top = sc.slowest[0]?.time_ms ?? 0;
  checked++;
  if (top + 1e-6 < max) {
    bad++;
    console.log(`DIFF ${path.basename(file)}: slowest ${top} ms, tshark has a response of ${max} ms`);
  }
  console.log(`ok ${rel}: kerberos errors ${krb.length}, ldap failed binds ${failed}, smb2 sessions refused ${never}, ` +
    `dcerpc faults ${faults}, slowest ${top.toFixed(3)} ms`);
}
console.log(`total: ${bad} of ${checked} figures differ on ${files.length} captures`);
process.exit(bad ? 1 : 0);
