#!/usr/bin/env node
// End-to-end test: the official MCP TypeScript SDK client against the server.
//
//   node e2e.mjs SERVER_BIN
//
// Spawns SERVER_BIN over stdio with PCAP_STORAGE_PATH set to a temporary
// directory holding one small valid pcap, then exercises it through the
// SDK's Client. Installs the pinned dependencies (npm ci) when node_modules
// is missing. Exit status: 0 all checks passed, 1 a check failed, 2 bad
// usage, 77 (skip) the binary is missing or the dependencies cannot be
// installed for lack of network.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDependencies as ensureShared, skip } from '../support/npm_deps.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const REQUEST_TIMEOUT_MS = 10_000;

// ------------------------------------------------------------ dependencies

function ensureDependencies() {
  ensureShared(here, 'the MCP SDK');
}

// ------------------------------------------------------------ sample pcap

// A minimal valid capture: little-endian microsecond pcap header, one
// Ethernet II / IPv4 / UDP frame carrying "mcp!".
function samplePcap() {
  const payload = Buffer.from('mcp!', 'ascii');
  const udp = Buffer.alloc(8);
  udp.writeUInt16BE(40000, 0); // source port
  udp.writeUInt16BE(53, 2); // destination port
  udp.writeUInt16BE(8 + payload.length, 4);
  udp.writeUInt16BE(0, 6); // checksum 0: not computed (allowed over IPv4)
  const ip = Buffer.alloc(20);
  ip[0] = 0x45; // version 4, header length 5 words
  ip.writeUInt16BE(20 + udp.length + payload.length, 2);
  ip.writeUInt16BE(0x1234, 4); // identification
  ip.writeUInt16BE(0x4000, 6); // don't fragment
  ip[8] = 64; // TTL
  ip[9] = 17; // UDP
  Buffer.from([192, 0, 2, 1]).copy(ip, 12);
  Buffer.from([192, 0, 2, 2]).copy(ip, 16);
  let sum = 0;
  for (let i = 0; i < 20; i += 2) sum += ip.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  ip.writeUInt16BE(~sum & 0xffff, 10);
  const eth = Buffer.from([0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00]);
  const frame = Buffer.concat([eth, ip, udp, payload]);

  const global = Buffer.alloc(24);
  global.writeUInt32LE(0xa1b2c3d4, 0); // magic: microseconds, written little-endian
  global.writeUInt16LE(2, 4); // version 2.4
  global.writeUInt16LE(4, 6);
  global.writeInt32LE(0, 8); // thiszone
  global.writeUInt32LE(0, 12); // sigfigs
  global.writeUInt32LE(65535, 16); // snaplen
  global.writeUInt32LE(1, 20); // LINKTYPE_ETHERNET
  const record = Buffer.alloc(16);
  record.writeUInt32LE(1_700_000_000, 0);
  record.writeUInt32LE(123_456, 4);
  record.writeUInt32LE(frame.length, 8);
  record.writeUInt32LE(frame.length, 12);
  return Buffer.concat([global, record, frame]);
}

// ------------------------------------------------------------ checks

let passed = 0;
let failed = 0;

async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok   ${name}`);
    return true;
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}\n     ${String(e?.stack ?? e).split('\n').join('\n     ')}`);
    return false;
  }
}

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

async function expectMcpError(promise, code) {
  const { McpError } = await import('@modelcontextprotocol/sdk/types.js');
  let result;
  try {
    result = await promise;
  } catch (e) {
    assert(e instanceof McpError, `expected an McpError, got ${e?.constructor?.name}: ${e?.message}`);
    assert(e.code === code, `expected error code ${code}, got ${e.code}: ${e.message}`);
    return e;
  }
  throw new Error(`expected an McpError with code ${code}, got a result: ${JSON.stringify(result)}`);
}

