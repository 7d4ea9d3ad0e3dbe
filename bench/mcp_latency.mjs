// Latency through a real MCP client (JSON-RPC over the server's stdio), as a model's host sees it:
//   1. server start to the `initialize` answer, STARTS times (a new process each time);
//   2. the first analysis of FILE (builds the model every file tool reads);
//   3. each of the original server's 26 file tools on the analysed file, CALLS times each:
//      median and p99 of the time from writing the request to reading its response.
// Usage: node bench/mcp_latency.mjs SERVER STORAGE_DIR FILE [CALLS=20] [STARTS=20]
// Prints a Markdown table (docs/BENCHMARKS.md). Not run by CI.
import { spawn } from 'node:child_process';

const [server, storage, file, callsArg, startsArg] = process.argv.slice(2);
if (!server || !storage || !file) {
  console.error('usage: node bench/mcp_latency.mjs SERVER STORAGE_DIR FILE [CALLS=20] [STARTS=20]');
  process.exit(2);
}
const CALLS = Number(callsArg ?? 20), STARTS = Number(startsArg ?? 20);

// The file tools of the original server, with the arguments a call needs (defaults otherwise).
const TOOLS = [
  'analyze_pcap_file', 'extract_http_requests', 'generate_traffic_timeline',
  ['search_packet_content', { search_pattern: 'HTTP' }], 'analyze_network_performance',
  'analyze_network_latency', 'analyze_tls_handshakes', 'analyze_sni_mismatches',
  'extract_certificate_details', 'analyze_tls_alerts', 'analyze_connection_lifecycle',
  'extract_tls_cipher_analysis', 'analyze_tcp_retransmissions', 'analyze_tcp_zero_window',
  'analyze_tcp_window_scaling', 'analyze_packet_timing_issues', 'analyze_congestion_indicators',
  'analyze_dns_resolution_issues', 'analyze_expert_information', 'analyze_protocol_anomalies',
  'analyze_network_topology', 'analyze_security_threats', 'generate_throughput_io_graph',
  'analyze_bandwidth_utilization', 'analyze_application_response_times', 'analyze_network_quality_metrics',
];

function startServer() {
  const t0 = process.hrtime.bigint();
  const child = spawn(server, [], { env: { ...process.env, PCAP_STORAGE_PATH: storage }, stdio: ['pipe', 'pipe', 'ignore'] });
  const waiting = new Map();
  let buf = '', nextId = 1;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      const m = JSON.parse(line);
      const w = waiting.get(m.id);
      if (w) {
        waiting.delete(m.id);
        w({ msg: m, at: process.hrtime.bigint(), bytes: line.length });
      }
    }
  });
  const request = (method, params) => new Promise((resolve) => {
    const id = nextId++;
    const sent = process.hrtime.bigint();
    waiting.set(id, (r) => resolve({ ...r, ms: Number(r.at - sent) / 1e6 }));
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
  });
  const initialize = async () => {
    const r = await request('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } });
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
    return Number(r.at - t0) / 1e6;
  };
  return { child, request, initialize };
}

const pct = (v, p) => {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const fmt = (ms) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));

const starts = [];
for (let i = 0; i < STARTS; i++) {
  const s = startServer();
  starts.push(await s.initialize());
  s.child.kill();
}

const s = startServer();
await s.initialize();
const first = await s.request('tools/call', { name: 'analyze_pcap_file', arguments: { pcap_file: file } });
if (first.msg.result?.isError) throw new Error(JSON.stringify(first.msg.result.content));
console.log(`| ${file}: ${CALLS} calls per tool after the first analysis | median (ms) | p99 (ms) | reply size (KB) |`);
console.log('|---|---|---|---|');
console.log(`| server start to \`initialize\` answered (${STARTS} starts) | ${fmt(pct(starts, 50))} | ${fmt(pct(starts, 99))} | |`);
console.log(`| first analysis (builds the model) | ${fmt(first.ms)} | | ${(first.bytes / 1024).toFixed(1)} |`);
const medians = [];
for (const t of TOOLS) {
  const [name, extra] = Array.isArray(t) ? t : [t, {}];
  const times = [];
  let bytes = 0;
  for (let i = 0; i < CALLS; i++) {
    const r = await s.request('tools/call', { name, arguments: { pcap_file: file, ...extra } });
    if (r.msg.error || r.msg.result?.isError) throw new Error(`${name}: ${JSON.stringify(r.msg.error ?? r.msg.result.content)}`);
    times.push(r.ms);
    bytes = r.bytes;
  }
  medians.push(pct(times, 50));
  console.log(`| ${name} | ${fmt(pct(times, 50))} | ${fmt(pct(times, 99))} | ${(bytes / 1024).toFixed(1)} |`);
}
console.log(`| all ${TOOLS.length} tools: median of the medians, largest median | ${fmt(pct(medians, 50))} | ${fmt(Math.max(...medians))} | |`);
s.child.kill();
