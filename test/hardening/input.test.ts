import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { Client, createTestApp, dialects, json, ORIGIN, type TestApp } from '../helpers.js';
import { FormBrowser } from '../web/web-helpers.js';

/** Sends raw bytes to a listening server and returns the whole answer (head and body). */
function rawRequest(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk) => (answer += chunk));
    socket.on('end', () => resolve(answer));
    socket.on('close', () => resolve(answer));
    socket.on('error', (error) => (answer ? resolve(answer) : reject(error)));
    socket.write(bytes);
  });
}

function parseRaw(answer: string): { status: number; headers: Record<string, string>; body: string } {
  const [head = '', ...rest] = answer.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const at = line.indexOf(':');
    headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') };
}

for (const dialect of await dialects()) {
  describe(`bad input is refused at the edge (${dialect.name})`, { skip: dialect.skip ?? false }, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(async () => t?.close());

    it('answers 400 naming the field for a NUL character, even on the login form', async () => {
      const login = await new Client(t.app).login('nul\u0000@example.org', 'whatever password');
      assert.equal(login.statusCode, 400);
      const problem = json<{ code: string; detail: string; errors: { pointer: string }[] }>(login);
      assert.equal(problem.code, 'invalid_characters');
      assert.equal(problem.errors[0]?.pointer, '/body/email');
      assert.match(problem.detail, /NUL/);

      const user = new Client(t.app);
      await user.signup('nul@example.org');
      const note = await user.put('/api/v1/topics/dns/note', { note: 'before\u0000after' });
      assert.equal(note.statusCode, 400);
      assert.equal(json(note).code, 'invalid_characters');
      const query = await user.get('/api/v1/topics/dns%00');
      assert.equal(query.statusCode, 400);

      const form = await new FormBrowser(t.app).post('/login', {
        email: 'a\u0000@example.org',
        password: 'x',
      });
      assert.equal(form.statusCode, 400);
    });

    it('refuses lone surrogates, which PostgreSQL text cannot hold', async () => {
      const user = new Client(t.app);
      await user.signup('surrogate@example.org');
      const res = await t.app.inject({
        method: 'PUT',
        url: '/api/v1/topics/dns/note',
        headers: {
          host: new URL(ORIGIN).host,
          origin: ORIGIN,
          cookie: `waymark_session=${user.cookie}`,
          'content-type': 'application/json',
        },
        payload: '{"note":"half \\ud800 a pair"}',
      });
      assert.equal(res.statusCode, 400);
      assert.equal(json<{ errors: { pointer: string }[] }>(res).errors[0]?.pointer, '/body/note');
    });

    it('explains which field of an import holds a NUL, and imports nothing', async () => {
      const user = new Client(t.app);
      await user.signup('import-nul@example.org');
      await user.put('/api/v1/topics/dns/note', { note: 'clean note' });
      const exported = json<Record<string, unknown>>(await user.get('/api/v1/me/export'));
      const text = JSON.stringify(exported).replace('clean note', 'dirty\\u0000note');
      const res = await user.request('POST', '/api/v1/me/import', undefined, {
        'content-type': 'application/json',
      });
      assert.equal(res.statusCode, 400); // empty body
      const imported = await t.app.inject({
        method: 'POST',
        url: '/api/v1/me/import',
        headers: {
          host: new URL(ORIGIN).host,
          origin: ORIGIN,
          cookie: `waymark_session=${user.cookie}`,
          'content-type': 'application/json',
        },
        payload: text,
      });
      assert.equal(imported.statusCode, 400);
      const problem = json<{ errors: { pointer: string }[] }>(imported);
      assert.match(problem.errors[0]?.pointer ?? '', /^\/body\/progress\/topics\/\d+\/note$/);
      const after = json<{ progress: { note: string } }>(await user.get('/api/v1/topics/dns'));
      assert.equal(after.progress.note, 'clean note');
    });
  });
}

const [sqlite] = await dialects();

