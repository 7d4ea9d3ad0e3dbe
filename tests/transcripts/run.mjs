#!/usr/bin/env node
// Transcript runner for pcap-analyzer-mcp-server.
//
//   node run.mjs SERVER_BIN TEST_SERVER_BIN [NAME|PATH...]
//
// Runs every tests/transcripts/*.txt (or only the ones named; a path such as
// pending/foo.txt runs a transcript outside the default set) against the
// server, one fresh server process and one fresh temporary directory per
// transcript. Plain Node, no dependencies. Exit status: 0 all passed,
// 1 something failed, 2 bad usage, 77 (skip) a binary is missing.
//
// Transcript syntax (one directive per line; blank lines and "# ..." ignored):
//
//   @server test|shipped        which binary to run (default: shipped)
//   @args ARG...                extra command-line arguments (default: none)
//   @env NAME=value             environment for the server; "{tmp}" expands to
//                               the transcript's fresh temporary directory,
//                               which is PCAP_STORAGE_PATH unless overridden
//   @file NAME hex:HEX          create NAME in the storage directory
//   @file NAME bytes:TEXT       (TEXT taken literally to the end of the line)
//   @mtime NAME ISO-8601        set a created file's modification time
//   (@server/@args/@env/@file/@mtime must come before the server starts,
//    which happens at the first directive that talks to it)
//
//   > TEXT                      send TEXT plus "\n" verbatim (usually JSON)
//   >raw TEXT                   the same, for lines that are not JSON ("" ok)
//   >hex HEX                    send these bytes plus "\n"
//   >big N                      send a JSON ping request padded to exactly N
//                               bytes, plus "\n"
//   In ">" and ">raw" lines $repeat(N,TEXT) expands to TEXT repeated N times
//   (TEXT may not contain ")").
//
//   < PATTERN                   wait (10 s) for the first received message not
//                               yet consumed that matches PATTERN; consume it
//   << PATTERN                  the same, but it must be the very next
//                               unconsumed message in arrival order
//   @sleep MS                   wait MS milliseconds
//   @close                      close the server's stdin
//   @signal NAME                send a signal (TERM, INT, ...)
//   @exit CODE [MS]             wait (default 10 s) for the server to exit and
//                               check its exit code
//   @restart                    end this server as at the end of a transcript
//                               (all checks included), then start a new one
//                               with the same settings and storage directory
//
// PATTERN is JSON matched as a subset: every key of a pattern object must be
// present and match; arrays match element by element and must have the same
// length; other values must be equal. Special strings: "$any" (any value),
// "$absent" (the key must not be present), "$string", "$number", "$int",
// "$bool", "$object", "$array", "$re:REGEX" (a string matching REGEX).
//
// Every line the server writes to stdout must be a JSON-RPC 2.0 message.
// When the transcript ends the runner closes stdin (unless done already),
// waits for the server to exit (it must exit 0), and fails if any message
// received was not consumed by a "<" line.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const WAIT_MS = 10_000;
const PARALLEL = Math.max(1, Math.min(4, os.cpus().length));
const here = path.dirname(fileURLToPath(import.meta.url));

// ---------------------------------------------------------------- patterns

const typeChecks = {
  $any: () => true,
  $string: (v) => typeof v === 'string',
  $number: (v) => typeof v === 'number',
  $int: (v) => Number.isInteger(v),
  $bool: (v) => typeof v === 'boolean',
  $object: (v) => v !== null && typeof v === 'object' && !Array.isArray(v),
  $array: (v) => Array.isArray(v),
};

