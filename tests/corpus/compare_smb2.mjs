// SMB2 per frame and per command against tshark 4.0, on every corpus capture with SMB2 (and the
// captures the tests build). Per frame: the values of each field below (`tshark -T fields -E
// occurrence=a`) must equal ours (pa-dfield-values) on every frame where either side has one; the
// SMB2 fields repeat per command of a compound, as tshark's do. Per command: the service response
// times, `tshark -q -z smb2,srt` (calls, min, max, average and sum, to the microsecond), must equal
// the srt table of analyze_application_response_times (protocol smb2).
// PA_SMB2_EXTRA adds captures the tests build (colon-separated: smb2_gen/smb2.pcap, the samba one).
//
// Usage: node compare_smb2.mjs PA_DFIELD_VALUES SERVER_BIN [CORPUS_REAL_DIR] [CORPUS_DIR]
import fs from 'node:fs';
import path from 'node:path';
import { SKIP, run, makeStorage, callOurs, TSHARK_STREAMS, corporaWithTshark, compareFieldValues } from './common.mjs';

const FIELDS = ['smb2.cmd', 'smb2.nt_status', 'smb2.flags.response', 'smb2.flags.async', 'smb2.flags.signature',
  'smb2.flags.chained', 'smb2.msg_id', 'smb2.sesid', 'smb2.tid', 'smb2.filename', 'smb2.tree', 'smb2.dialect',
  'smb2.ioctl.function', 'smb2.time', 'nbss.type', 'smb.cmd'];
const REAL = ['ndpi__kerberos.pcap', 'ndpi__netbios.pcap', 'ndpi__telegram.pcap', 'ndpi__wechat.pcap'];
const CORPUS = ['zeek/smb__smb3_multichannel.pcap'];

const [bin, server, realArg, corpusArg] = process.argv.slice(2);
if (!bin || !server) {
  process.stderr.write('usage: compare_smb2.mjs PA_DFIELD_VALUES SERVER_BIN [CORPUS_REAL_DIR] [CORPUS_DIR]\n');
  process.exit(2);
}
const { real, corpus } = await corporaWithTshark(realArg, corpusArg);
const extra = (process.env.PA_SMB2_EXTRA ?? '').split(':').filter((f) => f && fs.existsSync(f));
const files = [...REAL.map((f) => path.join(real, f)), ...CORPUS.map((f) => path.join(corpus, f)), ...extra]
  .filter((f) => fs.existsSync(f));
if (!files.length) {
  console.log(`SKIP: none of the SMB2 captures in ${real} or ${corpus}`);
  process.exit(SKIP);
}

// TCP frames only: SMB1 over NetBIOS datagrams (browser announcements on UDP 138) is not ours
const { diffs } = await compareFieldValues({ bin, files, fields: FIELDS, tsharkArgs: [...TSHARK_STREAMS, '-Y', 'tcp'] });

// tshark's SRT table: "index command calls min max avg sum" rows
function tsharkSrt(text) {
  const rows = new Map();
  for (const line of text.split('\n')) {
    const m = line.match(/^\s+(\d+)\s+(.+?)\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*$/);
    if (m) rows.set(Number(m[1]), [m[2], m[3], m[4], m[5], m[6], m[7]].join(' '));
  }
  return rows;
}

const storage = makeStorage();
let srtDiffs = 0, srtRows = 0;
for (const file of files) {
  const name = path.basename(file);
  const t = await run('tshark', [...TSHARK_STREAMS, '-r', file, '-q', '-z', 'smb2,srt']);
  if (t.code !== 0) {
    console.log(`FAIL ${name}: tshark ${t.code}`);
    srtDiffs++;
    continue;
  }
  const theirs = tsharkSrt(t.stdout);
  let ours;
  try {
    const sc = await callOurs(server, storage, storage.add(path.dirname(file), name), { protocol: 'smb2', limit: 50 },
      'analyze_application_response_times');
    const rows = sc.sections.find((s) => s.name === 'smb2')?.srt ?? [];
    ours = new Map(rows.map((r) => [r.index, [r.command, r.calls, r.min_s.toFixed(6), r.max_s.toFixed(6),
      r.avg_s.toFixed(6), r.sum_s.toFixed(6)].join(' ')]));
  } catch (e) {
    console.log(`FAIL ${name}: ${e.message}`);
    srtDiffs++;
    continue;
  }
  let bad = 0;
  for (const i of new Set([...theirs.keys(), ...ours.keys()])) {
    srtRows++;
    if (theirs.get(i) === ours.get(i)) continue;
    bad++;
    console.log(`  ${name} srt ${i}: tshark "${theirs.get(i) ?? ''}", ours "${ours.get(i) ?? ''}"`);
  }
  srtDiffs += bad;
  console.log(`${bad ? 'FAIL' : 'ok'} ${name}: smb2 srt ${theirs.size} commands, ${bad} rows differ`);
}
console.log(`total: ${diffs} field values differ, ${srtDiffs} of ${srtRows} srt rows differ`);
process.exit(diffs || srtDiffs ? 1 : 0);