describe('redirect targets, framework errors and caching', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(sqlite!);
  });
  after(async () => t?.close());

  it('never answers 5xx for a return target with characters outside ASCII, and keeps the session', async () => {
    for (const target of ['/roadmaps/backend\u0100', '/x\u007f', '/é', '/ok?q=\u2603']) {
      const browser = new FormBrowser(t.app);
      const signup = await browser.post('/signup', {
        email: `ret${Math.random().toString(36).slice(2)}@example.org`,
        password: 'correct horse battery',
        return: target,
      });
      assert.equal(signup.statusCode, 303, `signup with return ${JSON.stringify(target)}`);
      assert.ok(browser.cookies.has('waymark_session'), 'the new account is signed in');
      const location = String(signup.headers.location);
      assert.ok(location.startsWith('/'), location);
      for (const path of ['/preferences/theme', '/roadmaps/backend/topics/dns/status']) {
        const res = await browser.post(path, { theme: 'light', status: 'done', return: target });
        assert.equal(res.statusCode, 303, `${path} with return ${JSON.stringify(target)}`);
      }
      const login = await new FormBrowser(t.app).post('/login', {
        email: 'nobody@example.org',
        password: 'wrong password',
        return: target,
      });
      assert.ok(login.statusCode < 500);
    }
  });

  it('answers framework-level errors as problem+json with the security headers', async () => {
    const badUrl = await t.app.inject({ method: 'GET', url: '/api/v1/topics/%zz/progress' });
    assert.equal(badUrl.statusCode, 400);
    assert.match(String(badUrl.headers['content-type']), /application\/problem\+json/);
    assert.equal(badUrl.headers['x-content-type-options'], 'nosniff');
    assert.ok(badUrl.headers['content-security-policy']);

    const long = await t.app.inject({ method: 'GET', url: `/api/v1/topics/${'a'.repeat(300)}/progress` });
    assert.ok(long.statusCode === 414 || long.statusCode === 404, String(long.statusCode));
    assert.match(String(long.headers['content-type']), /application\/problem\+json/);
    assert.equal(long.headers['x-content-type-options'], 'nosniff');
  });

  it('says that __proto__ is refused instead of calling the JSON invalid', async () => {
    const user = new Client(t.app);
    await user.signup('proto@example.org');
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/topics/dns/note',
      headers: {
        host: new URL(ORIGIN).host,
        origin: ORIGIN,
        cookie: `waymark_session=${user.cookie}`,
        'content-type': 'application/json',
      },
      payload: '{"note":"x","__proto__":{"admin":true}}',
    });
    assert.equal(res.statusCode, 400);
    const problem = json<{ code: string; detail: string }>(res);
    assert.equal(problem.code, 'forbidden_property');
    assert.match(problem.detail, /__proto__ is not allowed/);
    assert.doesNotMatch(problem.detail, /not valid JSON/);
  });

  it('marks private API responses no-store', async () => {
    const user = new Client(t.app);
    await user.signup('cache@example.org');
    for (const url of [
      '/api/v1/me',
      '/api/v1/topics/dns',
      '/api/v1/me/sessions',
      '/api/v1/me/tokens',
      '/api/v1/roadmaps/backend/progress',
    ]) {
      const res = await user.get(url);
      assert.ok(res.statusCode < 400, `${url} → ${res.statusCode}`);
      assert.equal(res.headers['cache-control'], 'no-store', url);
    }
    const unauthenticated = await new Client(t.app).get('/api/v1/me');
    assert.equal(unauthenticated.headers['cache-control'], 'no-store');
  });
  // Last: once listening, the allowed origins follow the real port.
  it("answers Node's own 400 and 431 as problem+json with the security headers", async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (t.app.server.address() as { port: number }).port;
    const garbage = parseRaw(await rawRequest(port, 'GARBAGE\r\n\r\n'));
    assert.equal(garbage.status, 400);
    assert.match(garbage.headers['content-type'] ?? '', /application\/problem\+json/);
    assert.equal(garbage.headers['x-content-type-options'], 'nosniff');
    assert.equal(JSON.parse(garbage.body).code, 'bad_request');

    const huge = parseRaw(
      await rawRequest(port, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(40_000)}\r\n\r\n`),
    );
    assert.equal(huge.status, 431);
    assert.match(huge.headers['content-type'] ?? '', /application\/problem\+json/);
    assert.equal(huge.headers['x-frame-options'], 'DENY');
    assert.equal(JSON.parse(huge.body).code, 'headers_too_large');
  });
});
