import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, createTestApp, dialects, json, type TestApp } from '../helpers.js';

// Route schemas compile on first use (src/http/lazy-schemas.ts), so starting the app no longer
// proves they all compile; this does. It also checks that a schema first compiled by a request
// validates and shapes responses exactly as an up-front compilation did.

const sqlite = (await dialects()).find((d) => d.name === 'sqlite')!;

describe('route schemas compiled on first use', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(sqlite);
  });
  after(async () => t?.close());

  it('the first request of a route validates with field-level problems and answers through its response schema', async () => {
    const c = new Client(t.app);
    const bad = await c.put('/api/v1/topics/dns/progress', { status: 'finished', extra: 1 });
    assert.equal(bad.statusCode, 400);
    const problem = json<{ errors?: { pointer: string; message: string }[] }>(bad);
    const pointers = (problem.errors ?? []).map((e) => e.pointer);
    assert.ok(pointers.includes('/body/status'), JSON.stringify(problem));
    assert.ok(pointers.includes('/body/extra'), JSON.stringify(problem));
    const good = await c.put('/api/v1/topics/dns/progress', { status: 'learning' });
    assert.equal(good.statusCode, 200);
    assert.equal(json<{ status: string }>(good).status, 'learning');
  });

  it('every schema of every route compiles', () => {
    const compiled = t.app.compileSchemas();
    assert.ok(compiled > 100, `only ${compiled} schemas were waiting to compile`);
    assert.equal(t.app.compileSchemas(), 0, 'a second pass finds nothing left to compile');
  });
});
