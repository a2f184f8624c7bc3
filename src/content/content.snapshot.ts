import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import type { Content } from './content.types.js';

// Parsed content kept beside the build (dist/content-snapshot.bin), so the compiled server starts
// without parsing YAML and Markdown: it only reads the content files to fingerprint them (cheap) and,
// when the snapshot was made from the same files by the same build, takes the content from it.

const ROOT = new URL('../../', import.meta.url);
const SNAPSHOT = fileURLToPath(new URL('dist/content-snapshot.bin', ROOT));
const BUILD_STAMP = fileURLToPath(new URL('dist/.build-stamp', ROOT));
/** Only the compiled server (build/) uses snapshots: under tsx the loader's source may be newer than any build. */
const COMPILED = /\/build\/content\/[^/]+\.js$/.test(import.meta.url);

interface Header {
  /** sha256 of the path and bytes of every file under the content folder (topics, cards, projects…). */
  files: string;
  /** The build it was made by (dist/.build-stamp: the fingerprint of the sources compiled into build/). */
  build: string;
}

/** Fingerprint of everything under the content folder, or null when it cannot be read. */
async function filesFingerprint(dir: string): Promise<string | null> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    const files = entries
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name))
      .sort();
    const hash = createHash('sha256');
    const contents = await Promise.all(files.map((file) => readFile(file)));
    files.forEach((file, i) =>
      hash.update(relative(dir, file)).update('\0').update(contents[i]!).update('\0'),
    );
    return hash.digest('hex');
  } catch {
    return null;
  }
}

async function buildStamp(): Promise<string | null> {
  return (await readFile(BUILD_STAMP, 'utf8').catch(() => null))?.trim() || null;
}

/**
 * The content in `dir` from the snapshot, or null when there is none for these files and this build;
 * `files` is the fingerprint to hand to {@link writeSnapshot} after parsing.
 */
export async function readSnapshot(dir: string): Promise<{ content: Content | null; files: string | null }> {
  if (!COMPILED) return { content: null, files: null };
  const [bytes, build, files] = await Promise.all([
    readFile(SNAPSHOT).catch(() => null),
    buildStamp(),
    filesFingerprint(dir),
  ]);
  if (!bytes || !build || !files) return { content: null, files };
  try {
    const { header, content } = deserialize(bytes) as { header: Header; content: Content };
    return { content: header.build === build && header.files === files ? content : null, files };
  } catch {
    return { content: null, files };
  }
}

/**
 * Keeps `content` (valid, just parsed from `dir`) for the next start of the compiled server; failures
 * are ignored. The fingerprint is taken after parsing: a file edited meanwhile makes the snapshot
 * miss next time, never wrong.
 */
export async function writeSnapshot(dir: string, content: Content, before: string | null): Promise<void> {
  const build = COMPILED ? await buildStamp() : null;
  const files = build ? await filesFingerprint(dir) : null;
  if (!build || !files || files !== before) return;
  const header: Header = { files, build };
  try {
    await mkdir(dirname(SNAPSHOT), { recursive: true });
    const temporary = `${SNAPSHOT}.${process.pid}.tmp`;
    await writeFile(temporary, serialize({ header, content }));
    await rename(temporary, SNAPSHOT);
  } catch {
    // A read-only installation parses again at the next start.
  }
}
