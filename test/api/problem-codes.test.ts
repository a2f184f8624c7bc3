import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, createTestApp, dialects, json, type TestApp } from '../helpers.js';
import { PROBLEM_CODES } from '../../src/http/problems.js';

// The closed error vocabulary (issue 9): every problem `code` comes from PROBLEM_CODES in
// src/http/problems.ts, the OpenAPI document publishes exactly that list, and every operation
// declares its 2xx response schema and its 4xx problems.

const listed = new Set(Object.keys(PROBLEM_CODES));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'client' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** Every code literal handed to a problem: `problems.conflict('x', …)`, `new Problem(409, 'x', …)`. */
function codesInSources(): Map<string, string> {
  const found = new Map<string, string>();
  const patterns = [
    /problems\.(?:badRequest|forbidden|conflict|unprocessable)\(\s*['"`]([^'"`]+)['"`]/g,
    /new Problem\(\s*[^,]+,\s*['"`]([^'"`]+)['"`]/g,
  ];
  for (const file of sourceFiles('src')) {
    const text = readFileSync(file, 'utf8');
    for (const pattern of patterns) for (const match of text.matchAll(pattern)) found.set(match[1]!, file);
  }
  return found;
}

interface Operation {
  operationId?: string;
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

const [sqlite] = await dialects();

describe('the closed list of problem codes', () => {
  let t: TestApp;
  let doc: {
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Record<string, { properties: Record<string, { enum?: string[] }> }> };
  };
  before(async () => {
    t = await createTestApp(sqlite!);
    doc = json(await t.app.inject('/api/v1/openapi.json'));
  });
  after(async () => t?.close());

  it('every code a source file hands to a problem is in PROBLEM_CODES, and every listed code is used', () => {
    const found = codesInSources();
    assert.ok(found.size >= 20, `found ${found.size} codes; the source scan is broken`);
    const unlisted = [...found].filter(([code]) => !listed.has(code));
    assert.deepEqual(unlisted, [], 'codes missing from PROBLEM_CODES in src/http/problems.ts');
    const problemsFile = readFileSync('src/http/problems.ts', 'utf8');
    const allSources = sourceFiles('src')
      .filter((f) => !f.endsWith(join('http', 'problems.ts')))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const factoryBody = problemsFile.slice(problemsFile.indexOf('export const problems'));
    const unused = [...listed].filter(
      (code) => !found.has(code) && !factoryBody.includes(`'${code}'`) && !allSources.includes(`'${code}'`),
    );
    assert.deepEqual(unused, [], 'codes listed but never sent');
  });

  it('the OpenAPI document publishes exactly that list as the Problem code enum', () => {
    const code = doc.components.schemas.Problem!.properties.code!;
    assert.deepEqual([...(code.enum ?? [])].sort(), [...listed].sort());
  });

  it('every operation has an operationId, a 2xx response with a schema, and 4xx problem responses', () => {
    const faults: string[] = [];
    const ids = new Set<string>();
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const name = `${method.toUpperCase()} ${path}`;
        if (!operation.operationId) faults.push(`${name}: no operationId`);
        else if (ids.has(operation.operationId)) faults.push(`${name}: duplicate ${operation.operationId}`);
        else ids.add(operation.operationId);
        const responses = Object.entries(operation.responses ?? {});
        const ok = responses.filter(([status]) => /^2/.test(status));
        if (ok.length === 0) faults.push(`${name}: no 2xx response`);
        for (const [status, response] of ok) {
          if (status === '204') continue;
          const schemas = Object.values(response.content ?? {}).filter((c) => c.schema !== undefined);
          if (schemas.length === 0) faults.push(`${name}: ${status} without a schema`);
        }
        const clientErrors = responses.filter(([status]) => /^4/.test(status));
        if (clientErrors.length === 0) faults.push(`${name}: no 4xx response`);
        for (const [status, response] of clientErrors) {
          const media = response.content?.['application/json'] ?? Object.values(response.content ?? {})[0];
          if (JSON.stringify(media?.schema) !== JSON.stringify({ $ref: '#/components/schemas/Problem' }))
            faults.push(`${name}: ${status} is not a Problem`);
        }
      }
    }
    assert.deepEqual(faults, []);
  });

  it('problems the API actually sends carry listed codes', async () => {
    const client = new Client(t.app);
    const responses = [
      await client.get('/api/v1/topics/no-such-topic'),
      await client.get('/api/v1/me'),
      await client.put('/api/v1/topics/dns/progress', { status: 'finished' }),
      await client.post('/api/v1/auth/login', { email: 'nobody@example.org', password: 'wrong password!' }),
      await t.app.inject({ method: 'GET', url: '/api/v1/roadmaps/%zz' }),
    ];
    for (const response of responses) {
      assert.ok(response.statusCode >= 400 && response.statusCode < 500, response.body);
      const { code } = json<{ code: string }>(response);
      assert.ok(listed.has(code), `${code} is not in PROBLEM_CODES`);
    }
  });
});
