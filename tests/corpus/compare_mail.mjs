// POP and IMAP per frame against tshark 4.0: the values of each field below must equal ours
// (pa-dfield-values) on every frame where either side has one. No capture of ../shared/corpus or
// ../shared/corpus-real carries POP or IMAP: tests/support/mail_traffic.sh records real sessions
// (dovecot and curl, python3's imaplib and poplib) into the capture given here; TLS after STLS and
// STARTTLS is compared too (where the TLS analyzer takes over).
// With PA_SERVER (the server binary) set, the tools too: every request -> reply pair
// analyze_application_response_times lists (smtp, pop, imap) must have its request frame where
// tshark shows that protocol's request and its reply frame where tshark shows a reply, and its time
// must equal the difference of tshark's timestamps of the two frames (to the microsecond); every
// cleartext credential analyze_security_threats reports must sit on a frame where tshark shows a
// login (IMAP LOGIN or AUTHENTICATE, POP PASS or AUTH, SMTP AUTH or its LOGIN/PLAIN lines), with
// its secret redacted.
// The corpus captures with SMTP may be given too (ctest passes them).
// Usage: node compare_mail.mjs PA_DFIELD_VALUES CAPTURE...
import fs from 'node:fs';
import path from 'node:path';
import { SKIP, callOurs, compareFieldValues, corporaWithTshark, makeStorage, run } from './common.mjs';

const FIELDS = ['pop', 'pop.request.command', 'pop.request.parameter', 'pop.response.indicator',
  'pop.response.description', 'imap', 'imap.isrequest', 'imap.request_tag', 'imap.request.command',
  'imap.response_tag', 'imap.response.status', 'imap.response.command', 'imap.tag', 'imap.command',
  'imap.request.username', 'imap.request.password', 'imap.request.folder', 'imap.response_to', 'imap.time',
  'smtp', 'smtp.req', 'smtp.rsp', 'smtp.req.command', 'smtp.req.parameter', 'smtp.response.code',
  'smtp.rsp.parameter', 'smtp.auth.username', 'smtp.auth.password', 'smtp.auth.username_password', 'tls.handshake.type'];

const [bin, ...captures] = process.argv.slice(2);
if (!bin) {
  process.stderr.write('usage: compare_mail.mjs PA_DFIELD_VALUES CAPTURE...\n');
  process.exit(2);
}
await corporaWithTshark();
const files = captures.filter((f) => fs.existsSync(f));
if (!files.length) {
  console.log('SKIP: no capture (tests/support/mail_traffic.sh needs root, dovecot and curl)');
  process.exit(SKIP);
}
const known = new Set(FIELDS);
// a protocol field: tshark prints its name, we print 1; imap.time: seconds, equal to the nanosecond
const same = (field, a, b) => {
  if (['pop', 'imap', 'smtp'].includes(field)) return (a === field) === (b === '1');
  if (field === 'imap.time') return Math.abs(Number(a) - Number(b)) < 1e-6;
  return known.has(field) && a === b;
};
let { diffs } = await compareFieldValues({ bin, files, fields: FIELDS, same });

