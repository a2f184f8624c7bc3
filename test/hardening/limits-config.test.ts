import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { get, type IncomingMessage } from 'node:http';
import { ConfigError, loadConfig } from '../../src/config.js';
import { Client, createTestApp, dialects, json, type TestApp } from '../helpers.js';

const [sqlite] = await dialects();

describe('origins without WAYMARK_PUBLIC_URL', () => {
  it('refuses to start on a non-loopback interface without WAYMARK_PUBLIC_URL, naming it', () => {
    assert.throws(
      () => loadConfig({ HOST: '0.0.0.0' }),
      (error: unknown) => error instanceof ConfigError && /WAYMARK_PUBLIC_URL/.test(error.message),
    );
    assert.equal(loadConfig({ HOST: '0.0.0.0', WAYMARK_PUBLIC_URL: 'https://w.example' }).host, '0.0.0.0');
    assert.equal(loadConfig({ HOST: '127.0.0.1' }).publicOrigins.length, 0);
  });

  let t: TestApp;
  before(async () => {
    t = await createTestApp(sqlite!);
  });
  after(async () => t?.close());

  it('refuses a DNS-rebinding page whose Host and Origin both name the attacker', async () => {
    const rebinding = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      headers: {
        host: 'rebind.attacker.example:3000',
        origin: 'http://rebind.attacker.example:3000',
        'content-type': 'application/json',
      },
      payload: JSON.stringify({ email: 'rebind@example.org', password: 'correct horse battery' }),
    });
    assert.equal(rebinding.statusCode, 403);
    assert.equal(json(rebinding).code, 'origin_mismatch');
    for (const origin of ['http://localhost:3000', 'http://127.0.0.1:3000']) {
      const ok = await new Client(t.app, origin).signup(
        `ok-${origin.includes('127') ? 'ip' : 'name'}@example.org`,
      );
      assert.equal(ok.statusCode, 201, origin);
    }
    const otherPort = await new Client(t.app, 'http://localhost:8080').signup('port@example.org');
    assert.equal(otherPort.statusCode, 403);
  });

  it('bounds how long a request may take to arrive', () => {
    assert.ok(t.app.server.requestTimeout > 0 && t.app.server.requestTimeout <= 120_000);
    assert.ok(t.app.server.headersTimeout > 0 && t.app.server.headersTimeout <= 60_000);
    assert.ok(t.app.server.keepAliveTimeout > 0 && t.app.server.keepAliveTimeout <= 75_000);
  });
});

describe('event streams per user', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(sqlite!, { config: { maxEventStreamsPerUser: 3 } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  after(async () => t?.close());

  it('answers 429 with a clear problem beyond the cap, and frees a slot when a stream closes', async () => {
    const user = new Client(t.app, `http://localhost:${(t.app.server.address() as { port: number }).port}`);
    assert.equal((await user.signup('streams@example.org')).statusCode, 201);
    const port = (t.app.server.address() as { port: number }).port;
    const open = (): Promise<IncomingMessage> =>
      new Promise((resolve, reject) => {
        get(
          {
            port,
            host: '127.0.0.1',
            path: '/api/v1/events',
            headers: { cookie: `waymark_session=${user.cookie}` },
          },
          resolve,
        ).on('error', reject);
      });
    const streams = [await open(), await open(), await open()];
    for (const s of streams) assert.equal(s.statusCode, 200);
    const refused = await open();
    assert.equal(refused.statusCode, 429);
    assert.match(String(refused.headers['content-type']), /application\/problem\+json/);
    let body = '';
    for await (const chunk of refused) body += chunk;
    assert.equal(JSON.parse(body).code, 'too_many_streams');
    streams[0]!.destroy();
    let again: IncomingMessage | null = null;
    for (let i = 0; i < 50 && again?.statusCode !== 200; i++) {
      again?.destroy();
      await new Promise((r) => setTimeout(r, 20));
      again = await open();
    }
    assert.equal(again?.statusCode, 200);
    again?.destroy();
    for (const s of streams) s.destroy();
  });
});
