import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import * as firstJsonService from '../fixtures/projects/first-json-service.js';

// `waymark check` from a terminal: a readable report and an exit code a learner's CI can use.

const run = promisify(execFile);

async function waymark(
  args: string[],
  cwd?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [resolve('bin/waymark.js'), ...args], {
      env: { ...process.env, LOG_LEVEL: 'silent' },
      ...(cwd ? { cwd } : {}),
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('waymark check', () => {
  it('exits 0 and says PASSED when every check passes against a local API', async () => {
    const server = await firstJsonService.start();
    try {
      // From another folder, as in a learner's own CI: the projects shipped with Waymark are used.
      const { code, stdout } = await waymark(['check', 'first-json-service', '--url', server.url], tmpdir());
      assert.equal(code, 0, stdout);
      assert.match(stdout, /^A first JSON service — 6 checks against http:\/\/127\.0\.0\.1:\d+$/m);
      assert.match(
        stdout,
        /^✔ Health endpoint answers 200 with JSON {2}\(GET http:\/\/127\.0\.0\.1:\d+\/health → 200, \d+ ms\)$/m,
      );
      assert.match(stdout, /^PASSED — 6\/6 checks passed in [\d.]+ s$/m);
    } finally {
      await server.close();
    }
  });

  it('exits 1 and names the failed check and assertion when a rule is broken', async () => {
    const server = await firstJsonService.start('no-allow-header');
    try {
      const { code, stdout } = await waymark(['check', 'first-json-service', '--url', server.url]);
      assert.equal(code, 1);
      assert.match(stdout, /^✘ Wrong method answers 405 with Allow/m);
      assert.match(stdout, /^ {4}✘ Allow header lists GET: expected/m);
      assert.match(stdout, /^FAILED — 5\/6 checks passed/m);
    } finally {
      await server.close();
    }
  });

  it('exits 2 for an unknown project and lists the real ones', async () => {
    const { code, stdout } = await waymark(['check', 'no-such-project', '--url', 'http://127.0.0.1:9']);
    assert.equal(code, 2);
    assert.match(stdout, /there is no project "no-such-project"\. Projects: .*first-json-service/);
  });
});
