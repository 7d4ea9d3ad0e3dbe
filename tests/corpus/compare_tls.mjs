// Our TLS analysis against four references on every corpus capture:
//  - tshark 4.0, frame for frame: the SNI of each ClientHello (tls.handshake.extensions_server_name),
//    the cipher suite of each ServerHello (tls.handshake.ciphersuite), and the frames that carry
//    an alert record (tls.record.content_type 21), in clear or encrypted. A message is placed on
//    the frame that completes it, as tshark does with its default reassembly.
//  - Zeek's ssl.log (per connection: version, cipher, curve, server_name, resumed, last_alert,
//    next_protocol, established, cert_chain_fps, sni_matches_cert) and x509.log (per certificate:
//    version, serial, subject, issuer, validity, key_alg, sig_alg, key_type, key_length, curve,
//    san.dns, basic_constraints.ca), where they sit beside a capture.
//  - Arkime's expected sessions: ja3, ja3s, ja4, cipher, version, and per certificate the SHA-1
//    hash, serial and validity.
//  - suricata-verify's expected TLS fields: sni, version, serial, fingerprint (SHA-1), validity,
//    subjectaltname, ja3.hash.
// Agreement is reported per field; any disagreement fails unless known_differences.json lists it
// under a "tls.*" metric.
//
// Usage: node compare_tls.mjs FLAGS_BIN [CORPUS_DIR]   (FLAGS_BIN: tests' pa-tcp-flags)
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs, run, available, compareFrames, zeekLogRows, canonAddr, SKIP } from './common.mjs';
import { TSHARK_STREAMS } from './common.mjs';

const { server: bin, corpus } = parseArgs(process.argv, 'compare_tls.mjs FLAGS_BIN');
if (!(await available('tshark', ['-v']))) {
  console.log('SKIP: tshark not found');
  process.exit(SKIP);
}
const METRICS = ['tls.sni', 'tls.cipher', 'tls.alert', 'tls.zeek.ssl', 'tls.zeek.x509', 'tls.arkime', 'tls.suricata'];
const fields = {}; // "source.field" -> [agree, total]
const tally = (k, ok) => { const f = (fields[k] ??= [0, 0]); f[1]++; if (ok) f[0]++; return ok; };

async function theirs(file) {
  const r = await run('tshark', ['-r', file, ...TSHARK_STREAMS, '-Y',
    'tls.handshake.type == 1 || tls.handshake.type == 2 || tls.record.content_type == 21',
    '-T', 'fields', '-e', 'frame.number', '-e', 'tls.handshake.type', '-e', 'tls.handshake.extensions_server_name',
    '-e', 'tls.handshake.ciphersuite', '-e', 'tls.record.content_type', '-E', 'occurrence=a', '-E', 'aggregator=|']);
  if (r.code !== 0) return null;
  const sni = new Map(), cipher = new Map(), alerts = new Set();
  for (const line of r.stdout.split('\n')) {
    if (!line) continue;
    const [frame, types, name, suites, contents] = line.split('\t');
    if (contents.split('|').includes('21')) alerts.add(+frame);
    const t = types.split('|');
    // one frame can hold a ClientHello or a ServerHello (a frame with both directions cannot)
    if (t.includes('1')) sni.set(+frame, name || '-');
    if (t.includes('2')) cipher.set(+frame, suites.split('|').map(Number).at(-1));
  }
  return { sni, cipher, alerts };
}

async function ours(file) {
  const r = await run(bin, [file]);
  if (r.code !== 0) return null;
  const sni = new Map(), cipher = new Map(), conns = [], certs = new Map(), alerts = new Set();
  for (const line of r.stdout.split('\n')) {
    const sp = line.indexOf(' ');
    const kind = line.slice(0, sp), rest = line.slice(sp + 1);
    if (kind === 'tls_ch') { const p = rest.split(' '); sni.set(+p[0], p[1]); }
    if (kind === 'tls_sh') { const p = rest.split(' '); cipher.set(+p[0], +p[1]); }
    if (kind === 'tls_alert') alerts.add(+rest.split(' ')[0]);
    if (kind === 'tls_json_conn') conns.push(JSON.parse(rest));
    if (kind === 'tls_json_cert') { const c = JSON.parse(rest); certs.set(c.fingerprint, c); }
  }
  return { sni, cipher, conns, certs, alerts };
}

const z = (v) => (v === '-' || v === '(empty)' ? '' : v);
const connKey = (h1, p1, h2, p2) => `${canonAddr(h1)}:${p1}-${canonAddr(h2)}:${p2}`;
const isIp = (s) => /^\d+\.\d+\.\d+\.\d+$/.test(s) || /^[0-9a-f:]+$/i.test(s) && s.includes(':');
const bool = (v) => (v === 'T' ? true : v === 'F' ? false : null);

