import { readAlternatives } from './content.alternatives.js';
import type { AlternativeDraft } from './content.alternatives.js';
import { invalidIdMessage, isValidId } from './content.ids.js';
import type { ProblemLog } from './content.problems.js';
import type { RetiredTopic } from './content.types.js';
import { asMap, describeNode, FieldReader, parseYamlFile } from './content.yaml.js';
import type { Located, YamlFile } from './content.yaml.js';
import { isSeq } from 'yaml';

// `roadmaps/<id>/roadmap.yaml` (structure) and `roadmaps/retired.yaml`: checks that need no other file.

const ROADMAP_KEYS = ['id', 'title', 'summary', 'weeks', 'hours_per_week', 'steps', 'tools', 'alternatives'];
const STEP_KEYS = ['id', 'title', 'summary', 'groups'];
const GROUP_KEYS = ['title', 'topics'];
const RETIRED_KEYS = ['id', 'title', 'note'];

export interface GroupDraft {
  title: string;
  topics: Located<string>[];
}

export interface StepDraft {
  id: string;
  title: string;
  summary: string;
  groups: GroupDraft[];
}

export interface RoadmapDraft {
  file: string;
  /** Line of the `id` key (or 1), where problems about the roadmap as a whole are reported. */
  line: number;
  id: string;
  title: string;
  summary: string;
  weeks: number;
  hoursPerWeek: number;
  steps: StepDraft[];
  tools: Located<string>[];
  alternatives: AlternativeDraft[];
}

/** Reads a roadmap.yaml. `folderId` is the roadmap folder's name, which the id must equal. */
export function parseRoadmapFile(
  text: string,
  file: string,
  folderId: string,
  log: ProblemLog,
): RoadmapDraft | undefined {
  const yaml = parseYamlFile(text.replace(/^\uFEFF/, ''), file, log);
  if (!yaml) return undefined;
  const map = asMap(yaml, yaml.root, 'roadmap.yaml', 1);
  if (!map) return undefined;
  const fields = new FieldReader(yaml, map, '', ROADMAP_KEYS);
  const draft: RoadmapDraft = {
    file,
    line: fields.lineOfKey('id'),
    id: folderId,
    title: fields.text('title')?.value ?? folderId,
    summary: fields.text('summary')?.value ?? '',
    weeks: checkedNumber(fields, 'weeks', 1, 104, 1) ?? 26,
    hoursPerWeek: checkedNumber(fields, 'hours_per_week', 1, 60, 0.5) ?? 10,
    steps: readSteps(fields, yaml),
    tools: fields.textList('tools', true) ?? [],
    alternatives: readAlternatives(fields, yaml),
  };
  const id = fields.text('id');
  if (id && !isValidId(id.value)) fields.problem(id.line, invalidIdMessage('roadmap id', id.value));
  else if (id && id.value !== folderId) {
    fields.problem(id.line, `roadmap id "${id.value}" must equal the folder name "${folderId}"`);
  }
  return draft;
}

function checkedNumber(
  fields: FieldReader,
  key: string,
  min: number,
  max: number,
  step: number,
): number | undefined {
  const found = fields.number(key);
  if (!found) return undefined;
  if (found.value < min || found.value > max || !Number.isInteger(found.value / step)) {
    fields.problem(found.line, `"${key}" must be ${min}–${max} in steps of ${step}, got ${found.value}`);
    return undefined;
  }
  return found.value;
}

function readSteps(fields: FieldReader, yaml: YamlFile): StepDraft[] {
  const nodes = fields.list('steps');
  if (!nodes) return [];
  if (nodes.length === 0) fields.problem(fields.lineOfKey('steps'), '"steps" needs at least one step');
  const steps: StepDraft[] = [];
  const lineOfId = new Map<string, number>();
  nodes.forEach((node, index) => {
    const map = asMap(yaml, node, `step ${index + 1}`);
    if (!map) return;
    const rawId = map.get('id');
    const label = typeof rawId === 'string' && rawId ? `step "${rawId}"` : `step ${index + 1}`;
    const step = new FieldReader(yaml, map, label, STEP_KEYS);
    const id = step.text('id');
    if (id && !isValidId(id.value)) step.problem(id.line, invalidIdMessage('step id', id.value));
    const earlier = id && lineOfId.get(id.value);
    if (id && earlier) step.problem(id.line, `duplicate step id "${id.value}" (also on line ${earlier})`);
    if (id) lineOfId.set(id.value, id.line);
    steps.push({
      id: id?.value ?? '',
      title: step.text('title')?.value ?? '',
      summary: step.text('summary', true)?.value ?? '',
      groups: readGroups(step, yaml, label),
    });
  });
  return steps;
}

function readGroups(step: FieldReader, yaml: YamlFile, stepLabel: string): GroupDraft[] {
  const nodes = step.list('groups');
  if (!nodes) return [];
  if (nodes.length === 0) step.problem(step.lineOfKey('groups'), '"groups" needs at least one group');
  const groups: GroupDraft[] = [];
  nodes.forEach((node, index) => {
    const map = asMap(yaml, node, `${stepLabel}, group ${index + 1}`);
    if (!map) return;
    const group = new FieldReader(yaml, map, `${stepLabel}, group ${index + 1}`, GROUP_KEYS);
    const title = group.text('title')?.value ?? '';
    const topics = group.textList('topics') ?? [];
    if (group.has('topics') && topics.length === 0) {
      group.problem(group.lineOfKey('topics'), '"topics" needs at least one topic id');
    }
    groups.push({ title, topics });
  });
  return groups;
}

/** Reads retired.yaml: a list of `{ id, title, note? }`. An empty or absent file means nothing is retired. */
export function parseRetiredFile(text: string, file: string, log: ProblemLog): Located<RetiredTopic>[] {
  const yaml = parseYamlFile(text.replace(/^\uFEFF/, ''), file, log);
  if (!yaml || yaml.root === null || yaml.root === undefined) return [];
  if (!isSeq(yaml.root)) {
    log.error(file, yaml.lineOf(yaml.root), `retired.yaml must be a list, got ${describeNode(yaml.root)}`);
    return [];
  }
  const retired: Located<RetiredTopic>[] = [];
  const lineOfId = new Map<string, number>();
  yaml.root.items.forEach((node, index) => {
    const map = asMap(yaml, node, `entry ${index + 1}`);
    if (!map) return;
    const fields = new FieldReader(yaml, map, `entry ${index + 1}`, RETIRED_KEYS);
    const id = fields.text('id');
    const title = fields.text('title');
    const note = fields.text('note', true);
    if (!id) return;
    if (!isValidId(id.value)) fields.problem(id.line, invalidIdMessage('id', id.value));
    const earlier = lineOfId.get(id.value);
    if (earlier !== undefined) fields.problem(id.line, `"${id.value}" is already retired on line ${earlier}`);
    lineOfId.set(id.value, id.line);
    const topic: RetiredTopic = { id: id.value, title: title?.value ?? id.value };
    if (note) topic.note = note.value;
    retired.push({ value: topic, line: id.line });
  });
  return retired;
}
