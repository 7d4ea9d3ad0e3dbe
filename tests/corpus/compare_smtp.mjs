// SMTP per frame against tshark 4.0 on the captures with SMTP: the values of each field below must
// equal ours (pa-dfield-values) on every frame where either side has one: which client frames are
// SMTP (a line ended in them, or a piece of a message after DATA), the commands and their parameters
// as Wireshark cuts them, every reply line's text, the AUTH LOGIN identity and password lines, and
// where STARTTLS hands the connection to TLS. PA_SMTP_EXTRA adds captures (':'-separated).
// Usage: node compare_smtp.mjs PA_DFIELD_VALUES [CORPUS_REAL_DIR [CORPUS_DIR]]
import fs from 'node:fs';
import path from 'node:path';
import { SKIP, compareFieldValues, corporaWithTshark } from './common.mjs';

const FIELDS = ['smtp', 'smtp.req', 'smtp.rsp', 'smtp.req.command', 'smtp.req.parameter', 'smtp.response.code',
  'smtp.rsp.parameter', 'smtp.auth.username', 'smtp.auth.password', 'smtp.auth.username_password', 'tls.handshake.type'];
const REAL = ['ndpi__emotet.pcap'];
const CORPUS = ['zeek/tls__smtp-starttls.pcap'];

const [bin, realArg, corpusArg] = process.argv.slice(2);
if (!bin) {
  process.stderr.write('usage: compare_smtp.mjs PA_DFIELD_VALUES [CORPUS_REAL_DIR [CORPUS_DIR]]\n');
  process.exit(2);
}
const { real, corpus } = await corporaWithTshark(realArg, corpusArg);
const extra = (process.env.PA_SMTP_EXTRA ?? '').split(':').filter((f) => f && fs.existsSync(f));
const files = [...REAL.map((f) => path.join(real, f)), ...CORPUS.map((f) => path.join(corpus, f)), ...extra];
// a protocol field: tshark prints its name, we print 1
const same = (field, a, b) => (field === 'smtp' ? (a === 'smtp') === (b === '1') : a === b);
const { seen, diffs } = await compareFieldValues({ bin, files, fields: FIELDS, same });
if (!seen) {
  console.log(`SKIP: none of the SMTP captures in ${real} or ${corpus}`);
  process.exit(SKIP);
}
console.log(`total: ${diffs} values differ`);
process.exit(diffs ? 1 : 0);
