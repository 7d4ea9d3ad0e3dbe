// Live capture through MCP, as a client uses it (issue: keep every packet, ring buffers,
// pcapng statistics, overwrite). Runs the server on stdio, captures on lo while
// pa-udp-send sends numbered datagrams, and reads every file back byte by byte here,
// with libpcap (tcpdump -r) and with Wireshark's capinfos when they are installed.
//
//   node live.mjs SERVER_BIN PA_UDP_SEND
//
// Exit 77 (skip) when this process may not capture (not root, no CAP_NET_RAW).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const SKIP = 77;
const [server, sender] = process.argv.slice(2).map((p) => path.resolve(p ?? ''));
if (!server || !sender || !fs.existsSync(server) || !fs.existsSync(sender)) {
  console.error('usage: live.mjs SERVER_BIN PA_UDP_SEND');
  process.exit(2);
}
if (process.getuid && process.getuid() !== 0) {
  console.log('SKIP: live capture needs root (CAP_NET_RAW and CAP_NET_ADMIN)');
  process.exit(SKIP);
}

let failures = 0;
function check(cond, what) {
  if (cond) return;
  failures++;
  console.error(`FAIL: ${what}`);
}

// ---- an MCP client on the server's stdio -----------------------------------------------
class Client {
  constructor(env) {
    this.proc = spawn(server, [], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
    this.pending = new Map();
    this.next = 1;
    let buf = '';
    this.proc.stdout.on('data', (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (!line.trim()) continue;
        const msg = JSON.parse(line);
        const p = this.pending.get(msg.id);
        if (p) {
          this.pending.delete(msg.id);
          p(msg);
        }
      }
    });
  }
  request(method, params) {
    const id = this.next++;
    this.proc.stdin.write(JSON.stringify({ jsonrpc: '2.0', id, method, params }) + '\n');
    return new Promise((resolve) => this.pending.set(id, resolve));
  }
  async init() {
    await this.request('initialize', {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'capture-live-test', version: '1' },
    });
    this.proc.stdin.write(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) + '\n');
    return this;
  }
  // {ok, text, sc, error}: a tool error (isError) and a protocol error both give ok false
  async call(name, args) {
    const r = await this.request('tools/call', { name, arguments: args });
    if (r.error) return { ok: false, text: r.error.message, error: r.error };
    const text = (r.result.content ?? []).map((c) => c.text ?? '').join('');
    return { ok: !r.result.isError, text, sc: r.result.structuredContent };
  }
  close() {
    this.proc.stdin.end();
    return new Promise((r) => this.proc.on('exit', r));
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function send(port, count, payload, rate = 0) {
  const r = spawnSync(sender, ['127.0.0.1', String(port), String(count), String(payload), String(rate)], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`pa-udp-send failed: ${r.stderr}`);
}

// ---- reading captures here, independently of the server --------------------------------
// Records of a classic pcap (microseconds, little-endian as we write) or pcapng file:
// {records: [{caplen, len, data}], idb: {options}, isb: {options}} with option values as Buffers.
function readCapture(file) {
  const b = fs.readFileSync(file);
  const out = { records: [], idb: null, isb: null, blocks: [] };
  if (b.readUInt32LE(0) === 0xa1b2c3d4) {
    for (let o = 24; o < b.length; ) {
      if (o + 16 > b.length) throw new Error(`${file}: record header cut at ${o}`);
      const caplen = b.readUInt32LE(o + 8), len = b.readUInt32LE(o + 12);
      if (o + 16 + caplen > b.length) throw new Error(`${file}: record data cut at ${o}`);
      out.records.push({ caplen, len, data: b.subarray(o + 16, o + 16 + caplen) });
      o += 16 + caplen;
    }
    return out;
  }
  if (b.readUInt32LE(0) !== 0x0a0d0d0a) throw new Error(`${file}: neither pcap nor pcapng`);
  const options = (from, to) => {
    const m = {};
    for (let o = from; o + 4 <= to; ) {
      const code = b.readUInt16LE(o), n = b.readUInt16LE(o + 2);
      if (code === 0) break;
      m[code] = b.subarray(o + 4, o + 4 + n);
      o += 4 + ((n + 3) & ~3);
    }
    return m;
  };
  for (let o = 0; o < b.length; ) {
    const type = b.readUInt32LE(o), total = b.readUInt32LE(o + 4);
    if (total < 12 || o + total > b.length || b.readUInt32LE(o + total - 4) !== total)
      throw new Error(`${file}: block at ${o} is cut or inconsistent`);
    out.blocks.push(type);
    if (type === 1) out.idb = { linktype: b.readUInt16LE(o + 8), snaplen: b.readUInt32LE(o + 12), options: options(o + 16, o + total - 4) };
    if (type === 6) {
      const caplen = b.readUInt32LE(o + 20), len = b.readUInt32LE(o + 24);
      out.records.push({ caplen, len, data: b.subarray(o + 28, o + 28 + caplen) });
    }
    if (type === 5) out.isb = { options: options(o + 20, o + total - 4) };
    o += total;
  }
  return out;
}

// The sequence number pa-udp-send puts first in each payload (Ethernet 14 + IPv4 20 + UDP 8).
const seqOf = (r) => r.data.readUInt32BE(42);
const seqs = (file) => readCapture(file).records.map(seqOf);
const u64 = (buf) => Number(buf.readBigUInt64LE(0));

function consecutive(list, from, what) {
  for (let i = 0; i < list.length; i++)
    if (list[i] !== from + i) {
      check(false, `${what}: record ${i} carries datagram ${list[i]}, expected ${from + i}`);
      return;
    }
}

function libpcapCount(file) {
  const r = spawnSync('tcpdump', ['-nn', '-r', file], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.error) return null; // tcpdump not installed
  check(r.status === 0, `tcpdump -r ${path.basename(file)} reads it (${r.stderr.trim()})`);
  return r.stdout.split('\n').filter((l) => l.length).length;
}

// ---- the tests ----------------------------------------------------------------------------
const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-capture-live-'));
const mcp = await new Client({ PCAP_STORAGE_PATH: storage }).init();
const at = (name) => path.join(storage, name);

async function capture(args) {
  const r = await mcp.call('start_packet_capture', { interface: 'lo', duration: 60, ...args });
  if (!r.ok && /permission/i.test(r.text)) {
    console.log(`SKIP: ${r.text}`);
    await mcp.close();
    process.exit(SKIP);
  }
  check(r.ok, `start_packet_capture ${JSON.stringify(args)}: ${r.text}`);
  return r;
}
const stop = (id) => mcp.call('stop_packet_capture', { capture_id: id });

// 1. A burst as fast as one core sends: every datagram in the file, in order, and the
// counts are pcap_stats'. On lo the kernel counts each datagram twice (sent and received)
// and libpcap drops the outgoing copy, so received is twice what is written.
{
  const N = 20000, port = 45995;
  const s = await capture({ capture_filter: `udp and dst port ${port}`, output_file: 'burst.pcap' });
  send(port, N, 200);
  const r = await stop(s.sc.capture_id);
  check(r.sc.packets === N, `burst: ${r.sc.packets} of ${N} datagrams written`);
  check(r.sc.kernel_drops === 0 && r.sc.interface_drops === 0 && r.sc.lost_packets === 0,
    `burst: no drops (kernel ${r.sc.kernel_drops}, interface ${r.sc.interface_drops})`);
  check(r.sc.received === 2 * N, `burst: received ${r.sc.received}, expected ${2 * N} (lo counts both copies)`);
  check(r.sc.buffer_bytes === 32 * 1024 * 1024, `burst: default CAPTURE_BUFFER_SIZE reported (${r.sc.buffer_bytes})`);
  check(r.sc.rotation === null && r.sc.files.length === 1 && r.sc.files[0].name === 'burst.pcap' &&
    r.sc.files[0].packets === N, 'burst: one file, listed with its packets');
  check(r.text.includes(`${N} packets written`) && r.text.includes(`${2 * N} received by the filter`) &&
    !r.text.includes('LOST'), `burst: the text says the counts: ${r.text}`);
  const list = seqs(at('burst.pcap'));
  check(list.length === N, `burst: the file holds ${list.length} records`);
  consecutive(list, 0, 'burst');
  const lp = libpcapCount(at('burst.pcap'));
  if (lp !== null) check(lp === N, `burst: libpcap reads ${lp} records`);
  check(fs.statSync(at('burst.pcap')).size === r.sc.bytes, 'burst: bytes is the file size');
}

// 2. pcapng with the facts: interface block with name, filter and OS; statistics block
// with what pcap_stats said at the end, read back here and by capinfos.
{
  const port = 45996, filter = `udp and dst port ${port}`;
  const s = await capture({ capture_filter: filter, output_file: 'facts.pcapng', snaplen: 65535 });
  send(port, 100, 64, 10000);
  const r = await stop(s.sc.capture_id);
  const f = readCapture(at('facts.pcapng'));
  check(f.records.length === 100 && r.sc.packets === 100, `pcapng: ${f.records.length} records, status ${r.sc.packets}`);
  check(f.blocks[0] === 0x0a0d0d0a && f.blocks[1] === 1 && f.blocks.at(-1) === 5,
    `pcapng: section, interface, packets, statistics last (${f.blocks.slice(0, 3)}...${f.blocks.at(-1)})`);
  check(f.idb.linktype === 1 && f.idb.snaplen === 65535, 'pcapng: link type and snaplen');
  check(f.idb.options[2]?.toString() === 'lo', 'pcapng: if_name lo');
  check(f.idb.options[11]?.[0] === 0 && f.idb.options[11].subarray(1).toString() === filter, 'pcapng: if_filter');
  check(f.idb.options[12]?.toString() === 'Linux', 'pcapng: if_os');
  const o = f.isb?.options ?? {};
  check(o[4] && u64(o[4]) === r.sc.received && r.sc.received === 200, `pcapng: isb_ifrecv ${o[4] && u64(o[4])} = received ${r.sc.received}`);
  check(o[5] && u64(o[5]) === 0 && o[7] && u64(o[7]) === 0, 'pcapng: isb_ifdrop and isb_osdrop 0');
  check(o[8] && u64(o[8]) === 100, 'pcapng: isb_usrdeliv = packets written');
  check(o[2] && o[3] && o[3].readUInt32LE(4) + o[3].readUInt32LE(0) * 2 ** 32 >=
    o[2].readUInt32LE(4) + o[2].readUInt32LE(0) * 2 ** 32, 'pcapng: isb_starttime <= isb_endtime');
  consecutive(f.records.map(seqOf), 0, 'pcapng');
  // Wireshark's reader: the interface block's facts and one statistics entry
  const ci = spawnSync('capinfos', ['-I', at('facts.pcapng')], { encoding: 'utf8' });
  if (!ci.error)
    check(/Name = lo\b/.test(ci.stdout) && ci.stdout.includes(`Filter string = ${filter}`) &&
      /Operating system = Linux/.test(ci.stdout) && /Number of stat entries = 1\b/.test(ci.stdout) &&
      /Number of packets = 100\b/.test(ci.stdout), `capinfos -I: ${ci.stdout}`);
  const lp = libpcapCount(at('facts.pcapng'));
  if (lp !== null) check(lp === 100, `pcapng: libpcap reads ${lp} records`);
}

// 3. Capturing again to the same name: refused with the reason, then accepted with
// overwrite; never over a symbolic link, nor over the file of a running capture.
{
  const again = await mcp.call('start_packet_capture', { interface: 'lo', output_file: 'burst.pcap' });
  check(!again.ok && again.text.includes("'burst.pcap' already exists") && again.text.includes('overwrite: true'),
    `existing name refused with the way out: ${again.text}`);
  const port = 45997;
  const s = await capture({ capture_filter: `udp and dst port ${port}`, output_file: 'burst.pcap', overwrite: true });
  send(port, 10, 100);
  const r = await stop(s.sc.capture_id);
  check(r.sc.packets === 10 && readCapture(at('burst.pcap')).records.length === 10, 'overwrite replaces the file');

  const outside = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pa-outside-')), 'victim');
  fs.writeFileSync(outside, 'not yours');
  fs.symlinkSync(outside, at('link.pcap'));
  const sym = await mcp.call('start_packet_capture', { interface: 'lo', output_file: 'link.pcap', overwrite: true });
  check(!sym.ok && sym.text.includes('not a regular file'), `a symbolic link is never replaced: ${sym.text}`);
  check(fs.readFileSync(outside, 'utf8') === 'not yours', 'the link target is untouched');

  const run = await capture({ output_file: 'running.pcap', capture_filter: 'udp and port 9' });
  const clash = await mcp.call('start_packet_capture', { interface: 'lo', output_file: 'running.pcap', overwrite: true });
  check(!clash.ok && clash.text.includes('being written by a running capture'), `running file refused: ${clash.text}`);
  await stop(run.sc.capture_id);
}

// 4. Ring buffer by size: 3 files of at most 64 KiB kept, the oldest deleted, each file
// whole and readable, and together they hold the last datagrams without a gap.
for (const [fmt, size] of [['pcap', 65536], ['pcapng', '64KB']]) {
  const N = 2000, port = 45998;
  const s = await capture({ capture_filter: `udp and dst port ${port}`, output_file: `ring.${fmt}`,
    file_size: size, ring_files: 3 });
  check(/^ring_00001_\d{14}\./.test(s.sc.file), `${fmt} ring: first file named ${s.sc.file}`);
  check(!fs.existsSync(at(`ring.${fmt}`)), `${fmt} ring: the plain name is not created`);
  send(port, N, 1000, 20000);
  const r = await stop(s.sc.capture_id);
  const names = fs.readdirSync(storage).filter((n) => n.startsWith('ring_') && n.endsWith(`.${fmt}`)).sort();
  check(names.length === 3, `${fmt} ring: ${names.length} files on disk, expected 3 (${names})`);
  check(r.sc.packets === N && r.sc.lost_packets === 0, `${fmt} ring: ${r.sc.packets} packets written`);
  check(r.sc.rotation && r.sc.rotation.ring_files === 3 && r.sc.rotation.file_size_bytes === 65536 &&
    r.sc.rotation.files_made >= 25 && r.sc.rotation.files_deleted === r.sc.rotation.files_made - 3,
    `${fmt} ring: rotation ${JSON.stringify(r.sc.rotation)}`);
  check(JSON.stringify(r.sc.files.map((f) => f.name)) === JSON.stringify(names), `${fmt} ring: status lists the files kept`);
  const nums = names.map((n) => Number(n.split('_')[1]));
  check(nums[2] === r.sc.rotation.files_made && nums[1] === nums[2] - 1 && nums[0] === nums[2] - 2,
    `${fmt} ring: the newest three are kept (${nums})`);
  let all = [], total = 0;
  for (const [i, n] of names.entries()) {
    const st = fs.statSync(at(n));
    total += st.size;
    check(st.size <= 65536 && st.size === r.sc.files[i].bytes, `${fmt} ring: ${n} is ${st.size} bytes`);
    const f = readCapture(at(n));
    check(f.records.length === r.sc.files[i].packets, `${fmt} ring: ${n} holds what the status says`);
    if (fmt === 'pcapng') check(f.isb && f.blocks.at(-1) === 5, `${fmt} ring: ${n} ends with statistics`);
    const lp = libpcapCount(at(n));
    if (lp !== null) check(lp === f.records.length, `${fmt} ring: libpcap reads ${n}`);
    all = all.concat(f.records.map(seqOf));
  }
  check(total === r.sc.bytes, `${fmt} ring: bytes is what the kept files hold`);
  check(all.at(-1) === N - 1, `${fmt} ring: the last datagram is in the newest file`);
  consecutive(all, N - all.length, `${fmt} ring`);
  check(r.text.includes('keeping the last 3') && names.every((n) => r.text.includes(n)), `${fmt} ring: text lists the files`);
}

// 5. Ring by time: a file a second, all kept, the capture ends at its duration.
{
  const s = await capture({ capture_filter: 'udp and dst port 45999', output_file: 'timed.pcap', file_duration: 1,
    duration: 3 });
  send(45999, 50, 100, 100);
  await sleep(3000);
  const st = (await mcp.call('get_capture_status', {})).sc.captures.find((c) => c.capture_id === s.sc.capture_id);
  const r = await stop(s.sc.capture_id);
  check(st.state === 'stopped' && r.sc.stop_reason === 'duration', `time ring: ended by ${r.sc.stop_reason}`);
  const names = fs.readdirSync(storage).filter((n) => n.startsWith('timed_')).sort();
  check(names.length >= 3 && names.length <= 4 && r.sc.rotation.files_made === names.length &&
    r.sc.rotation.files_deleted === 0 && r.sc.rotation.ring_files === null,
    `time ring: ${names.length} files (${JSON.stringify(r.sc.rotation)})`);
  let n = 0;
  for (const f of names) n += readCapture(at(f)).records.length;
  check(n === 50 && r.sc.packets === 50, `time ring: ${n} records across the files`);
}

// 6. Refusals: what a rotation needs and what MAX_CAPTURE_SIZE allows.
for (const [args, want] of [
  [{ ring_files: 3 }, 'ring_files needs file_size or file_duration'],
  [{ file_size: '12 parsecs' }, 'file_size is not a size'],
  [{ file_size: '2TB' }, "MAX_CAPTURE_SIZE"],
  [{ ring_files: 1, file_size: 65536 }, 'ring_files'],
  [{ file_size: 1000 }, 'file_size'],
]) {
  const r = await mcp.call('start_packet_capture', { interface: 'lo', ...args });
  check(!r.ok && r.text.includes(want), `${JSON.stringify(args)} refused: ${r.text}`);
}
await mcp.close();

// 7. MAX_CAPTURE_SIZE bounds the files together: without a ring the capture stops at it
// (reason size); with a ring the oldest files go and the capture goes on.
{
  const small = await new Client({ PCAP_STORAGE_PATH: storage, MAX_CAPTURE_SIZE: '256KB' }).init();
  for (const ring of [0, 5]) {
    const args = { interface: 'lo', capture_filter: 'udp and dst port 46000', output_file: `bound${ring}.pcap`,
      file_size: 65536, duration: 60 };
    if (ring) args.ring_files = ring;
    const s = await small.call('start_packet_capture', args);
    check(s.ok, `bounded ${ring}: ${s.text}`);
    send(46000, 1000, 1000, 20000);
    await sleep(200);
    const r = await small.call('stop_packet_capture', { capture_id: s.sc.capture_id });
    const names = fs.readdirSync(storage).filter((n) => n.startsWith(`bound${ring}_`));
    const total = names.reduce((a, n) => a + fs.statSync(at(n)).size, 0);
    check(total <= 256 * 1024 && total === r.sc.bytes, `bounded ${ring}: ${total} bytes on disk`);
    if (!ring) check(r.sc.stop_reason === 'size' && r.sc.packets < 1000, `bounded: stopped by ${r.sc.stop_reason}`);
    else check(r.sc.stop_reason === 'user' && r.sc.packets === 1000 && names.length <= 4,
      `bounded ring: ${r.sc.packets} packets, ${names.length} files, ${r.sc.stop_reason}`);
  }
  await small.close();
}

if (!process.env.PA_KEEP) fs.rmSync(storage, { recursive: true, force: true });
if (failures) {
  console.error(`${failures} checks failed`);
  process.exit(1);
}
console.log('capture_live: all checks passed');
