import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { ProblemLog } from './content.problems.js';

// Reads the content folder from disk. Parsing happens elsewhere; this only knows the layout:
// <dir>/retired.yaml, <dir>/<roadmap>/roadmap.yaml, <dir>/<roadmap>/topics/<id>.md and <id>.cards.yaml.

export interface SourceFile {
  /** Path shown in problems: relative to the working directory. */
  display: string;
  /** Path relative to the repository (the parent of the content folder). */
  repoPath: string;
  text: string;
}

export interface RoadmapFolder {
  id: string;
  /** Where roadmap.yaml is or should be. */
  roadmapPath: string;
  roadmap?: SourceFile;
  topics: SourceFile[];
  /** By topic id (the file name without `.cards.yaml`). */
  cards: Map<string, SourceFile>;
}

export interface ContentTree {
  folders: RoadmapFolder[];
  retiredPath: string;
  retired?: SourceFile;
  /** sha256 of every file's path and bytes, first 16 hex characters. */
  version: string;
}

const TOPIC_SUFFIX = '.md';
const CARDS_SUFFIX = '.cards.yaml';

function posix(path: string): string {
  return path.split(sep).join('/');
}

/** Lists and reads every content file under `dir`; undefined (after reporting) when `dir` is unreadable. */
export async function readContentTree(dir: string, log: ProblemLog): Promise<ContentTree | undefined> {
  const root = resolve(dir);
  const display = (path: string): string => posix(relative(process.cwd(), path)) || '.';
  const entries = await listDir(root);
  if (!entries) {
    log.error(display(root), 1, 'content folder not found or not readable');
    return undefined;
  }
  const hash = new Map<string, Buffer>();
  const read = async (path: string): Promise<SourceFile | undefined> => {
    const bytes = await readFile(path).catch(() => undefined);
    if (!bytes) return undefined;
    hash.set(posix(relative(root, path)), bytes);
    return {
      display: display(path),
      repoPath: posix(relative(dirname(root), path)),
      text: bytes.toString('utf8'),
    };
  };
  const folders: RoadmapFolder[] = [];
  for (const entry of entries) {
    if (entry.isDirectory()) folders.push(await readFolder(join(root, entry.name), read, display, log));
  }
  const retiredPath = join(root, 'retired.yaml');
  const retired = await read(retiredPath);
  return { folders, retiredPath: display(retiredPath), retired, version: versionOf(hash) };
}

async function listDir(path: string): Promise<Dirent[] | undefined> {
  const entries = await readdir(path, { withFileTypes: true }).catch(() => undefined);
  return entries
    ?.filter((entry) => !entry.name.startsWith('.'))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

async function readFolder(
  path: string,
  read: (path: string) => Promise<SourceFile | undefined>,
  display: (path: string) => string,
  log: ProblemLog,
): Promise<RoadmapFolder> {
  const roadmapPath = join(path, 'roadmap.yaml');
  const folder: RoadmapFolder = {
    id: basename(path),
    roadmapPath: display(roadmapPath),
    roadmap: await read(roadmapPath),
    topics: [],
    cards: new Map(),
  };
  const topicsDir = join(path, 'topics');
  for (const entry of (await listDir(topicsDir)) ?? []) {
    const file = join(topicsDir, entry.name);
    const isCards = entry.isFile() && entry.name.endsWith(CARDS_SUFFIX);
    const isTopic = entry.isFile() && entry.name.endsWith(TOPIC_SUFFIX);
    if (!isCards && !isTopic) {
      log.warning(
        display(file),
        1,
        'unexpected file in topics/ (ignored): expected <id>.md or <id>.cards.yaml',
      );
      continue;
    }
    // A file may vanish between listing and reading while someone edits: skip it, a rerun will see it.
    const source = await read(file);
    if (source && isCards) folder.cards.set(entry.name.slice(0, -CARDS_SUFFIX.length), source);
    if (source && isTopic) folder.topics.push(source);
  }
  return folder;
}

function versionOf(files: Map<string, Buffer>): string {
  const hash = createHash('sha256');
  for (const path of [...files.keys()].sort()) {
    hash.update(`${path}\0`);
    hash.update(files.get(path) ?? Buffer.alloc(0));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}
