import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

// Layers respected (issue 9): a feature reads another feature's data through that feature's public
// functions (progress.read.ts, progress.record.ts, auth.read.ts, …), never its repository; content
// lookups (requireRoadmap, requireTopic) live in content/; only auth's repositories (and the
// maintenance purge) write the users table. Read from the sources as text, so a new violation fails here at once.

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** The top folder under src/ a file belongs to: `src/plan/web/x.tsx` → `plan`. */
const topFolder = (file: string) => relative('src', file).split(/[\\/]/)[0]!;

/** Relative module specifiers of every import and re-export (multi-line ones too). */
function importsOf(text: string): string[] {
  const specifiers: string[] = [];
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;'"]*?(?:from\s*)?['"](\.[^'"]+)['"]/g))
    specifiers.push(match[1]!);
  for (const match of text.matchAll(/import\(\s*['"](\.[^'"]+)['"]\s*\)/g)) specifiers.push(match[1]!);
  return specifiers;
}

const files = sourceFiles('src');

describe('layers respected', () => {
  it('finds the imports it checks (the scan itself works)', () => {
    const plan = importsOf(readFileSync('src/dashboard/dashboard.service.ts', 'utf8'));
    assert.ok(plan.includes('../progress/progress.read.js'), plan.join(', '));
  });

  it("no file imports another top folder's repository", () => {
    const offenders: string[] = [];
    for (const file of files) {
      for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
        const target = normalize(join(dirname(file), specifier));
        if (!/\.repository\.js$/.test(target)) continue;
        if (topFolder(target) !== topFolder(file)) offenders.push(`${file} imports ${specifier}`);
      }
    }
    assert.deepEqual(offenders, []);
  });

  it('content lookups (requireRoadmap, requireTopic) are defined only in src/content/', () => {
    const offenders = files
      .filter((file) => topFolder(file) !== 'content')
      .filter((file) =>
        /\b(?:function|const|let)\s+require(?:Roadmap|Topic)\b/.test(readFileSync(file, 'utf8')),
      );
    assert.deepEqual(offenders, []);
  });

  it('only auth (accounts) and maintenance (purging abandoned guests) write the users table', () => {
    const owners = new Set(['auth', 'maintenance']);
    const repositories = files.filter((file) => /\.repository\.ts$/.test(file));
    assert.ok(
      repositories.includes(join('src', 'plan', 'plan.repository.ts')),
      'the plan repository is checked',
    );
    const offenders = repositories
      .filter((file) => !owners.has(topFolder(file)))
      .filter((file) =>
        /(?:insertInto|updateTable|deleteFrom)\(\s*'users'\s*\)/.test(readFileSync(file, 'utf8')),
      );
    assert.deepEqual(offenders, []);
  });
});
