import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runLint } from '../../src/cli/lint.js';
import { parse, stringify } from 'yaml';
import { loadContent } from '../../src/content/content.loader.js';
import { RULE_SEVERITY } from '../../src/content/content.rules.js';
import {
  copyRealTree,
  copyValidTree,
  edit,
  lineOf,
  problemsOf,
  read,
  setAlternatives,
  shown,
  VALID_TREE,
  write,
} from './helpers.js';

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

const LANGUAGES = `alternatives:
  - id: first-language
    title: "Your first server-side language"
    summary: "Pick one; the concepts carry over."
    default: javascript-basics
    topics: [javascript-basics, python-basics, php-basics]
`;

/** Problems the curriculum rules and set checks report, without the rest of the shipped content's. */
function about(lines: string[], ...needles: string[]): string[] {
  return lines.filter((line) => needles.some((needle) => line.includes(needle)));
}

describe('lint rules on a copy of the shipped roadmaps', () => {
  it('accepts a valid alternative set and builds it', async () => {
    const dir = await copyRealTree();
    await setAlternatives(dir, 'backend', LANGUAGES);
    const { lines, result } = await problemsOf(dir);
    assert.deepEqual(about(lines, 'alternative set "', 'optional topic "php-basics"'), []);
    assert.equal(result.problems.filter((p) => p.severity === 'error').length, 0, lines.join('\n'));
    const backend = result.content?.roadmaps.get('backend');
    assert.deepEqual(backend?.alternatives[0]?.topicIds, [
      'javascript-basics',
      'python-basics',
      'php-basics',
    ]);
    assert.equal(backend?.alternativeOf.get('php-basics')?.id, 'first-language');
  });

  it('reports unknown and unplaced members, a default outside the set, a topic in two sets, a set of one', async () => {
    const dir = await copyRealTree();
    await setAlternatives(
      dir,
      'backend',
      `alternatives:
  - id: first-language
    title: "Your first server-side language"
    default: cobol-basics
    topics: [javascript-basics, python-basics, pyton-basics, react]
  - id: scripting
    title: Scripting
    default: python-basics
    topics: [python-basics]
`,
    );
    const { lines } = await problemsOf(dir);
    const file = 'backend/roadmap.yaml';
    const at = (needle: string): Promise<number> => lineOf(dir, file, needle);
    assert.deepEqual(about(lines, 'alternative set "'), [
      `${file}:${await at('default: cobol-basics')}: error: alternative set "first-language": default "cobol-basics" is not one of its topics (javascript-basics, python-basics, pyton-basics, react)`,
      `${file}:${await at('pyton-basics, react]')}: error: alternative set "first-language": unknown topic "pyton-basics"`,
      `${file}:${await at('pyton-basics, react]')}: error: alternative set "first-language": topic "react" is not placed in any step of this roadmap: add it to a group first`,
      `${file}:${await at('topics: [python-basics]')}: error: alternative set "scripting": "topics" needs at least 2 topic ids to choose from, got 1`,
      `${file}:${await at('topics: [python-basics]')}: error: alternative set "scripting": topic "python-basics" is already in alternative set "first-language": a topic belongs to at most one set`,
    ]);
  });

  it('reports a missing default and a duplicate set id', async () => {
    const dir = await copyRealTree();
    await setAlternatives(
      dir,
      'backend',
      `alternatives:
  - id: first-language
    title: One
    topics: [javascript-basics, python-basics]
  - id: first-language
    title: Two
    default: mysql
    topics: [mysql, postgresql]
`,
    );
    const { lines } = await problemsOf(dir);
    const file = 'backend/roadmap.yaml';
    const first = await lineOf(dir, file, 'title: One');
    const second = await lineOf(dir, file, 'title: Two');
    assert.deepEqual(about(lines, 'alternative set "'), [
      `${file}:${first - 1}: error: alternative set "first-language": missing field "default" (string)`,
      `${file}:${second - 1}: error: alternative set "first-language": duplicate alternative set id "first-language" (also on line ${first - 1})`,
    ]);
  });

  it('flags a required topic that depends on an optional one, but not through an alternative set', async () => {
    const dir = await copyRealTree();
    // Start from the shipped roadmap without its sets, so python-basics is an ordinary optional topic.
    await setAlternatives(dir, 'backend', '');
    const content = (await loadContent(dir)).content;
    assert.ok(content);
    const backend = content.roadmaps.get('backend');
    assert.ok(backend);
    // A required topic nothing depends on, so a new prerequisite cannot close a cycle.
    const needed = new Set([...content.topics.values()].flatMap((topic) => topic.prerequisites));
    const leaf = backend.topicIds
      .map((id) => content.topics.get(id))
      .find(
        (topic) =>
          topic && !topic.optional && !needed.has(topic.id) && !topic.prerequisites.includes('python-basics'),
      );
    assert.ok(leaf, 'a required topic without dependents');
    const path = `backend/topics/${leaf.id}.md`;
    const text = await read(dir, path);
    await write(dir, path, text.replace(/^prerequisites: \[/m, 'prerequisites: [python-basics, '));
    const line = await lineOf(dir, path, 'prerequisites: [python-basics');
    const severity = RULE_SEVERITY.requiredOnOptional;
    assert.deepEqual(about((await problemsOf(dir)).lines, `"${leaf.id}" depends`), [
      `${path}:${line}: ${severity}: required topic "${leaf.id}" depends on optional topic "python-basics" (roadmap "backend"): make "python-basics" required, drop the prerequisite, or make it a member of a required alternative set`,
    ]);
    await setAlternatives(dir, 'backend', LANGUAGES);
    assert.deepEqual(about((await problemsOf(dir)).lines, `"${leaf.id}" depends`), []);
  });

  it('flags a roadmap whose correct options are mostly the longest, and not one where they are not', async () => {
    const dir = await copyRealTree();
    const loaded = (await loadContent(dir)).content;
    const backend = loaded?.roadmaps.get('backend');
    assert.ok(loaded && backend);
    const topics = loaded.topics;
    const rewrite = async (longest: boolean): Promise<void> => {
      for (const id of backend.topicIds) {
        const file = topics.get(id)?.file ?? '';
        const path = file.slice(file.indexOf('/') + 1).replace(/\.md$/, '.cards.yaml');
        const cards = parse(await read(dir, path)) as { choices?: string[]; answer?: number }[];
        for (const card of cards) {
          if (!card.choices || card.answer === undefined) continue;
          const all = card.choices.join(' / ');
          card.choices = card.choices.map((choice, index) =>
            index !== card.answer ? `${choice} and more` : longest ? `${all} and more` : 'x',
          );
        }
        await write(dir, path, stringify(cards));
      }
    };
    await rewrite(true);
    const file = 'backend/roadmap.yaml';
    const flagged = about((await problemsOf(dir)).lines, `${file}:`);
    assert.equal(flagged.length, 1, flagged.join('\n'));
    assert.match(
      flagged[0] ?? '',
      new RegExp(
        `^${file}:${await lineOf(dir, file, 'id: backend')}: ${RULE_SEVERITY.longestAnswer}: the correct option is the longest one in 100% of this roadmap's multiple-choice cards \\(\\d+ of \\d+; at most 40%\\)`,
      ),
    );
    await rewrite(false);
    const lines = (await problemsOf(dir)).lines;
    assert.deepEqual(
      lines.filter((line) => line.startsWith(`${file}:`)),
      [],
    );
  });
});
