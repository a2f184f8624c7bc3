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

/** The shipped content folder, `roadmaps/`. */
export const REAL_TREE = fileURLToPath(new URL('../../roadmaps/', import.meta.url));

/** A private, writable copy of the shipped `roadmaps/` folder, removed when the test file ends. */
export async function copyRealTree(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'waymark-roadmaps-'));
  created.push(dir);
  await cp(REAL_TREE, dir, { recursive: true });
  return dir;
}

/**
 * Replaces (or adds) the `alternatives:` block of `<roadmap>/roadmap.yaml` in a copied tree, keeping
 * the rest of the file as written.
 */
export async function setAlternatives(dir: string, roadmap: string, block: string): Promise<void> {
  const path = join(dir, roadmap, 'roadmap.yaml');
  const text = await readFile(path, 'utf8');
  const start = text.search(/^alternatives:/m);
  const end = start < 0 ? -1 : text.slice(start + 1).search(/^\S/m);
  const without = start < 0 ? text : text.slice(0, start) + (end < 0 ? '' : text.slice(start + 1 + end));
  await writeFile(path, `${without.trimEnd()}\n${block.trimEnd()}\n`);
}

/** 1-based line of the first line containing `needle` in a file of the tree. */
export async function lineOf(dir: string, path: string, needle: string): Promise<number> {
  const lines = (await read(dir, path)).split('\n');
  const index = lines.findIndex((line) => line.includes(needle));
  assert.ok(index >= 0, `${path} should contain ${JSON.stringify(needle)}`);
  return index + 1;
}
