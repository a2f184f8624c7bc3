import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config.js';
import type { Content } from '../../src/content/content.types.js';
import type { Project } from '../../src/projects/projects.types.js';

// A small project and the learner API it checks, for the server-side tests of runs (queue, API,
// evidence, pages). H5's real projects and their reference fixtures are tested in their own suites.

const test = (name: string, expression: string) => ({
  listen: 'test',
  script: {
    type: 'text/javascript',
    exec: [`pm.test(${JSON.stringify(name)}, function () { ${expression} });`],
  },
});

export const FIXTURE_COLLECTION = {
  info: {
    name: 'Fixture project checks',
    schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json',
  },
  item: [
    {
      name: 'GET /health answers 200 with JSON',
      request: { method: 'GET', url: '{{baseUrl}}/health' },
      event: [
        test(
          'status is 200',
          'pm.response.to.have.status(200); pm.expect(pm.response.json().status).to.eql("ok");',
        ),
      ],
    },
    {
      name: 'GET /items/1 returns the item',
      request: {
        method: 'GET',
        url: '{{baseUrl}}/items/1',
        header: [{ key: 'Authorization', value: 'Bearer secret-token-123' }],
      },
      event: [test('status is 200', 'pm.response.to.have.status(200);')],
    },
    {
      name: 'GET /items/999 is a JSON 404',
      request: { method: 'GET', url: '{{baseUrl}}/items/999' },
      event: [test('status is 404', 'pm.response.to.have.status(404);')],
    },
  ],
};

export function fixtureProject(overrides: Partial<Project> = {}): Project {
  const collectionJson = JSON.stringify(FIXTURE_COLLECTION, null, 2);
  return {
    id: 'fixture-json-service',
    roadmapId: 'backend',
    title: 'A first JSON service (fixture)',
    step: 'api-development',
    difficulty: 'beginner',
    estimateHours: 2,
    topics: ['rest-principles', 'building-apis'],
    summary: 'A health endpoint and one resource.',
    briefMarkdown: '# Build it\n\nServe `GET /health` with **JSON**.\n\n<script>alert(1)</script>',
    hints: ['Send `content-type: application/json`.'],
    proves: ['You can serve JSON with the right status codes.'],
    capstone: false,
    collection: FIXTURE_COLLECTION,
    collectionJson,
    collectionHash: createHash('sha256').update(collectionJson).digest('hex'),
    checkCount: FIXTURE_COLLECTION.item.length,
    ...overrides,
  };
}

/** The real content with `projects` replaced by the given ones (topics that exist are kept). */
export function contentWithProjects(content: Content, projects: Project[]): Content {
  const topics = projects.map((p) => ({ ...p, topics: p.topics.filter((t) => content.topics.has(t)) }));
  const fallback = [...content.topics.keys()].slice(0, 2);
  const fixed = topics.map((p) => (p.topics.length > 0 ? p : { ...p, topics: fallback }));
  return { ...content, projects: new Map(fixed.map((p) => [p.id, p])) };
}

export interface FixtureApi {
  url: string;
  /** Requests received, by path. */
  hits: string[];
  /** `broken`: /items/1 answers 500; `slowMs`: every answer waits this long; `hold`: answers wait for release(). */
  mode: { broken: boolean; slowMs: number; hold: boolean };
  /** Answers every held request and stops holding. */
  release(): void;
  close(): Promise<void>;
}

/** The learner's API the fixture project checks, on 127.0.0.1. */
export async function startFixtureApi(): Promise<FixtureApi> {
  const hits: string[] = [];
  const mode = { broken: false, slowMs: 0, hold: false };
  const held: Array<() => void> = [];
  const server = http.createServer((request, response) => {
    hits.push(request.url ?? '');
    const answer = () => {
      const json = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      };
      if (request.url === '/health') return json(200, { status: 'ok' });
      if (request.url === '/items/1')
        return mode.broken
          ? json(500, { error: 'oops' })
          : json(200, { id: 1, token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl' });
      return json(404, { title: 'Not found' });
    };
    if (mode.hold) held.push(answer);
    else if (mode.slowMs > 0) setTimeout(answer, mode.slowMs);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    mode,
    release() {
      mode.hold = false;
      for (const answer of held.splice(0)) answer();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Test configuration: private targets refused, except the fixture's exact address. */
export function checksConfig(overrides: Partial<ReturnType<typeof loadConfig>['checks']> = {}) {
  return {
    ...loadConfig({}).checks,
    allowPrivate: false,
    allowAddresses: ['127.0.0.1'],
    runsPerMinute: 3,
    concurrency: 2,
    ...overrides,
  };
}
