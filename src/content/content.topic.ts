import { invalidIdMessage, isValidId, slugify } from './content.ids.js';
import type { ProblemLog } from './content.problems.js';
import type { Card, ChecklistItem, Difficulty, Resource, ResourceType } from './content.types.js';
import { asMap, FieldReader, parseYamlFile } from './content.yaml.js';
import type { Located, YamlFile } from './content.yaml.js';
import { countWords, findRawHtml, markdownToPlainText } from './markdown.js';

// One `topics/<id>.md` file: checks everything that can be checked without looking at other files.

export const DIFFICULTIES: readonly Difficulty[] = ['beginner', 'intermediate', 'advanced'];
export const RESOURCE_TYPES: readonly ResourceType[] = [
  'official',
  'article',
  'video',
  'course',
  'book',
  'tool',
];
const TOPIC_KEYS = [
  'id',
  'title',
  'estimate_hours',
  'difficulty',
  'optional',
  'prerequisites',
  'tools',
  'aliases',
  'checklist',
  'resources',
];
const RESOURCE_KEYS = ['type', 'title', 'url'];
const WORDS = { min: 120, max: 300 };
const CHECKLIST = { min: 3, max: 8 };
const MIN_RESOURCES = 3;

export interface TopicSource {
  text: string;
  /** Path shown in problems. */
  file: string;
  /** Path stored in `Topic.file`. */
  repoFile: string;
  /** The file name without `.md`: the id the topic must have. */
  fileId: string;
  homeRoadmapId: string;
}

/** What one topic file says, with the lines later cross-file checks need to point at. */
export interface TopicDraft {
  source: TopicSource;
  /** The front-matter id, or the file name when the id is unusable. */
  id: string;
  idLine: number;
  title: string;
  estimateHours: number;
  difficulty: Difficulty;
  optional: boolean;
  prerequisites: Located<string>[];
  tools: string[];
  aliases: Located<string>[];
  checklist: ChecklistItem[];
  resources: Resource[];
  bodyMarkdown: string;
  /** Filled in from `<id>.cards.yaml` by the loader. */
  cards: Card[];
}

interface SplitTopic {
  frontMatter: string;
  body: string;
  /** File line of the first body line. */
  bodyLine: number;
}

/**
 * Reads a topic file. Always returns a draft (a placeholder when the front matter is unreadable) so a
 * broken file does not also make every roadmap and prerequisite pointing at it report "unknown topic".
 */
export function parseTopicFile(source: TopicSource, log: ProblemLog): TopicDraft {
  const draft = placeholderTopic(source);
  const split = splitFrontMatter(source, log);
  if (!split) return draft;
  const yaml = parseYamlFile(split.frontMatter, source.file, log, 2);
  if (!yaml) return draft;
  if (yaml.root === null || yaml.root === undefined) {
    log.error(source.file, 1, 'front matter is empty');
    return draft;
  }
  const map = asMap(yaml, yaml.root, 'front matter', 2);
  if (!map) return draft;
  readFrontMatter(new FieldReader(yaml, map, '', TOPIC_KEYS), yaml, draft);
  draft.bodyMarkdown = split.body.trim();
  checkBody(split, source.file, log);
  return draft;
}

function placeholderTopic(source: TopicSource): TopicDraft {
  return {
    source,
    id: source.fileId,
    idLine: 1,
    title: source.fileId,
    estimateHours: 0,
    difficulty: 'beginner',
    optional: false,
    prerequisites: [],
    tools: [],
    aliases: [],
    checklist: [],
    resources: [],
    bodyMarkdown: '',
    cards: [],
  };
}

function splitFrontMatter(source: TopicSource, log: ProblemLog): SplitTopic | undefined {
  const lines = source.text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0]?.trimEnd() !== '---') {
    log.error(source.file, 1, 'a topic file must start with a "---" line opening its front matter');
    return undefined;
  }
  const close = lines.findIndex((line, index) => index > 0 && line.trimEnd() === '---');
  if (close < 0) {
    log.error(source.file, 1, 'the front matter is not closed: add a "---" line after it');
    return undefined;
  }
  return {
    frontMatter: lines.slice(1, close).join('\n'),
    body: lines.slice(close + 1).join('\n'),
    bodyLine: close + 2,
  };
}

function readFrontMatter(fields: FieldReader, yaml: YamlFile, draft: TopicDraft): void {
  readId(fields, draft);
  const title = fields.text('title');
  if (title) {
    const length = [...title.value].length;
    if (length < 3 || length > 120)
      fields.problem(title.line, `"title" must be 3–120 characters, got ${length}`);
    draft.title = title.value;
  }
  const hours = fields.number('estimate_hours');
  if (hours) {
    const valid = hours.value >= 0.5 && hours.value <= 60 && Number.isInteger(hours.value * 2);
    if (!valid) {
      fields.problem(hours.line, `"estimate_hours" must be 0.5–60 in steps of 0.5, got ${hours.value}`);
    }
    draft.estimateHours = hours.value;
  }
  const difficulty = fields.text('difficulty');
  if (difficulty) draft.difficulty = oneOf(fields, 'difficulty', difficulty, DIFFICULTIES) ?? 'beginner';
  draft.optional = fields.boolean('optional', false);
  draft.prerequisites = fields.textList('prerequisites', true) ?? [];
  draft.tools = (fields.textList('tools', true) ?? []).map((tool) => tool.value);
  draft.aliases = readAliases(fields);
  draft.checklist = readChecklist(fields);
  draft.resources = readResources(fields, yaml);
}

