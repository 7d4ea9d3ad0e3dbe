#!/usr/bin/env node
// The official MCP Inspector's CLI (version pinned by package-lock.json)
// against the server:
//
//   node inspector.mjs SERVER_BIN SAMPLE_PCAP
//
// 1. `mcp-inspector --cli SERVER --method tools/list --strict` must report
//    no schema-portability problem: exit 0, no "Warning"/"Error" item and no
//    non-zero count on stderr, and every tool of the binary listed. A stub
//    server with one type-list schema must first produce exactly one
//    warning, so a silent Inspector cannot pass the check by accident.
// 2. resources/list, resources/templates/list, resources/read (the guide and
//    a capture's summary), prompts/list and prompts/get through the same
//    client, whose result schemas must accept our answers.
//
// Installs the pinned Inspector (npm ci) when missing. Exit status: 0 all
// checks passed, 1 a check failed, 2 bad usage, 77 (skip) the binary is
// missing or the Inspector cannot be installed for lack of network.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDependencies, skip } from '../support/npm_deps.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const [serverBin, samplePcap] = process.argv.slice(2);
if (!serverBin || !samplePcap) {
  console.error('usage: node inspector.mjs SERVER_BIN SAMPLE_PCAP');
  process.exit(2);
}
try {
  fs.accessSync(serverBin, fs.constants.X_OK);
  fs.accessSync(samplePcap, fs.constants.R_OK);
} catch {
  skip(`${serverBin} or ${samplePcap} is missing`);
}
ensureDependencies(here, 'the MCP Inspector');

let passed = 0;
let failed = 0;
function check(cond, what, detail = '') {
  if (cond) {
    passed++;
  } else {
    failed++;
    console.error(`FAIL: ${what}${detail ? `\n${detail}` : ''}`);
  }
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pcap-inspector-'));
const storage = path.join(scratch, 'store');
fs.mkdirSync(storage);
fs.copyFileSync(samplePcap, path.join(storage, 'sample.pcap'));

// The Inspector keeps a catalog of servers; it must not write the user's.
const env = { ...process.env, MCP_CATALOG_PATH: path.join(scratch, 'catalog.json') };

// viaNpx: as a user runs it (`npx mcp-inspector`); otherwise the same
// launcher from node_modules/.bin directly, which starts seconds sooner.
function inspector(target, args, viaNpx = false) {
  const cmd = viaNpx ? 'npx' : path.join(here, 'node_modules', '.bin', 'mcp-inspector');
  const pre = viaNpx ? ['--no-install', 'mcp-inspector'] : [];
  const res = spawnSync(cmd, [...pre, '--cli', ...target, ...args], {
    cwd: here,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: res.status, stdout: res.stdout ?? '', stderr: res.stderr ?? '', error: res.error };
}

// What --strict reported: the warning and error items, and the counts of
// its summary line when it printed one.
function portability(stderr) {
  const items = stderr.split('\n').filter((l) => /^(Warning|Error)\b/.test(l));
  const m = stderr.match(/(\d+) errors?, (\d+) warnings?/);
  return { items, errors: m ? Number(m[1]) : 0, warnings: m ? Number(m[2]) : items.length };
}

function json(out, what) {
  try {
    return JSON.parse(out);
  } catch {
    check(false, `${what}: stdout is JSON`, out.slice(0, 2000));
    return null;
  }
}

const server = [serverBin, '-e', `PCAP_STORAGE_PATH=${storage}`];

try {
  // --- the check can see a warning
  const stub = inspector(['node', path.join(here, 'stub_server.mjs')], ['--method', 'tools/list', '--strict']);
  if (stub.error) throw stub.error;
  const sp = portability(stub.stderr);
  check(sp.warnings === 1 && sp.items.length === 1 && /type.*array/i.test(stub.stderr),
    'the stub server\'s type list is reported as one warning', stub.stderr);

  // --- tools/list --strict: no portability problem
  const tl = inspector(server, ['--method', 'tools/list', '--strict'], true);
  const p = portability(tl.stderr);
  console.log(`inspector --strict: ${p.errors} errors, ${p.warnings} warnings`);
  check(tl.status === 0, `tools/list --strict exits 0 (got ${tl.status})`, tl.stderr);
  check(p.items.length === 0 && p.errors === 0 && p.warnings === 0, 'no portability warning or error', tl.stderr);
  const listed = json(tl.stdout, 'tools/list');
  const ours = JSON.parse(spawnSync(serverBin, ['tools', '--json'], { encoding: 'utf8' }).stdout);
  check(listed && listed.tools.length === ours.length, `every tool listed (${ours.length})`);

  // --- resources, prompts: the client's schemas accept our answers
  const rl = json(inspector(server, ['--method', 'resources/list']).stdout, 'resources/list');
  check(rl && rl.resources.some((r) => r.uri === 'pcap://sample.pcap/summary'), 'resources/list names the capture');
  const tpl = json(inspector(server, ['--method', 'resources/templates/list']).stdout, 'resources/templates/list');
  check(tpl && tpl.resourceTemplates.some((t) => t.uriTemplate === 'pcap://{file}/summary'), 'the summary template');
  const guide = json(inspector(server, ['--method', 'resources/read', '--uri', 'pcap-analyzer://guide']).stdout, 'guide');
  check(guide && /list_captured_files/.test(guide.contents[0].text), 'the guide reads');
  const sum = json(inspector(server, ['--method', 'resources/read', '--uri', 'pcap://sample.pcap/summary']).stdout, 'summary');
  check(sum && /^sample\.pcap: \d+ packets/.test(sum.contents[0].text), 'the summary reads', sum && sum.contents[0].text);
  const pl = json(inspector(server, ['--method', 'prompts/list']).stdout, 'prompts/list');
  check(pl && pl.prompts.length === 5, 'five prompts');
  const pg = json(inspector(server, ['--method', 'prompts/get', '--prompt-name', 'capture_triage',
    '--prompt-args', 'pcap_file=sample.pcap']).stdout, 'prompts/get');
  check(pg && pg.messages[0].role === 'user' && /analyze_pcap_file/.test(pg.messages[0].content.text), 'a prompt reads');
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}

console.log(`inspector: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
