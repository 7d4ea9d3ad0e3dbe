// DCE-RPC against tshark 4.0 on the captures with DCE-RPC over TCP: per frame, the values of each
// field below must equal ours (pa-dfield-values) on every frame where either side has one; per
// capture, our srt rows (analyze_application_response_times, protocol dcerpc) must equal
// `tshark -q -z dcerpc,srt,UUID,MAJOR.0` for every interface version we time: calls, min, max and
// average per opnum (tshark prints seconds to the microsecond). tshark names DCE-RPC over TCP by
// its heuristic on any port (no port is registered), as we do. PA_DCERPC_EXTRA adds the capture
// test_dcerpc writes (dcerpc_gen/dcerpc.pcap: the endpoint mapper, binds with rejected contexts,
// PDUs across segments and several in one, a fragmented response, faults, an alter_context, a
// lost segment, a bind_nak in big-endian) and the real traffic gen_dcerpc_samba.sh captures from Samba
// (dcerpc_gen/samba.pcap: the endpoint mapper's Lookup and Map, SRVSVC, SAMR, LSARPC faults, DSSETUP,
// WKSSVC on the ports it hands out), and SMB2 named pipes in gen_samba.sh's smb2_gen/samba.pcap
// (SRVSVC, SAMR and LSARPC over ncacn_np, which the SMB2 analyzer carries to ours).
// Usage: node compare_dcerpc.mjs PA_DFIELD_VALUES PA_SERVER [CORPUS_REAL_DIR [CORPUS_DIR]]
import fs from 'node:fs';
import path from 'node:path';
import { SKIP, callOurs, compareFieldValues, corporaWithTshark, makeStorage, run } from './common.mjs';

const FIELDS = ['dcerpc.ver', 'dcerpc.ver_minor', 'dcerpc.pkt_type', 'dcerpc.cn_flags', 'dcerpc.cn_frag_len',
  'dcerpc.cn_auth_len', 'dcerpc.cn_call_id', 'dcerpc.cn_alloc_hint', 'dcerpc.cn_ctx_id', 'dcerpc.opnum',
  'dcerpc.cn_status', 'dcerpc.cn_max_xmit', 'dcerpc.cn_max_recv', 'dcerpc.cn_assoc_group',
  'dcerpc.cn_num_ctx_items', 'dcerpc.cn_num_results', 'dcerpc.cn_bind_to_uuid', 'dcerpc.cn_bind_if_ver',
  'dcerpc.cn_bind_if_ver_minor', 'dcerpc.cn_ack_result', 'dcerpc.cn_ack_reason', 'dcerpc.cn_reject_reason',
  'dcerpc.time', 'dcerpc.request_in'];
const REAL = ['ndpi__kerberos.pcap'];

const [bin, server, realArg, corpusArg] = process.argv.slice(2);
if (!bin || !server) {
  process.stderr.write('usage: compare_dcerpc.mjs PA_DFIELD_VALUES PA_SERVER [CORPUS_REAL_DIR [CORPUS_DIR]]\n');
  process.exit(2);
}
const { real } = await corporaWithTshark(realArg, corpusArg);
const extra = (process.env.PA_DCERPC_EXTRA ?? '').split(':').filter((f) => f && fs.existsSync(f));
const files = [...REAL.map((f) => path.join(real, f)), ...extra];
// tshark prints times to the nanosecond, we print them as seconds: equal within a nanosecond
const same = (field, a, b) => {
  if (field !== 'dcerpc.time') return a === b;
  const x = a.split(','), y = b.split(',');
  return x.length === y.length && x.every((v, i) => Math.abs(Number(v) - Number(y[i])) < 1e-9);
};
let { seen, diffs } = await compareFieldValues({ bin, files, fields: FIELDS, same });
if (!seen) {
  console.log(`SKIP: none of the DCE-RPC captures in ${real}`);
  process.exit(SKIP);
}

// ---- the srt table ----
const storage = makeStorage();
let srtRows = 0;
for (const file of files.filter((f) => fs.existsSync(f))) {
  const name = path.basename(file);
  const sc = await callOurs(server, storage, storage.add(path.dirname(path.dirname(file)), path.join(path.basename(path.dirname(file)), name)), { protocol: 'dcerpc', limit: 500 },
    'analyze_application_response_times');
  const rows = sc.sections.find((s) => s.name === 'dcerpc')?.srt ?? [];
  const ifaces = [...new Set(rows.map((r) => `${r.uuid},${r.version}.0`))];
  let bad = 0;
  for (const iface of ifaces) {
    const t = await run('tshark', ['-r', file, '-q', '-z', `dcerpc,srt,${iface}`]);
    const theirs = new Map();
    for (const line of t.stdout.split('\n')) {
      const m = /^\s*(\d+)\s+\S+\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+[\d.]+\s*$/.exec(line);
      if (m) theirs.set(Number(m[1]), { calls: +m[2], min: +m[3], max: +m[4], avg: +m[5] });
    }
    const ours = rows.filter((r) => `${r.uuid},${r.version}.0` === iface);
    for (const r of ours) {
      srtRows++;
      const x = theirs.get(r.opnum);
      const ok = x && x.calls === r.calls && Math.abs(x.min - r.min_s) < 1e-6 &&
        Math.abs(x.max - r.max_s) < 1e-6 && Math.abs(x.avg - r.avg_s) < 1e-6;
      if (!ok && bad++ < 8) console.log(`  ${name} srt ${iface} opnum ${r.opnum}: tshark ${JSON.stringify(x)}, ours ${JSON.stringify(r)}`);
    }
    for (const op of theirs.keys()) {
      if (ours.some((r) => r.opnum === op)) continue;
      if (bad++ < 8) console.log(`  ${name} srt ${iface} opnum ${op}: tshark ${JSON.stringify(theirs.get(op))}, ours none`);
    }
  }
  diffs += bad;
  console.log(`${bad ? 'FAIL' : 'ok'} ${name}: srt of ${ifaces.length} interfaces, ${bad} rows differ`);
}
console.log(`total: ${diffs} values differ (${srtRows} srt rows compared)`);
process.exit(diffs ? 1 : 0);
