import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runLint } from '../../src/cli/lint.js';
import { copyValidTree, edit, shown, VALID_TREE } from './helpers.js';

async function lint(dir: string): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await runLint(dir, (line) => lines.push(line));
  return { code, lines };
}

describe('waymark lint', () => {
  it('prints only the summary and exits 0 on valid content', async () => {
    assert.deepEqual(await lint(VALID_TREE), {
      code: 0,
      lines: ['waymark lint: 4 topics, 20 cards in 3 roadmaps — 0 errors, 0 warnings'],
    });
  });

  it('prints file:line: severity: message per problem, then counts, and exits 1 on errors', async () => {
    const dir = await copyValidTree();
    await edit(dir, 'backend/topics/dns.md', 'difficulty: beginner', 'difficulty: easy');
    await edit(dir, 'backend/topics/dns.md', 'optional: false', 'optinal: false');
    assert.deepEqual(await lint(dir), {
      code: 1,
      lines: [
        `${shown(dir, 'backend/topics/dns.md')}:5: error: "difficulty" must be one of beginner, intermediate, advanced, got "easy"`,
        `${shown(dir, 'backend/topics/dns.md')}:6: warning: unknown key "optinal" (ignored); did you mean "optional"?`,
        'waymark lint: 4 topics, 20 cards in 3 roadmaps — 1 error, 1 warning',
      ],
    });
  });

  it('exits 0 when there are only warnings', async () => {
    const dir = await copyValidTree();
    await edit(dir, 'backend/topics/dns.md', 'optional: false', 'optinal: false');
    assert.equal((await lint(dir)).code, 0);
  });

  it('reports a missing content folder', async () => {
    const { code, lines } = await lint('/nonexistent/waymark-roadmaps');
    assert.equal(code, 1);
    assert.equal(lines.at(-1), 'waymark lint: 0 topics, 0 cards in 0 roadmaps — 1 error, 0 warnings');
  });
});
