import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadValidContent } from '../../src/bootstrap.js';
import type { Content } from '../../src/content/content.types.js';
import { runChecks } from '../../src/projects/runner.js';
import type { RunOutcome } from '../../src/projects/runner.js';
import { FIXTURES } from '../fixtures/projects/index.js';

// Proof that each project's checks are right: the reference implementation passes every check, and
// each broken variant fails exactly the checks that test the rule it breaks (no more, no fewer).

/** Per project: for each flaw of its fixture, the names of the checks that must fail. */
const BROKEN: Record<string, Record<string, string[]>> = {
  'first-json-service': {
    'html-404': ['Unknown path answers 404 with a JSON problem'],
    'no-allow-header': ['Wrong method answers 405 with Allow'],
    'accepts-any-content-type': ['Echo refuses a body that is not JSON with 415'],
  },
  'crud-resource': {
    'no-location': ['Creating a book answers 201 with Location'],
    'accepts-missing-title': ['A book without a title is refused with a 400 problem'],
    'delete-answers-200': ['DELETE answers 204 with an empty body'],
  },
  'pagination-filtering': {
    'no-maximum-limit': ['A limit above 50 is refused with 400'],
    'ties-in-reverse': [
      'Sorting by price ascending breaks ties by id',
      'Sorting by price descending breaks ties by id',
    ],
    'ignores-category': ['The category filter returns only that category'],
  },
  'auth-service': {
    'logout-keeps-token': ['The token no longer works after log-out'],
    'leaks-password-hash': ['A protected route with the token answers 200 without the password'],
    'admin-answers-401': ['An admin route answers 403 to a signed-in learner'],
  },
  'http-caching': {
    'never-304': ['If-None-Match with the current ETag answers 304 with no body', 'The new ETag matches'],
    'etag-ignores-content': [
      'PUT with the current If-Match updates and changes the ETag',
      'The old ETag no longer matches after the update',
      'The new ETag matches',
    ],
    'no-cache-control': ['GET answers 200 with an ETag and Cache-Control'],
  },
  'rate-limiting': {
    'no-retry-after': ['The sixth request answers 429 with Retry-After'],
    'one-bucket-for-everyone': ['Another client is not limited'],
    'no-limit': [
      'Five requests within the limit answer 200 with the remaining count',
      'The sixth request answers 429 with Retry-After',
      'Another client is not limited',
      'The limited client stays limited',
    ],
  },
  'url-shortener': {
    'permanent-redirect': [
      'The short link redirects with 302 to the target',
      'A second visit redirects again',
    ],
    'no-click-count': ['The visit is counted', 'The count grows with each visit'],
    'accepts-any-url': ['A URL that is not http or https is refused with 400'],
  },
  'async-jobs': {
    'ignores-idempotency-key': [
      'The same Idempotency-Key returns the same job',
      'Reusing the key with a different body answers 422',
    ],
    'answers-synchronously': ['Submitting a job answers 202 with a status URL'],
    'never-finishes': ['The job finishes with the right result'],
  },
  'signed-webhooks': {
    'no-signature-check': [
      'A wrong signature is refused with 401',
      'A correctly signed event older than 5 minutes is refused with 401',
      'A refused event has no effect',
      'A missing signature is refused with 401',
      'A body changed after signing is refused with 401',
    ],
    'no-timestamp-check': ['A correctly signed event older than 5 minutes is refused with 401'],
    'accepts-replays': ['The same delivery sent again is refused with 409'],
  },
  observability: {
    'counter-never-grows': ['The request counter grows'],
    'metrics-as-json': ['Metrics are served in the Prometheus text format', 'The request counter grows'],
    'request-id-not-echoed': ['A request id sent by the client is echoed'],
  },
  'openapi-described': {
    'undocumented-404': ['An unknown todo answers 404 as documented'],
    'documents-a-missing-route': ['Every documented GET route without parameters answers as documented'],
    'swagger-2': ['The OpenAPI document is served as JSON'],
  },
  'related-resources': {
    'accepts-unknown-author': ['A book of an unknown author is refused with 422'],
    'deletes-author-with-books': [
      'An author who still has books cannot be deleted',
      'An author without books can be deleted',
    ],
    'no-embedded-author': ['A book embeds its author'],
    'unordered-books': ["The author's books are listed by title"],
  },
  'production-ready-service': {
    'no-compression': ['Large responses are compressed'],
    'advertises-version': ['No framework or server version is advertised'],
    'no-body-limit': ['An oversized body is refused with 413'],
  },
  'capstone-bookmarks-api': {
    'no-hsts': ['The API is served over HTTPS with HSTS', 'Unknown routes answer a 404 problem with HSTS'],
    'plain-http': ['The API is served over HTTPS with HSTS'],
    'logout-keeps-token': ['The token no longer works after log-out'],
    'no-etag': ['Reading a bookmark gives an ETag', 'An unchanged bookmark answers 304'],
  },
};