const server = process.env.PA_SERVER;
if (server) {
  const storage = makeStorage();
  let allPairs = 0, allCreds = 0;
  for (const file of files) {
    const name = path.basename(file);
    fs.copyFileSync(file, path.join(storage.store, name));
    const t = await run('tshark', ['-r', file, '-T', 'fields', '-E', 'occurrence=f', '-e', 'frame.number', '-e',
      'frame.time_epoch', '-e', 'smtp.req', '-e', 'smtp.rsp', '-e', 'pop.request.command', '-e',
      'pop.response.indicator', '-e', 'imap.isrequest', '-e', 'imap.response.status', '-e', 'imap.request.command',
      '-e', 'smtp.req.command', '-e', 'smtp.auth.username', '-e', 'smtp.auth.username_password', '-e', 'pop',
      '-e', 'smtp']);
    const fr = new Map();
    for (const line of t.stdout.split('\n')) {
      const c = line.split('\t');
      if (c.length < 14) continue;
      fr.set(Number(c[0]), { t: c[1], smtpReq: c[2] === '1' || (c[13] !== '' && c[3] === ''), smtpRsp: c[3] === '1',
        popReq: c[4] !== '', popRsp: c[5] !== '' || (c[12] !== '' && c[4] === ''), imapReq: c[6] === '1',
        imapRsp: c[6] === '0', imapCmd: c[8], smtpCmd: c[9], smtpAuth: c[10] !== '' || c[11] !== '' });
    }
    const ns = (s) => {
      const [sec, frac = ''] = s.split('.');
      return BigInt(sec) * 1000000000n + BigInt(frac.padEnd(9, '0').slice(0, 9));
    };
    let pairs = 0, bad = 0;
    for (const proto of ['smtp', 'pop', 'imap']) {
      const r = await callOurs(server, storage, name, { protocol: proto, limit: 500 },
        'analyze_application_response_times');
      for (const row of r.sections[0].slowest ?? []) {
        pairs++;
        const a = fr.get(row.frame), b = fr.get(row.reply_frame);
        const ok = a && b && a[`${proto}Req`] && b[`${proto}Rsp`] &&
          Math.abs(Number(ns(b.t) - ns(a.t)) / 1e6 - row.time_ms) < 0.001;
        if (!ok) {
          bad++;
          if (bad <= 5) console.log(`  ${name} ${proto} pair ${row.frame} -> ${row.reply_frame} ${row.time_ms} ms: not tshark's`);
        }
      }
    }
    const sec = await callOurs(server, storage, name, {}, 'analyze_security_threats');
    let creds = 0;
    for (const f of sec.findings.filter((x) => x.kind === 'cleartext_credentials')) {
      creds++;
      const a = fr.get(f.evidence.frame);
      const login = a && (['LOGIN', 'AUTHENTICATE'].includes(a.imapCmd) || a.popReq || a.smtpCmd === 'AUTH' || a.smtpAuth);
      if (!login || !/^<redacted, \d+ characters>$/.test(f.evidence.secret ?? '<redacted, 0 characters>')) {
        bad++;
        console.log(`  ${name} credential at frame ${f.evidence.frame}: not on a login tshark shows, or not redacted`);
      }
    }
    // the expert message Wireshark raises on the AUTH PLAIN message after a 334
    const BASE64 = 'base64 decode failed or is not enabled (check SMTP preferences)';
    const te = await run('tshark', ['-r', file, '-Y', `smtp && _ws.expert.message == "${BASE64}"`, '-T', 'fields',
      '-e', 'frame.number']);
    const theirs = te.stdout.split('\n').filter((l) => l).map(Number);
    const ex = await callOurs(server, storage, name, { limit: 500 }, 'analyze_expert_information');
    const mine = ex.messages.filter((m) => m.protocol === 'SMTP' && m.summary === BASE64);
    const count = mine.reduce((a, m) => a + m.count, 0);
    const first = mine.flatMap((m) => m.first_frames ?? []);
    if (count !== theirs.length || first.some((f) => !theirs.includes(f))) {
      bad++;
      console.log(`  ${name} SMTP base64 expert: tshark ${theirs.join(' ') || 'none'}, ours ${count} at ${first.join(' ')}`);
    }
    console.log(`${bad ? 'FAIL' : 'ok'} ${name}: ${pairs} request -> reply pairs, ${creds} credentials, ` +
      `${count} SMTP expert messages checked`);
    allPairs += pairs;
    allCreds += creds;
    diffs += bad;
  }
  if (!allPairs || !allCreds) diffs++; /* the sessions recorded have both */
}
console.log(`total: ${diffs} values differ`);
process.exit(diffs ? 1 : 0);