// Returns null when value matches pattern, else a description of the first
// mismatch (with its path).
export function mismatch(pattern, value, where = '$') {
  if (typeof pattern === 'string') {
    if (pattern === '$absent') return `${where}: expected to be absent`;
    if (Object.hasOwn(typeChecks, pattern)) {
      if (value === undefined) return `${where}: missing (expected ${pattern})`;
      return typeChecks[pattern](value) ? null : `${where}: ${JSON.stringify(value)} is not ${pattern}`;
    }
    if (pattern.startsWith('$re:')) {
      if (typeof value !== 'string') return `${where}: ${JSON.stringify(value)} is not a string (expected ${pattern})`;
      return new RegExp(pattern.slice(4)).test(value) ? null : `${where}: ${JSON.stringify(value)} does not match /${pattern.slice(4)}/`;
    }
    return value === pattern ? null : `${where}: ${JSON.stringify(value)} !== ${JSON.stringify(pattern)}`;
  }
  if (Array.isArray(pattern)) {
    if (!Array.isArray(value)) return `${where}: ${JSON.stringify(value)} is not an array`;
    // A last element "$rest" lets an array pattern match a prefix (a tool list that grows).
    if (pattern.length && pattern[pattern.length - 1] === '$rest') {
      const head = pattern.slice(0, -1);
      if (value.length < head.length) return `${where}: array length ${value.length}, expected at least ${head.length}`;
      return mismatch(head, value.slice(0, head.length), where);
    }
    // A first element "$rest" matches a suffix instead (test tools listed after the built-ins).
    if (pattern.length && pattern[0] === '$rest') {
      const tail = pattern.slice(1);
      if (value.length < tail.length) return `${where}: array length ${value.length}, expected at least ${tail.length}`;
      return mismatch(tail, value.slice(value.length - tail.length), where);
    }
    if (value.length !== pattern.length) return `${where}: array length ${value.length}, expected ${pattern.length}`;
    for (let i = 0; i < pattern.length; i++) {
      const m = mismatch(pattern[i], value[i], `${where}[${i}]`);
      if (m) return m;
    }
    return null;
  }
  if (pattern !== null && typeof pattern === 'object') {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return `${where}: ${JSON.stringify(value)} is not an object`;
    }
    for (const [k, p] of Object.entries(pattern)) {
      const sub = `${where}.${k}`;
      if (p === '$absent') {
        if (Object.hasOwn(value, k)) return `${sub}: present (${JSON.stringify(value[k])}), expected absent`;
        continue;
      }
      if (!Object.hasOwn(value, k)) return `${sub}: missing`;
      const m = mismatch(p, value[k], sub);
      if (m) return m;
    }
    return null;
  }
  return Object.is(pattern, value) ? null : `${where}: ${JSON.stringify(value)} !== ${JSON.stringify(pattern)}`;
}

// A well-formed JSON-RPC 2.0 message from the server, or a reason why not.
function jsonRpcProblem(m) {
  if (m === null || typeof m !== 'object' || Array.isArray(m)) return 'not a JSON object';
  if (m.jsonrpc !== '2.0') return 'jsonrpc is not "2.0"';
  if (Object.hasOwn(m, 'method')) {
    if (typeof m.method !== 'string') return 'method is not a string';
    if (Object.hasOwn(m, 'result') || Object.hasOwn(m, 'error')) return 'request/notification with result or error';
    return null;
  }
  if (!Object.hasOwn(m, 'id')) return 'neither a request/notification (method) nor a response (id)';
  if (!(m.id === null || typeof m.id === 'string' || Number.isInteger(m.id))) return 'id is not a string, integer or null';
  const hasResult = Object.hasOwn(m, 'result');
  const hasError = Object.hasOwn(m, 'error');
  if (hasResult === hasError) return 'response must have exactly one of result and error';
  if (hasError) {
    const e = m.error;
    if (e === null || typeof e !== 'object' || !Number.isInteger(e.code) || typeof e.message !== 'string') {
      return 'error must be an object with an integer code and a string message';
    }
  }
  return null;
}

// ---------------------------------------------------------------- parsing

class TranscriptError extends Error {}

