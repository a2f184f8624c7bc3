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

  for (const [projectId, flaws] of Object.entries(BROKEN)) {
    describe(projectId, () => {
      it('the reference implementation passes every check', async () => {
        const run = await check(projectId);
        const project = content.projects.get(projectId);
        assert.deepEqual(failing(run), []);
        assert.equal(run.outcome, 'passed', run.error);
        assert.equal(run.checks.length, project?.checkCount);
      });
      for (const [flaw, expected] of Object.entries(flaws)) {
        it(`the "${flaw}" variant fails exactly: ${expected.join('; ')}`, async () => {
          const run = await check(projectId, flaw);
          assert.equal(run.outcome, 'failed', run.error);
          assert.deepEqual(failing(run).sort(), [...expected].sort());
        });
      }
    });
  }
});