function zeekSsl(row, o, d) {
  for (const r of zeekLogRows(corpus, row.path, 'ssl.log')) {
    const key = connKey(r['id.orig_h'], r['id.orig_p'], r['id.resp_h'], r['id.resp_p']);
    const c = o.conns.find((x) => connKey(x.orig_h, x.orig_p, x.resp_h, x.resp_p) === key);
    if (!c) { d('tls.zeek.ssl', key, `${key}: no connection of ours`); continue; }
    const want = {
      version: z(r.version), cipher: z(r.cipher), curve: z(r.curve), server_name: z(r.server_name),
      resumed: bool(r.resumed), last_alert: z(r.last_alert), next_protocol: z(r.next_protocol),
      established: bool(r.established), cert_chain_fps: z(r.cert_chain_fps ?? '-'),
      sni_matches_cert: r.sni_matches_cert === undefined ? '-' : r.sni_matches_cert,
    };
    const got = {
      version: c.version, cipher: c.cipher, curve: c.curve, server_name: c.server_name, resumed: c.resumed,
      last_alert: c.last_alert, next_protocol: c.next_protocol, established: c.established,
      cert_chain_fps: c.chain.join(','), sni_matches_cert: c.sni_match < 0 ? '-' : c.sni_match ? 'T' : 'F',
    };
    for (const f of Object.keys(want)) {
      if (r[f] === undefined && !(f === 'cert_chain_fps' && 'cert_chain_fuids' in r)) continue; // not in this log
      if (f === 'cert_chain_fps' && !('cert_chain_fps' in r)) continue;
      if (!tally(`zeek.ssl.${f}`, String(want[f]) === String(got[f])))
        d('tls.zeek.ssl', `${key} ${f}`, `${key} ${f}: ours ${got[f]} vs ${want[f]}`);
    }
  }
}

function zeekX509(row, o, d) {
  for (const r of zeekLogRows(corpus, row.path, 'x509.log')) {
    const fp = r.fingerprint;
    if (!fp || fp.length !== 64) continue; // older logs carry a file id, not the fingerprint
    const c = o.certs.get(fp);
    if (!c) { d('tls.zeek.x509', fp, `certificate ${fp.slice(0, 16)}… missing`); continue; }
    const want = {
      version: r['certificate.version'], serial: r['certificate.serial'], subject: r['certificate.subject'],
      issuer: r['certificate.issuer'], not_before: Math.trunc(+r['certificate.not_valid_before']),
      not_after: Math.trunc(+r['certificate.not_valid_after']), key_alg: r['certificate.key_alg'],
      sig_alg: r['certificate.sig_alg'], key_type: r['certificate.key_type'], key_length: r['certificate.key_length'],
      curve: z(r['certificate.curve']), sans: z(r['san.dns']), ca: z(r['basic_constraints.ca']),
    };
    const got = {
      version: c.version, serial: c.serial, subject: c.subject, issuer: c.issuer, not_before: c.not_before,
      not_after: c.not_after, key_alg: c.key_alg, sig_alg: c.sig_alg, key_type: c.key_type, key_length: c.key_length,
      curve: c.curve, sans: c.sans.split(',').filter((s) => s && !isIp(s)).join(','), // san.dns: names only
      ca: want.ca === '' ? '' : c.ca ? 'T' : 'F',
    };
    for (const f of Object.keys(want)) {
      if (want[f] === undefined) continue;
      if (!tally(`zeek.x509.${f}`, String(want[f]) === String(got[f])))
        d('tls.zeek.x509', `${fp.slice(0, 16)} ${f}`, `${fp.slice(0, 16)}… ${f}: ours ${got[f]} vs ${want[f]}`);
    }
  }
}

const ARKIME_VERSION = { SSLv3: 'SSLv3', 'TLSv1': 'TLSv10', 'TLSv1.1': 'TLSv11', 'TLSv1.2': 'TLSv12', 'TLSv1.3': 'TLSv13' };
const normSerial = (s) => s.replace(/:/g, '').toUpperCase().replace(/^0+(?=.)/, '');

function arkime(row, o, d) {
  const dir = path.join(corpus, path.dirname(row.path));
  const stem = path.basename(row.path).replace(/\.pcap(ng)?$/, '');
  for (const f of fs.readdirSync(dir)) {
    if (!f.startsWith(`${stem}.expected.`) || !f.includes('arkime') || !f.endsWith('.json')) continue;
    for (const s of JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')).sessions3 ?? []) {
      const b = s.body;
      if (!b.tls) continue;
      const key = `${canonAddr(b.source.ip)}:${b.source.port}`;
      const c = o.conns.find((x) => `${canonAddr(x.orig_h)}:${x.orig_p}` === key);
      if (!c) { d('tls.arkime', key, `${key}: no connection of ours`); continue; }
      const cmp = (field, want, got) => {
        if (want === undefined) return;
        if (!tally(`arkime.${field}`, String(want) === String(got)))
          d('tls.arkime', `${key} ${field}`, `${key} ${field}: ours ${got} vs ${want}`);
      };
      cmp('ja3', b.tls.ja3?.[0], c.ja3);
      cmp('ja3s', b.tls.ja3s?.[0], c.ja3s);
      cmp('ja4', b.tls.ja4?.[0], c.ja4);
      cmp('cipher', b.tls.cipher?.[0], c.cipher);
      const v = b.tls.version?.[0];
      if (v && ARKIME_VERSION[v]) cmp('version', ARKIME_VERSION[v], c.version);
      for (const cert of b.cert ?? []) {
        const sha1 = cert.hash?.replace(/:/g, '');
        const mine = [...o.certs.values()].find((x) => x.sha1 === sha1);
        if (!tally('arkime.cert', !!mine)) { d('tls.arkime', `${key} cert ${sha1}`, `${key}: certificate ${sha1} missing`); continue; }
        cmp('cert.serial', normSerial(cert.serial), normSerial(mine.serial));
        cmp('cert.notBefore', cert.notBefore / 1000, mine.not_before);
        cmp('cert.notAfter', cert.notAfter / 1000, mine.not_after);
      }
    }
  }
}

