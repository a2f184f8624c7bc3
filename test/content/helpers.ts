import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadContent } from '../../src/content/content.loader.js';
import type { LoadResult } from '../../src/content/content.loader.js';

/** A complete, valid content tree: three roadmaps, four topics, one shared, one alias, one retired id. */
export const VALID_TREE = fileURLToPath(new URL('../fixtures/content/valid/', import.meta.url));

const created: string[] = [];
after(async () => {
  await Promise.all(created.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A private, writable copy of the valid tree, removed when the test file ends. */
export async function copyValidTree(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'waymark-content-'));
  created.push(dir);
  await cp(VALID_TREE, dir, { recursive: true });
  return dir;
}

/** Replaces one exact piece of a file; fails loudly if the fixture changed and the piece is gone. */
export async function edit(dir: string, path: string, from: string, to: string): Promise<void> {
  const file = join(dir, path);
  const text = await readFile(file, 'utf8');
  assert.ok(text.includes(from), `${path} should contain ${JSON.stringify(from)}`);
  await writeFile(file, text.replace(from, to));
}

/** Writes a file of the tree, creating its folder (git keeps no empty folders, so fixtures have none). */
export async function write(dir: string, path: string, text: string): Promise<void> {
  await mkdir(dirname(join(dir, path)), { recursive: true });
  await writeFile(join(dir, path), text);
}

export async function read(dir: string, path: string): Promise<string> {
  return readFile(join(dir, path), 'utf8');
}

/** The path a problem message shows for a file of the tree (problems name files relative to the cwd). */
export function shown(dir: string, path: string): string {
  return relative(process.cwd(), join(dir, path));
}

/** Loads `dir` and returns its problems as `path-in-tree:line: severity: message`, as `waymark lint` prints them. */
export async function problemsOf(dir: string): Promise<{ lines: string[]; result: LoadResult }> {
  const result = await loadContent(dir);
  const lines = result.problems.map(
    (problem) =>
      `${relative(dir, resolve(problem.file))}:${problem.line}: ${problem.severity}: ${problem.message}`,
  );
  return { lines, result };
}
