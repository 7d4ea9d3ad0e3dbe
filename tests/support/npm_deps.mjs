// The pinned npm dependencies of a node test (tests/e2e, tests/inspector):
// installed with `npm ci` from the committed lockfile when node_modules does
// not hold the versions package.json names. A test without them skips (exit
// 77) when npm is missing or the registry cannot be reached, and fails on
// any other install error. scripts/install-deps --test installs them ahead.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export function skip(message) {
  console.log(`skip: ${message}`);
  process.exit(77);
}

function installedVersion(dir, pkg) {
  try {
    const file = path.join(dir, 'node_modules', ...pkg.split('/'), 'package.json');
    return JSON.parse(fs.readFileSync(file, 'utf8')).version;
  } catch {
    return null;
  }
}

// dir holds package.json and package-lock.json; what names the dependencies
// in messages ("the MCP SDK").
export function ensureDependencies(dir, what) {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const wanted = manifest.dependencies ?? {};
  const missing = Object.entries(wanted).filter(([name, version]) => installedVersion(dir, name) !== version);
  if (missing.length === 0) return;
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const res = spawnSync(npm, ['ci', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (res.error) {
    if (res.error.code === 'ENOENT') skip(`npm is not installed, cannot install ${what}`);
    console.error(`npm ci failed: ${res.error.message}`);
    process.exit(1);
  }
  if (res.status !== 0) {
    const out = `${res.stdout}\n${res.stderr}`;
    if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|network|offline|fetch failed/i.test(out)) {
      skip(`npm ci could not reach the registry (no network?); ${what} is not installed\n${out.trim().split('\n').slice(-5).join('\n')}`);
    }
    console.error(`npm ci failed (exit ${res.status}):\n${out.trim()}`);
    process.exit(1);
  }
}
