#!/usr/bin/env node
// A minimal MCP server for inspector.mjs's self-check: one tool whose
// outputSchema uses a type list, which the Inspector's --strict mode must
// report as one portability warning. It proves that the check would see a
// warning from the real server too (the Inspector prints nothing when all is
// well).

import readline from 'node:readline';

const tool = {
  name: 'stub',
  description: 'Self-check of the Inspector test.',
  inputSchema: { type: 'object', properties: {} },
  outputSchema: { type: 'object', properties: { when: { type: ['string', 'null'] } } },
};

const send = (msg) => process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', ...msg })}\n`);
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  let msg;
  try {
    msg = JSON.parse(line);
  } catch {
    return;
  }
  if (msg.id === undefined) return; // notifications
  if (msg.method === 'initialize') {
    send({ id: msg.id, result: { protocolVersion: msg.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'stub', version: '0.0.0' } } });
  } else if (msg.method === 'tools/list') {
    send({ id: msg.id, result: { tools: [tool] } });
  } else if (msg.method === 'ping') {
    send({ id: msg.id, result: {} });
  } else {
    send({ id: msg.id, error: { code: -32601, message: 'Method not found' } });
  }
});
