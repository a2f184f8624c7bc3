import { invalidIdMessage, isValidId } from './content.ids.js';
import type { ProblemLog } from './content.problems.js';
import type { TopicDraft } from './content.topic.js';
import type { AlternativeSet } from './content.types.js';
import { asMap, FieldReader } from './content.yaml.js';
import type { Located, YamlFile } from './content.yaml.js';

// Alternative sets ("choose one of"): the optional `alternatives:` list of a roadmap.yaml. A learner
// picks one member of each set; the planner schedules only that one and progress in any member counts
// for the set. Parsing needs only the roadmap file; the membership checks need the placed topics.

const SET_KEYS = ['id', 'title', 'summary', 'default', 'topics'];
export const MIN_MEMBERS = 2;

export interface AlternativeDraft {
  id: Located<string>;
  title: string;
  summary: string;
  default: Located<string> | undefined;
  topics: Located<string>[];
}

/** Reads the `alternatives` list of a roadmap.yaml (absent means no sets). */
export function readAlternatives(fields: FieldReader, yaml: YamlFile): AlternativeDraft[] {
  const nodes = fields.list('alternatives', true) ?? [];
  const sets: AlternativeDraft[] = [];
  const lineOfId = new Map<string, number>();
  nodes.forEach((node, index) => {
    const map = asMap(yaml, node, `alternative set ${index + 1}`);
    if (!map) return;
    const rawId = map.get('id');
    const label =
      typeof rawId === 'string' && rawId ? `alternative set "${rawId}"` : `alternative set ${index + 1}`;
    const set = new FieldReader(yaml, map, label, SET_KEYS);
    const id = set.text('id');
    if (!id) return;
    if (!isValidId(id.value)) set.problem(id.line, invalidIdMessage('alternative set id', id.value));
    const earlier = lineOfId.get(id.value);
    if (earlier !== undefined) {
      set.problem(id.line, `duplicate alternative set id "${id.value}" (also on line ${earlier})`);
    }
    lineOfId.set(id.value, id.line);
    const topics = set.textList('topics') ?? [];
    if (set.has('topics') && topics.length < MIN_MEMBERS) {
      set.problem(
        set.lineOfKey('topics'),
        `"topics" needs at least ${MIN_MEMBERS} topic ids to choose from, got ${topics.length}`,
      );
    }
    sets.push({
      id,
      title: set.text('title')?.value ?? id.value,
      summary: set.text('summary', true)?.value ?? '',
      default: set.text('default'),
      topics,
    });
  });
  return sets;
}

/**
 * Checks each set against the roadmap's placements: every member is a topic placed in one of this
 * roadmap's steps, a topic is in at most one set, members are not repeated, and `default` is a member.
 * Returns the sets that passed, so content with errors is never built.
 */
export function checkAlternatives(
  file: string,
  drafts: AlternativeDraft[],
  placed: ReadonlySet<string>,
  topics: ReadonlyMap<string, TopicDraft>,
  log: ProblemLog,
): AlternativeSet[] {
  const setOf = new Map<string, string>();
  const sets: AlternativeSet[] = [];
  for (const draft of drafts) {
    const label = `alternative set "${draft.id.value}"`;
    let valid = draft.topics.length >= MIN_MEMBERS && draft.default !== undefined;
    const members: string[] = [];
    for (const member of draft.topics) {
      const other = setOf.get(member.value);
      const problem = members.includes(member.value)
        ? `topic "${member.value}" is listed twice`
        : other !== undefined
          ? `topic "${member.value}" is already in alternative set "${other}": a topic belongs to at most one set`
          : !topics.has(member.value)
            ? `unknown topic "${member.value}"`
            : !placed.has(member.value)
              ? `topic "${member.value}" is not placed in any step of this roadmap: add it to a group first`
              : undefined;
      if (problem) {
        log.error(file, member.line, `${label}: ${problem}`);
        valid = false;
      } else {
        members.push(member.value);
        setOf.set(member.value, draft.id.value);
      }
    }
    const fallback = draft.default;
    if (fallback && !draft.topics.some((member) => member.value === fallback.value)) {
      log.error(
        file,
        fallback.line,
        `${label}: default "${fallback.value}" is not one of its topics (${draft.topics.map((t) => t.value).join(', ')})`,
      );
      valid = false;
    }
    if (!valid || !fallback) continue;
    sets.push({
      id: draft.id.value,
      title: draft.title,
      summary: draft.summary,
      defaultTopicId: fallback.value,
      topicIds: members,
      required: members.some((id) => topics.get(id)?.optional === false),
    });
  }
  return sets;
}