const SURICATA_VERSION = { 'TLSv1': 'TLSv10', 'TLS 1.0': 'TLSv10', 'TLS 1.1': 'TLSv11', 'TLS 1.2': 'TLSv12', 'TLS 1.3': 'TLSv13' };

function suricata(row, o, d) {
  const dir = path.join(corpus, path.dirname(row.path));
  const stem = path.basename(row.path).replace(/\.pcap(ng)?$/, '');
  for (const f of fs.readdirSync(dir)) {
    if (!f.startsWith(`${stem}.expected.`) || !f.endsWith('test.yaml')) continue;
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    const pcap = /^pcap:\s*(\S+)/m.exec(text);
    if (pcap && path.basename(pcap[1]) !== path.basename(row.path) && !pcap[1].endsWith('input.pcap')) continue;
    for (const m of text.matchAll(/^\s+tls\.([a-z0-9_.[\]]+):\s*(.+)$/gm)) {
      const field = m[1], want = m[2].trim().replace(/^['"]|['"]$/g, '');
      let ok;
      const certs = [...o.certs.values()];
      if (field === 'sni') ok = o.conns.some((c) => c.server_name === want);
      else if (field === 'version') {
        const draft = /^TLS 1\.3 draft-(\d+)$/.exec(want);
        ok = o.conns.some((c) => c.version === (draft ? `TLS 1.3 draft ${draft[1]}` : SURICATA_VERSION[want]));
      } else if (field === 'serial') ok = certs.some((c) => normSerial(c.serial) === normSerial(want));
      else if (field === 'fingerprint') ok = certs.some((c) => c.sha1 === want.replace(/:/g, ''));
      else if (field === 'notbefore' || field === 'notafter')
        ok = certs.some((c) => new Date(`${want}Z`).getTime() / 1000 === (field === 'notbefore' ? c.not_before : c.not_after));
      else if (field.startsWith('subjectaltname')) ok = certs.some((c) => c.sans.split(',').includes(want));
      else if (field === 'ja3.hash') ok = o.conns.some((c) => c.ja3 === want);
      else continue; // subject/issuer: Suricata's own name layout, not compared
      if (!tally(`suricata.${field.replace(/\[\d+\]/, '')}`, ok)) d('tls.suricata', `${f} ${field}`, `${field}: ${want} not among ours`);
    }
  }
}

function diff(t, o, row) {
  const diffs = Object.fromEntries(METRICS.map((m) => [m, []]));
  const d = (m, key, text) => diffs[m].push({ key: `${key}`, text });
  for (const [frame, name] of t.sni) {
    const mine = o.sni.get(frame);
    if (!tally('tshark.sni', mine === name)) d('tls.sni', frame, `frame ${frame}: ours ${mine ?? 'no ClientHello'} vs ${name}`);
  }
  for (const frame of o.sni.keys()) if (!t.sni.has(frame)) d('tls.sni', frame, `frame ${frame}: ClientHello tshark does not see`);
  for (const [frame, cs] of t.cipher) {
    const mine = o.cipher.get(frame);
    if (!tally('tshark.cipher', mine === cs)) d('tls.cipher', frame, `frame ${frame}: ours ${mine ?? 'no ServerHello'} vs ${cs}`);
  }
  for (const frame of o.cipher.keys()) if (!t.cipher.has(frame)) d('tls.cipher', frame, `frame ${frame}: ServerHello tshark does not see`);
  for (const frame of t.alerts)
    if (!tally('tshark.alert', o.alerts.has(frame))) d('tls.alert', frame, `frame ${frame}: alert record we do not see`);
  for (const frame of o.alerts) if (!t.alerts.has(frame)) d('tls.alert', frame, `frame ${frame}: alert tshark does not see`);
  zeekSsl(row, o, d);
  zeekX509(row, o, d);
  arkime(row, o, d);
  suricata(row, o, d);
  return diffs;
}

process.exitCode = await compareFrames({
  corpus, metrics: METRICS, theirs, ours, diff,
  summary: () => `fields: ${Object.entries(fields).sort().map(([k, [a, n]]) => `${k} ${a}/${n}`).join(', ')}`,
});
