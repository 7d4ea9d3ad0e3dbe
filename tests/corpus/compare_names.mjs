// mDNS, LLMNR, NBNS and SSDP per frame against tshark 4.0 on the captures of ../shared/corpus-real
// and ../shared/corpus that hold them: the names and addresses of mDNS and LLMNR messages (dns.*),
// every nbns.* field we offer, and SSDP's request or status line and headers as tshark's HTTP
// dissector names them (http.*). On every frame tshark calls mdns, llmnr, nbns or ssdp, or where
// we give a value, each field's values (`tshark -T fields -E occurrence=a`, hex integers read as
// numbers) must equal ours (pa-dfield-values), and the frames tshark calls ssdp must be the
// frames our `ssdp` field marks.
// Usage: node compare_names.mjs PA_DFIELD_VALUES [CORPUS_REAL_DIR] [CORPUS_DIR]
import fs from 'node:fs';
import path from 'node:path';
import { SKIP, run, corporaWithTshark } from './common.mjs';

const DNS = ['dns.id', 'dns.flags.response', 'dns.qry.name', 'dns.qry.type', 'dns.resp.name', 'dns.a', 'dns.aaaa',
  'dns.count.answers'];
const NBNS = ['nbns.id', 'nbns.flags', 'nbns.flags.response', 'nbns.flags.opcode', 'nbns.flags.broadcast',
  'nbns.flags.rcode', 'nbns.count.queries', 'nbns.count.answers', 'nbns.count.auth_rr', 'nbns.count.add_rr',
  'nbns.name', 'nbns.type', 'nbns.class', 'nbns.ttl', 'nbns.nb_flags.group', 'nbns.addr'];
const SSDP = ['http.request.method', 'http.request.uri', 'http.response.code', 'http.host', 'http.location',
  'http.server', 'http.cache_control', 'http.request.line', 'http.response.line'];
const FIELDS = [...DNS, ...NBNS, ...SSDP];
const REAL = ['ndpi__android.pcap', 'ndpi__iphone.pcap', 'ndpi__netbios.pcap', 'ndpi__telegram.pcap',
  'ndpi__wa_voice.pcap', 'ndpi__wechat.pcap', 'ndpi__whatsapp_login_chat.pcap', 'ndpi__zoom.pcap',
  'ndpi__zoom_p2p.pcapng', 'pcapplusplus__DnsPackets.pcap', 'pcapplusplus__sll.pcap'];
const CORPUS = ['suricata-verify/dns-bug-1158.pcap', 'arkime/v6-http.pcap', 'zeek/wikipedia.pcap'];

const [bin, realArg, corpusArg] = process.argv.slice(2);
if (!bin) {
  process.stderr.write('usage: compare_names.mjs PA_DFIELD_VALUES [CORPUS_REAL_DIR] [CORPUS_DIR]\n');
  process.exit(2);
}
const { real, corpus } = await corporaWithTshark(realArg, corpusArg);
const files = [...REAL.map((f) => path.join(real, f)), ...CORPUS.map((f) => path.join(corpus, f))].filter((f) =>
  fs.existsSync(f));
if (!files.length) {
  console.log(`SKIP: none of the mDNS/LLMNR/NBNS/SSDP captures in ${real} or ${corpus}`);
  process.exit(SKIP);
}

const norm = (v) => v.split(',').filter((x) => x !== '').map((x) => (/^0x[0-9a-f]+$/i.test(x) ? String(BigInt(x)) : x)).join(',');
const KINDS = /:(mdns|llmnr|nbns|ssdp)(:|$)/;
// Our DNS names keep printable ASCII and write '?' for any other byte (a space, each byte of UTF-8:
// docs/APPLICATION_LAYER.md); tshark 4.0 gives the bytes. Its names are compared in our form.
const ascii = (v) => Buffer.from(v, 'utf8').toString('latin1').replace(/[^\x21-\x7e,]|\\/g, '?');
const DNS_NAMES = new Set(['dns.qry.name', 'dns.resp.name']);
let asciiFrames = 0;
const agree = FIELDS.map(() => ({ frames: 0, equal: 0 }));
const byKind = { mdns: 0, llmnr: 0, nbns: 0, ssdp: 0 };
let diffs = 0;
for (const file of files) {
  const name = path.relative(path.dirname(real), file);
  const t = await run('tshark', ['-r', file, '-T', 'fields', '-E', 'occurrence=a', '-e', 'frame.number',
    '-e', 'frame.protocols', ...FIELDS.flatMap((f) => ['-e', f])]);
  const o = await run(bin, [file, 'ssdp', ...FIELDS]);
  if (t.code !== 0 || o.code !== 0) {
    console.log(`FAIL ${name}: tshark ${t.code}, ours ${o.code} ${o.stderr.trim()}`);
    diffs++;
    continue;
  }
  const theirs = new Map(), kind = new Map();
  for (const line of t.stdout.split('\n')) {
    const c = line.split('\t');
    const k = KINDS.exec(c[1] ?? '');
    // ICMP errors quote datagrams tshark dissects and we do not
    if (!k || /:icmp(v6)?:/.test(c[1])) continue;
    kind.set(Number(c[0]), k[1]);
    byKind[k[1]]++;
    theirs.set(Number(c[0]), c.slice(2).map(norm));
  }
  const ours = new Map(), ssdp = new Set();
  for (const line of o.stdout.split('\n')) {
    if (!line) continue;
    const c = line.split('\t');
    if (c[1] === '1') ssdp.add(Number(c[0]));
    ours.set(Number(c[0]), c.slice(2).map(norm));
  }
  let bad = 0;
  const say = (s) => bad++ < 8 && console.log(`  ${name} ${s}`);
  for (const f of new Set([...ssdp, ...[...kind].filter(([, k]) => k === 'ssdp').map(([f]) => f)]))
    if (ssdp.has(f) !== (kind.get(f) === 'ssdp')) say(`frame ${f}: tshark ${kind.get(f) ?? 'not ssdp'}, ours ${ssdp.has(f) ? 'ssdp' : 'not ssdp'}`);
  for (const f of [...new Set([...theirs.keys(), ...ours.keys()])].sort((a, b) => a - b)) {
    const k = kind.get(f), a = theirs.get(f) ?? [], b = ours.get(f) ?? [];
    FIELDS.forEach((field, i) => {
      // dns.* only where tshark says mdns or llmnr (port 53 is compare_dns.mjs's); http.* only on ssdp
      if (field.startsWith('dns.') && k !== 'mdns' && k !== 'llmnr') return;
      if (field.startsWith('http.') && k !== 'ssdp' && !ssdp.has(f)) return;
      let x = a[i] ?? '';
      const y = b[i] ?? '';
      if (x === '' && y === '') return;
      if (DNS_NAMES.has(field) && ascii(x) !== x) x = ascii(x), asciiFrames++;
      agree[i].frames++;
      if (x === y) agree[i].equal++;
      else say(`frame ${f} ${field}: tshark "${x}", ours "${y}"`);
    });
  }
  diffs += bad;
  console.log(`${bad ? 'FAIL' : 'ok'} ${name}: ${kind.size} frames of mdns/llmnr/nbns/ssdp, ${bad} values differ`);
}
console.log(`DNS names compared in printable ASCII: ${asciiFrames} values`);
console.log(`frames: ${Object.entries(byKind).map(([k, n]) => `${k} ${n}`).join(', ')}`);
for (let i = 0; i < FIELDS.length; i++) console.log(`  ${FIELDS[i]}: ${agree[i].equal}/${agree[i].frames} frames equal`);
console.log(`total: ${diffs} values differ`);
process.exit(diffs ? 1 : 0);