let content: Content;
before(async () => {
  content = await loadValidContent('roadmaps');
});

async function check(projectId: string, flaw?: string): Promise<RunOutcome> {
  const fixture = FIXTURES[projectId];
  assert.ok(fixture, `no fixture for ${projectId}`);
  const server = await fixture.start(flaw);
  try {
    const project = content.projects.get(projectId);
    assert.ok(project, `no project ${projectId}`);
    return await runChecks({
      collection: project.collection,
      baseUrl: server.url,
      insecureTls: fixture.tls === true,
    });
  } finally {
    await server.close();
  }
}

const failing = (run: RunOutcome): string[] => run.checks.filter((c) => !c.passed).map((c) => c.name);

describe('project checks', () => {
  it('every project has a reference implementation and at least two broken variants', () => {
    for (const id of content.projects.keys()) {
      assert.ok(FIXTURES[id], `${id} has no fixture in test/fixtures/projects/index.ts`);
      assert.ok(Object.keys(BROKEN[id] ?? {}).length >= 2, `${id} needs at least two broken variants`);
      assert.deepEqual(Object.keys(BROKEN[id] ?? {}).sort(), [...(FIXTURES[id]?.FLAWS ?? [])].sort());
    }
  });

  it('keeps no password or token in the evidence of a real run', async () => {
    const run = await check('auth-service');
    const evidence = run.checks.map((c) => `${c.requestExcerpt}\n${c.responseExcerpt}`).join('\n');
    assert.match(evidence, /^Authorization: •••$/m);
    assert.match(evidence, /"token":"•••"/);
    assert.doesNotMatch(evidence, /correct horse battery/);
    assert.doesNotMatch(evidence, /^Authorization: (?!•••$)/m);
  });

  for (const [projectId, flaws] of Object.entries(BROKEN)) {
    describe(projectId, () => {
      // The reference and its variants are separate servers: run them side by side, assert one by one.
      const runs = new Map<string, Promise<RunOutcome>>();
      before(() => {
        for (const flaw of ['', ...Object.keys(flaws)]) {
          const run = check(projectId, flaw || undefined);
          run.catch(() => undefined); // awaited (and reported) by the test below
          runs.set(flaw, run);
        }
      });

      it('the reference implementation passes every check', async () => {
        const run = await runs.get('');
        const project = content.projects.get(projectId);
        assert.ok(run);
        assert.deepEqual(failing(run), []);
        assert.equal(run.outcome, 'passed', run.error);
        assert.equal(run.checks.length, project?.checkCount);
      });
      for (const [flaw, expected] of Object.entries(flaws)) {
        it(`the "${flaw}" variant fails exactly: ${expected.join('; ')}`, async () => {
          const run = await runs.get(flaw);
          assert.ok(run);
          assert.equal(run.outcome, 'failed', run.error);
          assert.deepEqual(failing(run).sort(), [...expected].sort());
        });
      }
    });
  }
});
