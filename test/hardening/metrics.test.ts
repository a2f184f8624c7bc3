import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, dialects, json, type TestApp } from '../helpers.js';

const [sqlite] = await dialects();
const SECRET = 'metrics-secret-0123456789';

describe('/metrics protection', () => {
  let open: TestApp;
  let guarded: TestApp;
  before(async () => {
    open = await createTestApp(sqlite!);
    guarded = await createTestApp(sqlite!, { config: { metricsToken: SECRET } });
  });
  after(async () => {
    await open?.close();
    await guarded?.close();
  });

  it('without a token, serves metrics to this machine only', async () => {
    const local = await open.app.inject({ url: '/metrics', remoteAddress: '127.0.0.1' });
    assert.equal(local.statusCode, 200);
    assert.match(local.body, /waymark_http_requests_total/);
    const remote = await open.app.inject({ url: '/metrics', remoteAddress: '203.0.113.9' });
    assert.equal(remote.statusCode, 401);
    assert.match(String(remote.headers['content-type']), /problem\+json/);
    assert.match(json<{ detail: string }>(remote).detail, /WAYMARK_METRICS_TOKEN/);
    assert.doesNotMatch(remote.body, /waymark_http/);
  });

  it('with WAYMARK_METRICS_TOKEN, wants that bearer secret from everyone', async () => {
    const none = await guarded.app.inject({ url: '/metrics' });
    assert.equal(none.statusCode, 401);
    const wrong = await guarded.app.inject({
      url: '/metrics',
      headers: { authorization: 'Bearer not-the-secret-at-all' },
    });
    assert.equal(wrong.statusCode, 401);
    const right = await guarded.app.inject({
      url: '/metrics',
      remoteAddress: '203.0.113.9',
      headers: { authorization: `Bearer ${SECRET}` },
    });
    assert.equal(right.statusCode, 200);
    assert.match(right.body, /waymark_http_requests_total/);
  });
});