function readId(fields: FieldReader, draft: TopicDraft): void {
  const id = fields.text('id');
  if (!id) return;
  draft.idLine = id.line;
  if (!isValidId(id.value)) {
    fields.problem(id.line, invalidIdMessage('id', id.value));
  } else if (id.value !== draft.source.fileId) {
    fields.problem(id.line, `id "${id.value}" must equal the file name "${draft.source.fileId}"`);
  } else {
    draft.id = id.value;
  }
}

function oneOf<T extends string>(
  fields: FieldReader,
  key: string,
  found: Located<string>,
  allowed: readonly T[],
): T | undefined {
  const match = allowed.find((value) => value === found.value);
  if (!match)
    fields.problem(found.line, `"${key}" must be one of ${allowed.join(', ')}, got "${found.value}"`);
  return match;
}

function readAliases(fields: FieldReader): Located<string>[] {
  const aliases = fields.textList('aliases', true) ?? [];
  for (const alias of aliases) {
    if (!isValidId(alias.value)) fields.problem(alias.line, invalidIdMessage('alias', alias.value));
  }
  return aliases.filter((alias) => isValidId(alias.value));
}

function readChecklist(fields: FieldReader): ChecklistItem[] {
  const texts = fields.textList('checklist');
  if (!texts) return [];
  if (texts.length < CHECKLIST.min || texts.length > CHECKLIST.max) {
    fields.problem(
      fields.lineOfKey('checklist'),
      `"checklist" needs ${CHECKLIST.min}–${CHECKLIST.max} items, got ${texts.length}`,
    );
  }
  const lineOfId = new Map<string, number>();
  const items: ChecklistItem[] = [];
  for (const text of texts) {
    const id = slugify(text.value);
    const earlier = lineOfId.get(id);
    if (!id) fields.problem(text.line, `checklist item "${text.value}" needs at least one letter or digit`);
    else if (earlier !== undefined) {
      fields.problem(text.line, `duplicate checklist item "${text.value}" (same as line ${earlier})`);
    } else {
      lineOfId.set(id, text.line);
      items.push({ id, text: text.value });
    }
  }
  return items;
}

function readResources(fields: FieldReader, yaml: YamlFile): Resource[] {
  const nodes = fields.list('resources');
  if (!nodes) return [];
  const resources: Resource[] = [];
  const types = new Set<ResourceType>();
  const lineOfUrl = new Map<string, number>();
  nodes.forEach((node, index) => {
    const label = `resource ${index + 1}`;
    const map = asMap(yaml, node, label);
    if (!map) return;
    const { type, title, url } = readResource(new FieldReader(yaml, map, label, RESOURCE_KEYS));
    if (type) types.add(type);
    if (!type || !title || !url) return;
    const earlier = lineOfUrl.get(url.value);
    if (earlier !== undefined) {
      yaml.log.error(yaml.file, url.line, `${label}: duplicate URL ${url.value} (also on line ${earlier})`);
    }
    lineOfUrl.set(url.value, url.line);
    resources.push({ type, title, url: url.value });
  });
  const key = fields.lineOfKey('resources');
  if (nodes.length < MIN_RESOURCES) {
    fields.problem(key, `"resources" needs at least ${MIN_RESOURCES} entries, got ${nodes.length}`);
  }
  if (!types.has('official')) {
    fields.problem(key, '"resources" needs at least one resource of type "official"');
  }
  return resources;
}

function readResource(fields: FieldReader): { type?: ResourceType; title?: string; url?: Located<string> } {
  const typeText = fields.text('type');
  const url = fields.text('url');
  const href = url && checkedUrl(fields, url);
  return {
    type: typeText && oneOf(fields, 'type', typeText, RESOURCE_TYPES),
    title: fields.text('title')?.value,
    url: url && href ? { value: href, line: url.line } : undefined,
  };
}

/** The normalised URL (so two spellings of one address count as a duplicate), or undefined if unusable. */
function checkedUrl(fields: FieldReader, url: Located<string>): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url.value);
  } catch {
    fields.problem(url.line, `"url" is not a valid URL: "${url.value}"`);
    return undefined;
  }
  if (parsed.protocol !== 'https:') {
    fields.problem(url.line, `"url" must start with https://, got "${url.value}"`);
    return undefined;
  }
  return parsed.href;
}

function checkBody(split: SplitTopic, file: string, log: ProblemLog): void {
  const firstTextLine = split.body.split('\n').findIndex((line) => line.trim() !== '');
  const words = countWords(markdownToPlainText(split.body));
  if (words < WORDS.min || words > WORDS.max) {
    log.error(
      file,
      split.bodyLine + Math.max(firstTextLine, 0),
      `the description has ${words} words; it needs ${WORDS.min}–${WORDS.max}`,
    );
  }
  for (const html of findRawHtml(split.body)) {
    const snippet = html.html.length > 40 ? `${html.html.slice(0, 40)}…` : html.html;
    log.error(
      file,
      split.bodyLine + html.line,
      `raw HTML in the description: ${snippet} (use Markdown instead)`,
    );
  }
}
