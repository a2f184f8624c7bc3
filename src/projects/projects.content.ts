import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { closestMatch, invalidIdMessage, isValidId } from '../content/content.ids.js';
import type { ProblemLog } from '../content/content.problems.js';
import type { Content, Difficulty } from '../content/content.types.js';
import { DIFFICULTIES } from '../content/content.topic.js';
import { asMap, FieldReader, parseYamlFile } from '../content/content.yaml.js';
import type { Located } from '../content/content.yaml.js';
import { countWords, markdownToPlainText, summarizeMarkdown } from '../content/markdown.js';
import { problems } from '../http/problems.js';
import { checkCollection } from './projects.collection.js';
import type { Project } from './projects.types.js';

// Projects of each roadmap: `roadmaps/<roadmap>/projects/<id>.md` (front matter + brief) and
// `<id>.postman_collection.json` (the checks) side by side. Checked like topics: every problem is
// reported at file:line, and any error keeps the server from starting.

const BRIEF_SUFFIX = '.md';
const COLLECTION_SUFFIX = '.postman_collection.json';
const PROJECT_KEYS = [
  'id',
  'title',
  'step',
  'difficulty',
  'estimate_hours',
  'topics',
  'hints',
  'proves',
  'capstone',
  'required_checks',
];
const BRIEF_WORDS = { min: 80, max: 900 };

/** What the projects of one roadmap may refer to. */
export interface ProjectContext {
  roadmapId: string;
  stepIds: string[];
  topicIds: ReadonlySet<string>;
}

function posix(path: string): string {
  return path.split(sep).join('/');
}

/** Reads and checks `<dir>/<roadmap>/projects/` for each roadmap; projects by id. */
export async function loadProjects(
  dir: string,
  roadmaps: ProjectContext[],
  log: ProblemLog,
): Promise<Map<string, Project>> {
  const projects = new Map<string, Project>();
  for (const roadmap of roadmaps) {
    const folder = join(resolve(dir), roadmap.roadmapId, 'projects');
    const names = (await readdir(folder).catch(() => [] as string[]))
      .filter((n) => !n.startsWith('.'))
      .sort();
    const display = (name: string): string => posix(relative(process.cwd(), join(folder, name)));
    const briefs = names.filter((n) => n.endsWith(BRIEF_SUFFIX)).map((n) => n.slice(0, -BRIEF_SUFFIX.length));
    for (const name of names) {
      const id = name.endsWith(COLLECTION_SUFFIX) ? name.slice(0, -COLLECTION_SUFFIX.length) : undefined;
      if (id !== undefined && !briefs.includes(id)) {
        log.error(display(name), 1, `checks without a project: there is no ${id}.md next to this file`);
      } else if (id === undefined && !name.endsWith(BRIEF_SUFFIX)) {
        log.warning(
          display(name),
          1,
          'unexpected file in projects/ (ignored): expected <id>.md or <id>.postman_collection.json',
        );
      }
    }
    for (const id of briefs) {
      const briefFile = display(`${id}${BRIEF_SUFFIX}`);
      const brief = await readFile(join(folder, `${id}${BRIEF_SUFFIX}`), 'utf8').catch(() => undefined);
      const collectionJson = await readFile(join(folder, `${id}${COLLECTION_SUFFIX}`), 'utf8').catch(
        () => undefined,
      );
      if (brief === undefined) continue;
      if (collectionJson === undefined) {
        log.error(briefFile, 1, `missing checks: add ${id}${COLLECTION_SUFFIX} next to this brief`);
        continue;
      }
      const project = parseProject(
        { id, brief, briefFile, collectionJson, collectionFile: display(`${id}${COLLECTION_SUFFIX}`) },
        roadmap,
        log,
      );
      if (!project) continue;
      const clash = projects.get(project.id);
      if (clash) log.error(briefFile, 1, `project id "${id}" is also used by the ${clash.roadmapId} roadmap`);
      else projects.set(project.id, project);
    }
  }
  return projects;
}

interface ProjectFiles {
  id: string;
  brief: string;
  briefFile: string;
  collectionJson: string;
  collectionFile: string;
}

