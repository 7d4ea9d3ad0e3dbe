// Our expert information (analyze_expert_information) against tshark 4.0's `-q -z expert` on
// every corpus capture. Only messages Wireshark and we both define are compared: a tshark message
// is in scope when its protocol and summary match one of the Wireshark-worded entries of
// src/engine/evidence/expert.def or an analyzer's <name>_expert.def (printf formats read as
// patterns); the others (SSH, SDP, mDNS, LLMNR,
// ICMP checksums, Ethernet trailers ...) are counted as out of scope and listed with
// CORPUS_CMP_VERBOSE. analyze_protocol_anomalies (with checksums), analyze_security_threats and
// analyze_pcap_file's security summary must also succeed on every capture. Metrics:
//   expert.error, expert.warn, expert.note, expert.chat   in-scope totals per severity
//   expert.messages   every in-scope message: the same count on both sides
// Deliberate differences are listed in known_differences.json under these metrics.
//
// Usage: node compare_expert.mjs SERVER_BIN [CORPUS_DIR]
import fs from 'node:fs';
import path from 'node:path';
import { HERE, SKIP, parseArgs, available, run, makeStorage, callOurs, compareFrames, TSHARK_STREAMS } from './common.mjs';

const { server, corpus } = parseArgs(process.argv, 'node compare_expert.mjs');
if (!(await available('tshark', ['-v']))) {
  console.log('SKIP: tshark not found');
  process.exit(SKIP);
}
const SEVS = ['error', 'warn', 'note', 'chat'];
const METRICS = [...SEVS.map((s) => `expert.${s}`), 'expert.messages'];
const HEADS = { Errors: 'error', Warns: 'warn', Notes: 'note', Chats: 'chat' };

/** Wireshark-worded templates of expert.def and the analyzers' <name>_expert.def as {sev, proto, re}. */
function templates() {
  const engine = path.join(HERE, '..', '..', 'src', 'engine');
  const files = [path.join(engine, 'evidence', 'expert.def')];
  for (const d of fs.readdirSync(path.join(engine, 'analyzers'))) {
    const f = path.join(engine, 'analyzers', d, `${d}_expert.def`);
    if (fs.existsSync(f)) files.push(f);
  }
  const def = files.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
  const out = [];
  const sevs = { CHAT: 'chat', NOTE: 'note', WARN: 'warn', ERROR: 'error' };
  for (const m of def.matchAll(/^PA_EXPERT\(\w+, (\w+), \w+, "([^"]+)", "((?:[^"\\]|\\.)*)", (true|false)\)/gm)) {
    if (m[4] !== 'true') continue;
    const fmt = m[3].replace(/\\"/g, '"');
    const re = fmt.split(/(%[us]|%04x)/).map((p) => (p === '%u' ? '\\d+' : p === '%s' ? '.*' : p === '%04x' ? '[0-9a-f]{4}' : p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
    out.push({ sev: sevs[m[1]], proto: m[2], re: new RegExp(`^${re}$`) });
  }
  return out;
}
const TEMPLATES = templates();
const inScope = (sev, proto, text) => TEMPLATES.some((t) => t.sev === sev && t.proto === proto && t.re.test(text));
let outOfScope = 0;
const storage = makeStorage();

async function theirs(file) {
  const r = await run('tshark', ['-r', file, ...TSHARK_STREAMS, '-q', '-z', 'expert']);
  if (r.code !== 0 && !r.stdout.includes('=====')) return null;
  const msgs = new Map();
  let sev = null;
  for (const line of r.stdout.split('\n')) {
    const h = line.match(/^(Errors|Warns|Notes|Chats|Comments) \(/);
    if (h) {
      sev = HEADS[h[1]] ?? null;
      continue;
    }
    // "   Frequency      Group           Protocol  Summary": group may hold a space ("Response code")
    const m = line.match(/^\s+(\d+)\s{2,}(\S.*?)\s{2,}(\S+)\s{2}(.*)$/);
    if (!m || !sev || m[1] === 'Frequency') continue;
    const [, count, , proto, text] = m;
    if (!inScope(sev, proto, text)) {
      outOfScope += +count;
      if (process.env.CORPUS_CMP_VERBOSE) console.log(`  out of scope in ${path.basename(file)}: ${sev} ${proto} ${text}`);
      continue;
    }
    const key = `${sev} ${proto} ${text}`;
    msgs.set(key, (msgs.get(key) ?? 0) + +count);
  }
  return msgs;
}

async function ours(file) {
  const rel = path.relative(corpus, file);
  const name = storage.add(corpus, rel);
  const msgs = new Map();
  try {
    for (let offset = 0; ; ) {
      const s = await callOurs(server, storage, name, { limit: 1000, offset }, 'analyze_expert_information');
      for (const x of s.messages) {
        if (x.source !== 'wireshark') continue;
        const key = `${x.severity} ${x.protocol} ${x.summary}`;
        msgs.set(key, (msgs.get(key) ?? 0) + x.count);
      }
      if (!s.page.more) break;
      offset = s.page.next_offset; // the byte budget may end a page before the limit
    }
    // the other two tools of the family must read every capture too
    await callOurs(server, storage, name, { verify_checksums: true }, 'analyze_protocol_anomalies');
    await callOurs(server, storage, name, {}, 'analyze_security_threats');
    await callOurs(server, storage, name, { analysis_type: 'security' });
  } catch (e) {
    console.log(`  ${rel}: ${e.message}`);
    return null;
  }
  return msgs;
}

function diff(t, o) {
  const d = Object.fromEntries(METRICS.map((m) => [m, []]));
  const tot = (msgs, sev) => [...msgs].filter(([k]) => k.startsWith(`${sev} `)).reduce((a, [, n]) => a + n, 0);
  for (const s of SEVS) {
    const a = tot(o, s), b = tot(t, s);
    if (a !== b) d[`expert.${s}`].push({ key: s, text: `${s}: ours ${a} vs tshark ${b}` });
  }
  for (const k of new Set([...t.keys(), ...o.keys()])) {
    const a = o.get(k) ?? 0, b = t.get(k) ?? 0;
    if (a !== b) d['expert.messages'].push({ key: k, text: `${k}: ours ${a} vs tshark ${b}` });
  }
  return d;
}

process.exit(await compareFrames({ corpus, metrics: METRICS, theirs, ours, diff,
  summary: () => `tshark messages out of scope (protocols or checks we do not model): ${outOfScope}` }));