function parseTranscript(text) {
  const steps = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i].replace(/\r$/, '');
    const line = raw.trimStart();
    if (line === '' || line.startsWith('#')) continue;
    const step = { lineNo, text: raw.trim() };
    let m;
    if ((m = /^>raw(?: (.*))?$/.exec(line))) {
      Object.assign(step, { op: 'send', data: m[1] ?? '' });
    } else if ((m = /^>hex\s+([0-9a-fA-F\s]*)$/.exec(line))) {
      const hex = m[1].replace(/\s+/g, '');
      if (hex.length % 2) throw new TranscriptError(`line ${lineNo}: odd number of hex digits`);
      Object.assign(step, { op: 'sendBytes', bytes: Buffer.from(hex, 'hex') });
    } else if ((m = /^>big\s+(\d+)$/.exec(line))) {
      Object.assign(step, { op: 'sendBig', size: Number(m[1]) });
    } else if (line.startsWith('>')) {
      Object.assign(step, { op: 'send', data: line.slice(1).replace(/^ /, '') });
    } else if (line.startsWith('<<') || line.startsWith('<')) {
      const strict = line.startsWith('<<');
      const src = line.slice(strict ? 2 : 1).trim();
      Object.assign(step, { op: 'expect', strict, src });
    } else if ((m = /^@server\s+(test|shipped)$/.exec(line))) {
      Object.assign(step, { op: 'server', which: m[1] });
    } else if ((m = /^@args(?:\s+(.*))?$/.exec(line))) {
      Object.assign(step, { op: 'args', args: (m[1] ?? '').split(/\s+/).filter(Boolean) });
    } else if ((m = /^@env\s+([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line))) {
      Object.assign(step, { op: 'env', name: m[1], value: m[2] });
    } else if ((m = /^@file\s+(\S+)\s+(hex|bytes):(.*)$/.exec(line))) {
      let content;
      if (m[2] === 'hex') {
        const hex = m[3].replace(/\s+/g, '');
        if (!/^[0-9a-fA-F]*$/.test(hex) || hex.length % 2) throw new TranscriptError(`line ${lineNo}: bad hex`);
        content = Buffer.from(hex, 'hex');
      } else {
        content = Buffer.from(m[3], 'utf8');
      }
      Object.assign(step, { op: 'file', name: m[1], content });
    } else if ((m = /^@mtime\s+(\S+)\s+(\S+)$/.exec(line))) {
      const t = new Date(m[2]);
      if (Number.isNaN(t.getTime())) throw new TranscriptError(`line ${lineNo}: bad time ${m[2]}`);
      Object.assign(step, { op: 'mtime', name: m[1], time: t });
    } else if ((m = /^@sleep\s+(\d+)$/.exec(line))) {
      Object.assign(step, { op: 'sleep', ms: Number(m[1]) });
    } else if (/^@restart$/.test(line)) {
      Object.assign(step, { op: 'restart' });
    } else if (/^@close$/.test(line)) {
      Object.assign(step, { op: 'close' });
    } else if ((m = /^@signal\s+(?:SIG)?([A-Z0-9]+)$/.exec(line))) {
      Object.assign(step, { op: 'signal', signal: `SIG${m[1]}` });
    } else if ((m = /^@exit\s+(\d+)(?:\s+(\d+))?$/.exec(line))) {
      Object.assign(step, { op: 'exit', code: Number(m[1]), ms: m[2] ? Number(m[2]) : WAIT_MS });
    } else {
      throw new TranscriptError(`line ${lineNo}: cannot parse: ${raw}`);
    }
    steps.push(step);
  }
  return steps;
}

function expandRepeat(s) {
  return s.replace(/\$repeat\((\d+),([^)]*)\)/g, (_, n, t) => t.repeat(Number(n)));
}

function bigLine(size) {
  const head = '{"jsonrpc":"2.0","id":"big","method":"ping","params":{"pad":"';
  const tail = '"}}';
  if (size < head.length + tail.length) return 'x'.repeat(size);
  return head + 'x'.repeat(size - head.length - tail.length) + tail;
}

// ---------------------------------------------------------------- session

class Failure extends Error {
  constructor(step, message) {
    super(message);
    this.step = step;
  }
}

class Session {
  constructor(name, bins) {
    this.name = name;
    this.bins = bins;
    this.tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pcap-transcript-')));
    this.scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pcap-transcript-scratch-'));
    this.which = 'shipped';
    this.args = [];
    this.env = { ...process.env };
    delete this.env.PCAP_STORAGE_DIR;
    delete this.env.PCAP_MCP_LOG_LEVEL;
    this.env.PCAP_STORAGE_PATH = this.tmp;
    this.env.ANALYSIS_TEMP_DIR = this.scratch;
    this.files = [];
    this.mtimes = [];
    this.proc = null;
    this.received = []; // {msg, raw, consumed}
    this.stdoutBuf = Buffer.alloc(0);
    this.stderr = '';
    this.protocolErrors = [];
    this.closed = false; // child fully closed (exited, stdio drained)
    this.exitCode = null;
    this.exitSignal = null;
    this.stdinClosed = false;
    this.listeners = new Set();
    this.assertions = 0;
  }

