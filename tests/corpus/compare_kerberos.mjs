// Kerberos per frame against tshark 4.0 on the captures with Kerberos: the values of each field
// below must equal ours (pa-dfield-values) on every frame where either side has one: message
// types (an AP-REQ inside a TGS-REQ's padata too), error codes, client and service name
// components, realms, the etypes of encrypted parts and ETYPE-INFO2 entries, the etype list a
// request offers, padata types. Frames holding an ICMP error are left out (tshark dissects the
// datagram it quotes). PA_KERBEROS_EXTRA adds the captures test_kerberos writes (MIT krb5 over UDP
// and TCP when the daemons are installed, and crafted messages).
// Usage: node compare_kerberos.mjs PA_DFIELD_VALUES [CORPUS_REAL_DIR [CORPUS_DIR]]
import fs from 'node:fs';
import path from 'node:path';
import { SKIP, compareFieldValues, corporaWithTshark } from './common.mjs';

const FIELDS = ['kerberos.pvno', 'kerberos.msg_type', 'kerberos.error_code', 'kerberos.CNameString',
  'kerberos.SNameString', 'kerberos.realm', 'kerberos.crealm', 'kerberos.etype', 'kerberos.ENCTYPE',
  'kerberos.padata_type', 'kerberos.nonce', 'kerberos.e_text'];
const REAL = ['ndpi__kerberos.pcap', 'tcpdump__afs.pcap'];

const [bin, realArg, corpusArg] = process.argv.slice(2);
if (!bin) {
  process.stderr.write('usage: compare_kerberos.mjs PA_DFIELD_VALUES [CORPUS_REAL_DIR [CORPUS_DIR]]\n');
  process.exit(2);
}
const { real } = await corporaWithTshark(realArg, corpusArg);
const extra = (process.env.PA_KERBEROS_EXTRA ?? '').split(':').filter((f) => f && fs.existsSync(f));
const files = [...REAL.map((f) => path.join(real, f)), ...extra];
const { seen, diffs } = await compareFieldValues({ bin, files, fields: FIELDS });
if (!seen) {
  console.log(`SKIP: none of the Kerberos captures in ${real}`);
  process.exit(SKIP);
}
console.log(`total: ${diffs} values differ`);
process.exit(diffs ? 1 : 0);
