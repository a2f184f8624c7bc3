import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openDatabase } from '../../src/db/database.js';
import {
  keyFileFor,
  loadSigningKey,
  publicKeyDocument,
  signRecord,
  type VerificationRecord,
} from '../../src/projects/evidence.js';

// `waymark verify-record` checks a signed record offline with --key, or fetches the key from the
// server a share link points to; a changed record or another instance's key is refused (exit 1).

const run = promisify(execFile);

async function cli(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args]);
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

describe('waymark verify-record', () => {
  let dir: string;
  let server: http.Server;
  let origin = '';
  let signedText = '';
  let keyText = '';
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'waymark-verify-'));
    const databaseUrl = `sqlite:${join(dir, 'waymark.db')}`;
    const db = openDatabase(databaseUrl);
    const key = await loadSigningKey(db, databaseUrl, new Date().toISOString());
    // Kept with the data: the second load reads the same file.
    assert.equal((await loadSigningKey(db, databaseUrl, new Date().toISOString())).keyId, key.keyId);
    assert.equal(keyFileFor(databaseUrl), join(dir, 'verification-key.json'));
    await db.close();
    const record: VerificationRecord = {
      type: 'waymark-verification',
      version: 1,
      id: '7d7b8a4e-2f7e-4c36-9a39-6d7d3e0f9a10',
      project: { id: 'first-json-service', roadmapId: 'backend', title: 'A first JSON service' },
      collectionHash: 'a'.repeat(64),
      verifiedAt: '2026-03-02T09:00:00.000Z',
      results: { checks: 5, passed: 5, failed: 0, required: 5, durationMs: 812 },
      subject: 'b'.repeat(32),
      instance: 'https://waymark.example.org',
      keyId: key.keyId,
    };
    signedText = JSON.stringify(signRecord(record, key));
    keyText = JSON.stringify(publicKeyDocument(key));
    writeFileSync(join(dir, 'record.json'), signedText);
    writeFileSync(join(dir, 'key.json'), keyText);
    writeFileSync(join(dir, 'key.pem'), publicKeyDocument(key).publicKey);
    const tampered = JSON.parse(signedText) as { record: VerificationRecord };
    tampered.record.results.passed = 6;
    writeFileSync(join(dir, 'tampered.json'), JSON.stringify(tampered));
    server = http.createServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      if (request.url === '/api/v1/verifications/shared/wv_token') return response.end(signedText);
      if (request.url === '/.well-known/waymark-verification-key') return response.end(keyText);
      response.statusCode = 404;
      response.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('accepts a record with the key given as JSON or PEM, offline', async () => {
    for (const key of ['key.json', 'key.pem']) {
      const result = await cli('verify-record', join(dir, 'record.json'), '--key', join(dir, key));
      assert.equal(result.code, 0, result.out);
      assert.match(result.out, /valid: "A first JSON service" \(first-json-service\) verified at 2026-03-02/);
      assert.match(result.out, /5\/5 passed/);
    }
  });

  it('refuses a changed record', async () => {
    const result = await cli('verify-record', join(dir, 'tampered.json'), '--key', join(dir, 'key.json'));
    assert.equal(result.code, 1);
    assert.match(result.out, /INVALID: the signature does not match the record/);
  });

  it('follows a share link and fetches the key from the same server', async () => {
    const result = await cli('verify-record', `${origin}/v/wv_token`);
    assert.equal(result.code, 0, result.out);
    assert.match(result.out, /^valid:/m);
  });
});
