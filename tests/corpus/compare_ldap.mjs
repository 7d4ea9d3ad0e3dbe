// LDAP and CLDAP per frame against tshark 4.0 on the captures with LDAP: the values of each field
// below must equal ours (pa-dfield-values) on every frame where either side has one, one value per
// message of the frame (several messages in one segment, one message over several segments). Those
// pair each response with its request by messageID (ldap.response_to, ldap.time: equal within a
// microsecond). PA_LDAP_EXTRA adds captures: real traffic from slapd and ldap-utils
// (gen_ldap.sh: binds right, wrong, anonymous and unauthenticated, searches with every filter kind,
// noSuchObject, add, modify, modDN, compare, delete, WhoAmI, StartTLS, a refused SASL bind) and the
// one test_ldap writes (CLDAP, SASL buffers, hostile messages).
// Usage: node compare_ldap.mjs PA_DFIELD_VALUES [CORPUS_REAL_DIR [CORPUS_DIR]]
import fs from 'node:fs';
import path from 'node:path';
import { SKIP, compareFieldValues, corporaWithTshark } from './common.mjs';

const FIELDS = ['ldap.messageID', 'ldap.protocolOp', 'ldap.resultCode', 'ldap.matchedDN', 'ldap.errorMessage',
  'ldap.version', 'ldap.name', 'ldap.authentication', 'ldap.simple', 'ldap.mechanism', 'ldap.baseObject', 'ldap.scope',
  'ldap.derefAliases', 'ldap.sizeLimit', 'ldap.timeLimit', 'ldap.objectName', 'ldap.entry', 'ldap.requestName',
  'ldap.responseName', 'ldap.abandonRequest', 'ldap.sasl_buffer_length', 'ldap.response_to', 'ldap.time'];
const REAL = ['pcapplusplus__ldap.pcapng', 'ndpi__kerberos.pcap'];
const CORPUS = [];

const [bin, realArg, corpusArg] = process.argv.slice(2);
if (!bin) {
  process.stderr.write('usage: compare_ldap.mjs PA_DFIELD_VALUES [CORPUS_REAL_DIR [CORPUS_DIR]]\n');
  process.exit(2);
}
const { real, corpus } = await corporaWithTshark(realArg, corpusArg);

function same(field, a, b) {
  if (field !== 'ldap.time') return a === b;
  const x = a.split(','), y = b.split(',');
  return x.length === y.length && x.every((v, i) => Math.abs(Number(v) - Number(y[i])) < 1e-6);
}

const extra = (process.env.PA_LDAP_EXTRA ?? '').split(':').filter((f) => f && fs.existsSync(f));
const files = [...REAL.map((f) => path.join(real, f)), ...CORPUS.map((f) => path.join(corpus, f)), ...extra];
const { seen, diffs } = await compareFieldValues({ bin, files, fields: FIELDS, same });
if (!seen) {
  console.log(`SKIP: none of the LDAP captures in ${real} or ${corpus}`);
  process.exit(SKIP);
}
console.log(`total: ${diffs} values differ`);
process.exit(diffs ? 1 : 0);