function parseProject(files: ProjectFiles, roadmap: ProjectContext, log: ProblemLog): Project | undefined {
  const { briefFile: file } = files;
  const lines = files.brief.replace(/^\uFEFF/, '').split(/\r?\n/);
  const close = lines.findIndex((line, index) => index > 0 && line.trimEnd() === '---');
  if (lines[0]?.trimEnd() !== '---' || close < 0) {
    log.error(file, 1, 'a project file must start with front matter between two "---" lines');
    return undefined;
  }
  const yaml = parseYamlFile(lines.slice(1, close).join('\n'), file, log, 2);
  const map = yaml && asMap(yaml, yaml.root, 'front matter', 2);
  if (!yaml || !map) return undefined;
  const fields = new FieldReader(yaml, map, '', PROJECT_KEYS);
  const checks = checkCollection(files.collectionJson, files.collectionFile, log);

  const id = fields.text('id');
  if (id && !isValidId(id.value)) fields.problem(id.line, invalidIdMessage('id', id.value));
  else if (id && id.value !== files.id)
    fields.problem(id.line, `id "${id.value}" must equal the file name "${files.id}"`);
  const title = fields.text('title');
  const step = fields.text('step');
  if (step && !roadmap.stepIds.includes(step.value)) {
    fields.problem(
      step.line,
      `unknown step "${step.value}"; the ${roadmap.roadmapId} roadmap has: ${roadmap.stepIds.join(', ')}`,
    );
  }
  const difficulty = fields.text('difficulty');
  if (difficulty && !DIFFICULTIES.includes(difficulty.value as Difficulty)) {
    fields.problem(
      difficulty.line,
      `"difficulty" must be one of ${DIFFICULTIES.join(', ')}, got "${difficulty.value}"`,
    );
  }
  const hours = fields.number('estimate_hours');
  if (hours && !(hours.value >= 1 && hours.value <= 80 && Number.isInteger(hours.value * 2))) {
    fields.problem(hours.line, `"estimate_hours" must be 1–80 in steps of 0.5, got ${hours.value}`);
  }
  const topics = nonEmpty(fields, 'topics');
  for (const topic of topics) {
    if (roadmap.topicIds.has(topic.value)) continue;
    const guess = closestMatch(topic.value, roadmap.topicIds, 2);
    fields.problem(topic.line, `unknown topic "${topic.value}"${guess ? `; did you mean "${guess}"?` : ''}`);
  }
  const hints = nonEmpty(fields, 'hints');
  const proves = nonEmpty(fields, 'proves');
  const capstone = fields.boolean('capstone', false);
  const required = fields.textList('required_checks', true) ?? [];
  for (const name of required) {
    if (checks && !checks.checkNames.includes(name.value)) {
      fields.problem(
        name.line,
        `required check "${name.value}" is not the name of a request in ${files.collectionFile}`,
      );
    }
  }
  const body = lines
    .slice(close + 1)
    .join('\n')
    .trim();
  const words = countWords(markdownToPlainText(body));
  if (words < BRIEF_WORDS.min || words > BRIEF_WORDS.max) {
    log.error(
      file,
      close + 2,
      `the brief has ${words} words; it needs ${BRIEF_WORDS.min}–${BRIEF_WORDS.max}`,
    );
  }
  if (!checks || !title || !step || !difficulty || !hours) return undefined;
  return {
    id: files.id,
    roadmapId: roadmap.roadmapId,
    title: title.value,
    step: step.value,
    difficulty: difficulty.value as Difficulty,
    estimateHours: hours.value,
    topics: topics.map((topic) => topic.value),
    summary: summarizeMarkdown(body),
    briefMarkdown: body,
    hints: hints.map((hint) => hint.value),
    proves: proves.map((line) => line.value),
    capstone,
    collection: checks.collection,
    collectionJson: files.collectionJson,
    collectionHash: createHash('sha256').update(files.collectionJson).digest('hex'),
    checkCount: checks.checkNames.length,
    ...(required.length > 0 ? { requiredChecks: required.map((name) => name.value) } : {}),
  };
}

function nonEmpty(fields: FieldReader, key: string): Located<string>[] {
  const list = fields.textList(key) ?? [];
  if (fields.has(key) && list.length === 0)
    fields.problem(fields.lineOfKey(key), `"${key}" needs at least one entry`);
  return list;
}

/**
 * The project with `id`, or a 404 problem naming the projects there are.
 *
 * @example
 * const project = requireProject(app.content(), request.params.projectId);
 */
export function requireProject(content: Content, id: string): Project {
  const project = content.projects.get(id);
  if (!project) {
    const known = [...content.projects.keys()].join(', ');
    throw problems.notFound('Project', `There is no project "${id}". Available: ${known || 'none'}.`);
  }
  return project;
}