async function main() {
  const serverArg = process.argv[2];
  if (!serverArg) {
    console.error('usage: node e2e.mjs SERVER_BIN');
    process.exit(2);
  }
  const serverBin = path.resolve(serverArg);
  try {
    fs.accessSync(serverBin, fs.constants.X_OK);
  } catch {
    skip(`${serverBin} is missing or not executable`);
  }
  ensureDependencies();

  // Imported only now: npm ci may just have installed them.
  const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
  const { StdioClientTransport } = await import('@modelcontextprotocol/sdk/client/stdio.js');
  const { ResultSchema } = await import('@modelcontextprotocol/sdk/types.js');
  // ajv and ajv-formats imported the way the SDK's own validator does.
  const { default: Ajv } = await import('ajv');
  const { default: addFormats } = await import('ajv-formats');

  const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'pcap-e2e-'));
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pcap-e2e-scratch-'));
  const pcap = samplePcap();
  fs.writeFileSync(path.join(storage, 'sample.pcap'), pcap);

  const env = { ...process.env, PCAP_STORAGE_PATH: storage, ANALYSIS_TEMP_DIR: scratch };
  delete env.PCAP_STORAGE_DIR;
  const transport = new StdioClientTransport({ command: serverBin, args: [], env, stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (d) => {
    stderr += d.toString('utf8');
  });
  const client = new Client({ name: 'pcap-analyzer-e2e', version: '1.0.0' });
  const opts = { timeout: REQUEST_TIMEOUT_MS };

  try {
    const connected = await check('connect (initialize handshake)', async () => {
      await client.connect(transport, opts);
    });
    if (!connected) return;

    await check('server name is pcap-analyzer-mcp-server', async () => {
      const info = client.getServerVersion();
      assert(info?.name === 'pcap-analyzer-mcp-server', `serverInfo: ${JSON.stringify(info)}`);
      assert(typeof info.version === 'string' && info.version.length > 0, 'serverInfo.version missing');
    });

    await check('capabilities include tools and logging; instructions given', async () => {
      const caps = client.getServerCapabilities();
      assert(caps?.tools && caps?.logging, `capabilities: ${JSON.stringify(caps)}`);
      const instructions = client.getInstructions();
      assert(typeof instructions === 'string' && instructions.trim() !== '', 'no instructions');
    });

    let tools = [];
    await check('tools/list (all pages)', async () => {
      let cursor;
      let pages = 0;
      do {
        const page = await client.listTools(cursor === undefined ? {} : { cursor }, opts);
        tools.push(...page.tools);
        cursor = page.nextCursor;
        assert(++pages < 100, 'more than 100 pages: the cursor does not advance');
      } while (cursor !== undefined);
      const names = tools.map((t) => t.name);
      assert(new Set(names).size === names.length, `duplicate tool names: ${names.join(', ')}`);
    });

    const tool = tools.find((t) => t.name === 'list_captured_files');
    await check('list_captured_files is listed with outputSchema and readOnlyHint', async () => {
      assert(tool, `not among: ${tools.map((t) => t.name).join(', ')}`);
      assert(tool.outputSchema?.type === 'object', `outputSchema: ${JSON.stringify(tool.outputSchema)}`);
      assert(tool.annotations?.readOnlyHint === true, `annotations: ${JSON.stringify(tool.annotations)}`);
    });

    await check('list_captured_files result validates against its outputSchema', async () => {
      assert(tool?.outputSchema, 'no outputSchema to validate against');
      const res = await client.callTool({ name: 'list_captured_files', arguments: {} }, undefined, opts);
      assert(res.isError !== true, `isError: ${JSON.stringify(res.content)}`);
      assert(res.content?.[0]?.type === 'text' && typeof res.content[0].text === 'string', 'no text content');
      const ajv = new Ajv({ strict: false, allErrors: true });
      addFormats(ajv);
      const validate = ajv.compile(tool.outputSchema);
      assert(validate(res.structuredContent), `schema errors: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(res.structuredContent)}`);
      const sc = res.structuredContent;
      assert(sc.total === 1 && sc.returned === 1, `total/returned: ${sc.total}/${sc.returned}`);
      const f = sc.files.find((x) => x.name === 'sample.pcap');
      assert(f, `sample.pcap not listed: ${JSON.stringify(sc.files)}`);
      assert(f.format === 'pcap', `format ${f.format}`);
      assert(f.size_bytes === pcap.length, `size_bytes ${f.size_bytes}, file has ${pcap.length}`);
      assert(/Z$/.test(f.modified), `modified not UTC: ${f.modified}`);
    });

    await check('every file tool answers on sample.pcap with a result its outputSchema accepts', async () => {
      const ajv = new Ajv({ strict: false, allErrors: true });
      addFormats(ajv);
      // the arguments a few tools need beyond the file
      // the arguments a few tools need beyond the file (the sample holds one UDP datagram)
      const extra = { follow_stream: { protocol: 'udp', stream: 0 }, get_packet_details: { frame_number: 1, hex_bytes: 64 },
        export_packets: { output_file: 'e2e_export.pcapng', display_filter: 'udp.port == 53' } };
      const fileTools = tools.filter((t) => t.inputSchema?.required?.includes('pcap_file') &&
        t.inputSchema.required.every((k) => k === 'pcap_file' || extra[t.name]?.[k] !== undefined));
      assert(fileTools.length >= 29, `only ${fileTools.length} file tools`);
      for (const t of fileTools) {
        const args = { pcap_file: 'sample.pcap', ...(extra[t.name] ?? {}) };
        const res = await client.callTool({ name: t.name, arguments: args }, undefined, opts);
        assert(res.isError !== true, `${t.name}: isError ${JSON.stringify(res.content)}`);
        const validate = ajv.compile(t.outputSchema);
        assert(validate(res.structuredContent), `${t.name}: schema errors: ${ajv.errorsText(validate.errors)}`);
      }
      for (const type of ['summary', 'protocols', 'conversations', 'endpoints', 'security']) {
        const t = tools.find((x) => x.name === 'analyze_pcap_file');
        const res = await client.callTool({ name: t.name, arguments: { pcap_file: 'sample.pcap', analysis_type: type } },
          undefined, opts);
        assert(res.isError !== true && ajv.compile(t.outputSchema)(res.structuredContent), `analyze_pcap_file ${type}`);
      }
    });

    await check('list_captured_files {limit:"x"} is a tool error (isError)', async () => {
      const res = await client.callTool({ name: 'list_captured_files', arguments: { limit: 'x' } }, undefined, opts);
      assert(res.isError === true, `expected isError:true, got ${JSON.stringify(res)}`);
      assert(/limit/.test(res.content?.[0]?.text ?? ''), `message does not name the argument: ${JSON.stringify(res.content)}`);
    });

    await check('unknown tool is rejected with McpError -32602', async () => {
      await expectMcpError(client.callTool({ name: 'no_such_tool', arguments: {} }, undefined, opts), -32602);
    });

    await check('unknown method is rejected with McpError -32601', async () => {
      await expectMcpError(client.request({ method: 'no/such/method', params: {} }, ResultSchema, opts), -32601);
    });

    await check('ping', async () => {
      const res = await client.ping(opts);
      assert(res && typeof res === 'object', `ping result ${JSON.stringify(res)}`);
    });

    await check('close', async () => {
      await client.close();
    });
  } finally {
    try {
      await client.close();
    } catch {
      // already closed
    }
    fs.rmSync(storage, { recursive: true, force: true });
    fs.rmSync(scratch, { recursive: true, force: true });
    if (failed && stderr.trim()) {
      console.log('server stderr (tail):');
      for (const l of stderr.trim().split('\n').slice(-15)) console.log(`    ${l}`);
    }
  }
}

main()
  .catch((e) => {
    failed++;
    console.log(`FAIL ${e?.stack ?? e}`);
  })
  .finally(() => {
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
  });
