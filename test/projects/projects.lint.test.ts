import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runLint } from '../../src/cli/lint.js';

// `waymark lint` on projects: a copy of the real content, broken the ways a writer breaks it, must
// name each mistake at its file:line.

let dir: string;
let lines: string[];
let code: number;

const projectFile = (name: string): string => relative(process.cwd(), join(dir, 'backend/projects', name));

async function edit(name: string, from: string, to: string): Promise<void> {
  const file = join(dir, 'backend/projects', name);
  const text = await readFile(file, 'utf8');
  assert.ok(text.includes(from), `${name} should contain ${from}`);
  await writeFile(file, text.replace(from, to));
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'waymark-projects-'));
  await cp('roadmaps', dir, { recursive: true });
  await edit('first-json-service.md', 'topics: [http-basics,', 'topics: [http-basic,');
  await edit('first-json-service.md', 'step: foundations', 'step: foundation');
  await edit('first-json-service.md', 'estimate_hours: 4\n', '');
  await edit(
    'first-json-service.postman_collection.json',
    '"{{baseUrl}}/health"',
    '"http://localhost:3000/health"',
  );
  await edit(
    'first-json-service.postman_collection.json',
    "pm.test('status is 405', () => pm.response.to.have.status(405));",
    'pm.expect(pm.response.code).to.equal(405); // no pm.test',
  );
  await edit('first-json-service.postman_collection.json', "pm.test('Allow header lists GET', () => {", '{');
  await edit(
    'first-json-service.postman_collection.json',
    "pm.test('body is a JSON problem with status 405', () => {",
    '{',
  );
  await edit(
    'first-json-service.postman_collection.json',
    '"name": "Echo refuses a body that is not JSON with 415"',
    '"name": "Echo returns the JSON it was sent"',
  );
  await edit(
    'first-json-service.postman_collection.json',
    '"followRedirects": false',
    '"followRedirects": true',
  );
  await edit('crud-resource.md', 'hints:', 'required_checks: ["Creating a book answers 201"]\nhints:');
  await writeFile(join(dir, 'backend/projects/half-written.md'), '---\nid: half-written\n---\nTo do.\n');
  await writeFile(join(dir, 'backend/projects/orphan.postman_collection.json'), '{}');
  const collection = JSON.parse(
    await readFile(join(dir, 'backend/projects/first-json-service.postman_collection.json'), 'utf8'),
  ) as { info: { schema: string } };
  collection.info.schema = 'https://schema.getpostman.com/json/collection/v2.0.0/collection.json';
  await cp(join(dir, 'backend/projects/first-json-service.md'), join(dir, 'backend/projects/old-format.md'));
  await edit('old-format.md', 'id: first-json-service', 'id: old-format');
  await writeFile(
    join(dir, 'backend/projects/old-format.postman_collection.json'),
    JSON.stringify(collection, null, 2),
  );
  await cp(join(dir, 'backend/projects/old-format.md'), join(dir, 'backend/projects/bad-json.md'));
  await edit('bad-json.md', 'id: old-format', 'id: bad-json');
  await writeFile(
    join(dir, 'backend/projects/bad-json.postman_collection.json'),
    '{\n  "info": {\n    "name": "x",\n  }\n}\n',
  );
  lines = [];
  code = await runLint(dir, (line) => lines.push(line));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('waymark lint on projects', () => {
  const expect = (line: string): void =>
    assert.ok(lines.includes(line), `missing:\n${line}\nin:\n${lines.join('\n')}`);

  it('exits 1 and reports front-matter mistakes at their line', () => {
    assert.equal(code, 1);
    const md = projectFile('first-json-service.md');
    expect(`${md}:2: error: missing field "estimate_hours" (number)`);
    expect(
      `${md}:4: error: unknown step "foundation"; the backend roadmap has: foundations, advanced-concepts, api-development, troubleshooting, cloud-deployment, advanced-topics`,
    );
    expect(`${md}:6: error: unknown topic "http-basic"; did you mean "http-basics"?`);
  });

  it('reports a request aimed elsewhere than {{baseUrl}} and a request without a test', () => {
    const json = projectFile('first-json-service.postman_collection.json');
    expect(
      `${json}:10: error: request "Health endpoint answers 200 with JSON" must start its URL with {{baseUrl}}, got "http://localhost:3000/health"`,
    );
    expect(
      `${json}:62: error: request "Wrong method answers 405 with Allow" has no test: add a "test" script with at least one pm.test(…)`,
    );
  });

  it('reports duplicate check names, unknown required checks and a collection that follows redirects', () => {
    const json = projectFile('first-json-service.postman_collection.json');
    expect(
      `${json}:128: error: two requests are named "Echo returns the JSON it was sent" (also line 89); check names must be unique`,
    );
    expect(
      `${json}:1: warning: set "protocolProfileBehavior": {"followRedirects": false} so Postman and newman check redirects as Waymark does instead of following them`,
    );
    expect(
      `${projectFile('crud-resource.md')}:8: error: required check "Creating a book answers 201" is not the name of a request in ${projectFile('crud-resource.postman_collection.json')}`,
    );
  });

  it('reports a missing collection, stray checks, unreadable JSON and an older collection format', () => {
    const half = projectFile('half-written.md');
    expect(`${half}:1: error: missing checks: add half-written.postman_collection.json next to this brief`);
    const orphan = projectFile('orphan.postman_collection.json');
    expect(`${orphan}:1: error: checks without a project: there is no orphan.md next to this file`);
    const broken = lines.find((line) =>
      line.startsWith(`${projectFile('bad-json.postman_collection.json')}:`),
    );
    assert.match(broken ?? '', /:4: error: the collection is not valid JSON: /);
    expect(
      `${projectFile('old-format.postman_collection.json')}:6: error: "info.schema" must be https://schema.getpostman.com/json/collection/v2.1.0/collection.json (Postman Collection v2.1)`,
    );
  });
});
