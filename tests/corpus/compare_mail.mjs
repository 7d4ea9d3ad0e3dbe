// POP and IMAP per frame against tshark 4.0: the values of each field below must equal ours
// (pa-dfield-values) on every frame where either side has one. No capture of ../shared/corpus or
// ../shared/corpus-real carries POP or IMAP: tests/support/mail_traffic.sh records real sessions
// (dovecot and curl, python3's imaplib and poplib) into the capture given here; TLS after STLS and
// STARTTLS is compared too (where the TLS analyzer takes over).
// Usage: node compare_mail.mjs PA_DFIELD_VALUES CAPTURE...
import { SKIP, compareFieldValues, corporaWithTshark } from './common.mjs';
import fs from 'node:fs';

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
const { diffs } = await compareFieldValues({ bin, files, fields: FIELDS, same });
console.log(`total: ${diffs} values differ`);
process.exit(diffs ? 1 : 0);
