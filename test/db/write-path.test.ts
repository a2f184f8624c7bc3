import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('one path for every write', () => {
  it('no code outside src/db/ opens a transaction of its own (db.write is the only way)', () => {
    const offenders = sourceFiles('src')
      .filter((file) => !relative('src', file).startsWith('db/'))
      .filter((file) => /\.transaction\(\)/.test(readFileSync(file, 'utf8')));
    assert.deepEqual(offenders, []);
  });

  it('repository functions that write take a transaction (WriteTx), not the database', () => {
    const offenders: string[] = [];
    const repositories = sourceFiles('src').filter((f) => f.endsWith('.repository.ts'));
    assert.ok(repositories.length >= 10, `found only ${repositories.length} repositories`);
    for (const file of repositories) {
      const text = readFileSync(file, 'utf8');
      // Every top-level function, exported or not (a private helper's body is its own, not its neighbour's).
      for (const fn of text.split(/\n(?:export )?(?:async )?function /).slice(1)) {
        const name = fn.slice(0, fn.indexOf('('));
        const firstParam = /\(\s*\w+: (\w+)/.exec(fn)?.[1];
        if (/insertInto|updateTable|deleteFrom/.test(fn) && firstParam !== 'WriteTx')
          offenders.push(`${file}: ${name}`);
      }
    }
    assert.deepEqual(offenders, []);
  });
});