  expand(s) {
    return s.replaceAll('{tmp}', this.tmp);
  }

  notify() {
    for (const l of [...this.listeners]) l();
  }

  // Resolve with check()'s first non-undefined value, or undefined on timeout.
  until(check, ms) {
    return new Promise((resolve) => {
      const attempt = () => {
        const v = check();
        if (v !== undefined) {
          cleanup();
          resolve(v);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        resolve(undefined);
      }, ms);
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners.delete(attempt);
      };
      this.listeners.add(attempt);
      attempt();
    });
  }

  started() {
    return this.proc !== null;
  }

  start() {
    const storage = this.env.PCAP_STORAGE_PATH;
    if (this.files.length) fs.mkdirSync(storage, { recursive: true });
    for (const f of this.files) fs.writeFileSync(path.join(storage, f.name), f.content);
    for (const t of this.mtimes) fs.utimesSync(path.join(storage, t.name), t.time, t.time);
    const bin = this.which === 'test' ? this.bins.test : this.bins.server;
    this.proc = spawn(bin, this.args, { env: this.env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stdin.on('error', () => {}); // EPIPE after the server exits: seen through 'close'
    this.proc.stdout.on('data', (chunk) => this.onStdout(chunk));
    this.proc.stderr.on('data', (chunk) => {
      this.stderr += chunk.toString('utf8');
      if (this.stderr.length > 20000) this.stderr = this.stderr.slice(-20000);
    });
    this.proc.on('error', (err) => {
      this.protocolErrors.push(`cannot run ${bin}: ${err.message}`);
      this.closed = true;
      this.notify();
    });
    this.proc.on('close', (code, signal) => {
      if (this.stdoutBuf.length) {
        this.protocolErrors.push(`stdout ended with an unterminated line: ${this.stdoutBuf.toString('utf8').slice(0, 300)}`);
        this.stdoutBuf = Buffer.alloc(0);
      }
      this.closed = true;
      this.exitCode = code;
      this.exitSignal = signal;
      this.notify();
    });
  }

  onStdout(chunk) {
    this.stdoutBuf = Buffer.concat([this.stdoutBuf, chunk]);
    let nl;
    while ((nl = this.stdoutBuf.indexOf(0x0a)) >= 0) {
      const raw = this.stdoutBuf.subarray(0, nl).toString('utf8');
      this.stdoutBuf = this.stdoutBuf.subarray(nl + 1);
      let msg;
      try {
        msg = JSON.parse(raw);
      } catch {
        this.protocolErrors.push(`stdout line is not JSON: ${raw.slice(0, 300)}`);
        continue;
      }
      const problem = jsonRpcProblem(msg);
      if (problem) this.protocolErrors.push(`stdout line is not a JSON-RPC 2.0 message (${problem}): ${raw.slice(0, 300)}`);
      this.received.push({ msg, raw, consumed: false });
    }
    this.notify();
  }

  checkProtocol(step) {
    if (this.protocolErrors.length) throw new Failure(step, this.protocolErrors.join('\n'));
  }

  write(step, buf) {
    if (!this.started()) this.start();
    if (this.stdinClosed) throw new Failure(step, 'cannot send: stdin already closed');
    if (this.closed) throw new Failure(step, `cannot send: server already exited (${this.exitDescription()})`);
    this.proc.stdin.write(buf);
  }

  exitDescription() {
    return this.exitSignal ? `signal ${this.exitSignal}` : `exit code ${this.exitCode}`;
  }

  async run(steps) {
    for (const step of steps) {
      this.current = step;
      await this.runStep(step);
      this.checkProtocol(step);
    }
    await this.finish();
  }

  async runStep(step) {
    const before = ['server', 'args', 'env', 'file', 'mtime'];
    if (before.includes(step.op) && this.started()) {
      throw new Failure(step, `@${step.op} must come before the server starts`);
    }
    switch (step.op) {
      case 'server':
        this.which = step.which;
        return;
      case 'args':
        this.args = step.args.map((a) => this.expand(a));
        return;
      case 'env':
        this.env[step.name] = this.expand(step.value);
        return;
      case 'file':
        this.files.push({ name: step.name, content: step.content });
        return;
      case 'mtime':
        this.mtimes.push({ name: step.name, time: step.time });
        return;
      case 'send':
        this.write(step, Buffer.from(expandRepeat(this.expand(step.data)) + '\n', 'utf8'));
        return;
      case 'sendBytes':
        this.write(step, Buffer.concat([step.bytes, Buffer.from('\n')]));
        return;
      case 'sendBig':
        this.write(step, Buffer.from(bigLine(step.size) + '\n', 'utf8'));
        return;
      case 'sleep':
        if (!this.started()) this.start();
        await new Promise((r) => setTimeout(r, step.ms));
        return;
      case 'close':
        if (!this.started()) this.start();
        if (!this.stdinClosed) this.proc.stdin.end();
        this.stdinClosed = true;
        return;
      case 'signal':
        if (!this.started()) this.start();
        if (this.closed) throw new Failure(step, `cannot signal: server already exited (${this.exitDescription()})`);
        this.proc.kill(step.signal);
        return;
      case 'exit':
        return this.expectExit(step);
      case 'restart':
        await this.finish(step);
        this.reset();
        this.start();
        return;
      case 'expect':
        return this.expectMessage(step);
      default:
        throw new Failure(step, `unknown step ${step.op}`);
    }
  }

  async expectExit(step) {
    if (!this.started()) this.start();
    this.assertions++;
    const done = await this.until(() => (this.closed ? true : undefined), step.ms);
    if (!done) throw new Failure(step, `server did not exit within ${step.ms} ms`);
    if (this.exitSignal || this.exitCode !== step.code) {
      throw new Failure(step, `server exited with ${this.exitDescription()}, expected exit code ${step.code}`);
    }
  }

  async expectMessage(step) {
    if (!this.started()) this.start();
    this.assertions++;
    let pattern;
    try {
      pattern = JSON.parse(this.expand(step.src));
    } catch (e) {
      throw new Failure(step, `pattern is not JSON: ${e.message}`);
    }
    const check = () => {
      if (this.protocolErrors.length) return { fatal: true };
      for (let i = 0; i < this.received.length; i++) {
        const r = this.received[i];
        if (r.consumed) continue;
        const why = mismatch(pattern, r.msg);
        if (!why) return { hit: r };
        if (step.strict) return { strictMiss: why, r };
      }
      if (this.closed) return { gone: true };
      return undefined;
    };
    const res = await this.until(check, WAIT_MS);
    const why = () =>
      this.received
        .filter((r) => !r.consumed)
        .map((r) => `\n  not matching: ${mismatch(pattern, r.msg)}  in ${r.raw.slice(0, 200)}`)
        .join('');
    if (!res) throw new Failure(step, `no matching message within ${WAIT_MS / 1000} s${why()}`);
    if (res.fatal) this.checkProtocol(step);
    if (res.strictMiss) {
      throw new Failure(step, `next message does not match (${res.strictMiss}): ${res.r.raw}`);
    }
    if (res.gone) throw new Failure(step, `server exited (${this.exitDescription()}) without sending a matching message${why()}`);
    res.hit.consumed = true;
  }

  reset() {
    this.proc = null;
    this.received = [];
    this.stdoutBuf = Buffer.alloc(0);
    this.stderr = '';
    this.closed = false;
    this.exitCode = null;
    this.exitSignal = null;
    this.stdinClosed = false;
    this.files = [];
    this.mtimes = [];
  }

  async finish(at) {
    const end = at ?? { lineNo: 'end', text: '(end of transcript)' };
    if (!this.started()) this.start();
    if (!this.closed) {
      if (!this.stdinClosed) {
        this.proc.stdin.end();
        this.stdinClosed = true;
      }
      const done = await this.until(() => (this.closed ? true : undefined), WAIT_MS);
      if (!done) throw new Failure(end, `server did not exit within ${WAIT_MS / 1000} s after stdin was closed`);
      if (this.exitSignal || this.exitCode !== 0) {
        throw new Failure(end, `server exited with ${this.exitDescription()} at end of input, expected 0`);
      }
    }
    this.checkProtocol(end);
    const left = this.received.filter((r) => !r.consumed);
    if (left.length) {
      throw new Failure(end, `${left.length} message(s) received but not expected:\n` + left.map((r) => `    ${r.raw.slice(0, 400)}`).join('\n'));
    }
  }

  kill() {
    if (this.proc && !this.closed) {
      try {
        this.proc.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  cleanup() {
    fs.rmSync(this.tmp, { recursive: true, force: true });
    fs.rmSync(this.scratch, { recursive: true, force: true });
  }

  report(failure) {
    const out = [];
    out.push(`FAIL ${this.name}:${failure.step.lineNo}`);
    out.push(`  at: ${failure.step.text}`);
    out.push(`  ${failure.message.split('\n').join('\n  ')}`);
    out.push(`  messages received (${this.received.length}):`);
    for (const r of this.received) {
      const t = r.raw.length > 600 ? `${r.raw.slice(0, 600)}... (${r.raw.length} bytes)` : r.raw;
      out.push(`    ${r.consumed ? '✓' : '·'} ${t}`);
    }
    const err = this.stderr.trim();
    if (err) {
      out.push('  server stderr (tail):');
      for (const l of err.split('\n').slice(-15)) out.push(`    ${l}`);
    }
    return out.join('\n');
  }
}

async function runOne(file, bins) {
  const name = path.relative(here, file).startsWith('..') ? file : path.relative(here, file);
  let steps;
  try {
    steps = parseTranscript(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    return { ok: false, text: `FAIL ${name}: ${e.message}`, assertions: 0 };
  }
  const s = new Session(name, bins);
  try {
    await s.run(steps);
    return { ok: true, text: `ok   ${name} (${s.assertions} assertions)`, assertions: s.assertions };
  } catch (e) {
    if (e instanceof Failure) return { ok: false, text: s.report(e), assertions: s.assertions };
    return { ok: false, text: `FAIL ${name}: ${e.stack}`, assertions: s.assertions };
  } finally {
    s.kill();
    s.cleanup();
  }
}

async function main() {
  const [serverArg, testArg, ...only] = process.argv.slice(2);
  if (!serverArg || !testArg) {
    console.error('usage: node run.mjs SERVER_BIN TEST_SERVER_BIN [TRANSCRIPT...]');
    process.exit(2);
  }
  const bins = { server: path.resolve(serverArg), test: path.resolve(testArg) };
  for (const b of Object.values(bins)) {
    try {
      fs.accessSync(b, fs.constants.X_OK);
    } catch {
      console.log(`skip: ${b} is missing or not executable`);
      process.exit(77);
    }
  }
  let files = fs.readdirSync(here).filter((f) => f.endsWith('.txt')).sort().map((f) => path.join(here, f));
  if (only.length) {
    // NAME (of a transcript here, ".txt" optional) or a path to a .txt file
    // (relative to this directory or the current one), e.g. pending/x.txt
    files = only.map((o) => {
      const candidates = [o, `${o}.txt`].flatMap((n) => [path.join(here, n), path.resolve(n)]);
      const hit = candidates.find((c) => c.endsWith('.txt') && fs.existsSync(c) && fs.statSync(c).isFile());
      if (!hit) {
        console.error(`no transcript named ${o}`);
        process.exit(2);
      }
      return hit;
    });
  }
  const results = new Array(files.length);
  let next = 0;
  let printed = 0;
  const flush = () => {
    while (printed < files.length && results[printed]) console.log(results[printed++].text);
  };
  const worker = async () => {
    while (next < files.length) {
      const i = next++;
      results[i] = await runOne(files[i], bins);
      flush();
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  flush();
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  const assertions = results.reduce((n, r) => n + r.assertions, 0);
  console.log(`${assertions} assertions checked`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.error(e.stack);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
