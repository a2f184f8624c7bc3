import { checkAlternatives } from './content.alternatives.js';
import { closestMatch } from './content.ids.js';
import type { ProblemLog } from './content.problems.js';
import type { RoadmapDraft } from './content.roadmap.js';
import type { TopicDraft } from './content.topic.js';
import type { AlternativeSet, RetiredTopic } from './content.types.js';
import type { Located } from './content.yaml.js';

// Checks that need several files at once: ids across roadmaps, placements, aliases, retired ids and
// the prerequisite graph. Each problem is reported in the file a writer must edit to fix it.

export interface ContentDrafts {
  /** Sorted by file path. */
  topics: TopicDraft[];
  roadmaps: RoadmapDraft[];
  retired: Located<RetiredTopic>[];
  retiredFile: string;
  /** False when a roadmap.yaml is missing or unreadable: placements are then unknown. */
  allRoadmapsRead: boolean;
}

/** What the cross-file checks learned, for building the final `Content`. */
export interface Links {
  topics: Map<string, TopicDraft>;
  aliases: Map<string, string>;
  retired: Map<string, RetiredTopic>;
  /** topicId -> ids of the roadmaps that place it */
  placedIn: Map<string, Set<string>>;
  /** roadmapId -> its valid alternative sets */
  alternatives: Map<string, AlternativeSet[]>;
}

/** Runs every cross-file check, reporting problems into `log`. */
export function linkContent(drafts: ContentDrafts, log: ProblemLog): Links {
  const topics = indexTopics(drafts.topics, log);
  const retired = indexRetired(drafts, topics, log);
  const aliases = indexAliases(topics, retired, drafts.retiredFile, log);
  const resolve = new TopicResolver(topics, aliases, retired);
  const placedIn = new Map<string, Set<string>>();
  const alternatives = new Map<string, AlternativeSet[]>();
  for (const roadmap of drafts.roadmaps) {
    const placed = placeTopics(roadmap, resolve, placedIn, log);
    alternatives.set(roadmap.id, checkAlternatives(roadmap.file, roadmap.alternatives, placed, topics, log));
  }
  // With a roadmap unreadable, "not placed anywhere" would be a guess: its own error is enough.
  for (const topic of drafts.allRoadmapsRead ? topics.values() : []) {
    if (!placedIn.has(topic.id)) {
      log.error(
        topic.source.file,
        topic.idLine,
        `topic "${topic.id}" is not placed in any roadmap step (unreachable): add it to a group in a roadmap.yaml`,
      );
    }
  }
  checkPrerequisites(topics, resolve, log);
  return { topics, aliases, retired, placedIn, alternatives };
}

function indexTopics(drafts: TopicDraft[], log: ProblemLog): Map<string, TopicDraft> {
  const topics = new Map<string, TopicDraft>();
  for (const draft of drafts) {
    const first = topics.get(draft.id);
    if (first) {
      log.error(
        draft.source.file,
        draft.idLine,
        `duplicate topic id "${draft.id}": also defined in ${first.source.file}`,
      );
    } else {
      topics.set(draft.id, draft);
    }
  }
  return topics;
}

function indexRetired(
  drafts: ContentDrafts,
  topics: Map<string, TopicDraft>,
  log: ProblemLog,
): Map<string, RetiredTopic> {
  const retired = new Map<string, RetiredTopic>();
  for (const { value, line } of drafts.retired) {
    const live = topics.get(value.id);
    if (live) {
      log.error(
        drafts.retiredFile,
        line,
        `retired id "${value.id}" is still a live topic (${live.source.file})`,
      );
    }
    retired.set(value.id, value);
  }
  return retired;
}

function indexAliases(
  topics: Map<string, TopicDraft>,
  retired: Map<string, RetiredTopic>,
  retiredFile: string,
  log: ProblemLog,
): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const topic of topics.values()) {
    for (const alias of topic.aliases) {
      const report = (message: string): void => log.error(topic.source.file, alias.line, message);
      const live = topics.get(alias.value);
      const owner = aliases.get(alias.value);
      if (live)
        report(
          `alias "${alias.value}" collides with the live topic id "${alias.value}" (${live.source.file})`,
        );
      else if (owner === topic.id) report(`alias "${alias.value}" is listed twice`);
      else if (owner) report(`alias "${alias.value}" appears twice: it is already an alias of "${owner}"`);
      else if (retired.has(alias.value)) report(`alias "${alias.value}" is also retired in ${retiredFile}`);
      else aliases.set(alias.value, topic.id);
    }
  }
  return aliases;
}

/** Turns an id written in a roadmap or a prerequisite list into a live topic, or explains why not. */
class TopicResolver {
  constructor(
    private readonly topics: Map<string, TopicDraft>,
    private readonly aliases: Map<string, string>,
    private readonly retired: Map<string, RetiredTopic>,
  ) {}

  /** The topic, or a hint saying why the id cannot be used, to append to "unknown topic "x"". */
  resolve(id: string): TopicDraft | string {
    const topic = this.topics.get(id);
    if (topic) return topic;
    const survivor = this.aliases.get(id);
    if (survivor) return ` (an old id of "${survivor}": use "${survivor}")`;
    if (this.retired.has(id)) return ' (it is retired)';
    const guess = closestMatch(id, this.topics.keys(), 1);
    return guess ? `; did you mean "${guess}"?` : ` (no topics/${id}.md in any roadmap folder)`;
  }
}

function placeTopics(
  roadmap: RoadmapDraft,
  resolver: TopicResolver,
  placedIn: Map<string, Set<string>>,
  log: ProblemLog,
): Set<string> {
  const lineOf = new Map<string, number>();
  const mentioned = new Set<string>();
  for (const step of roadmap.steps) {
    for (const ref of step.groups.flatMap((group) => group.topics)) {
      mentioned.add(ref.value);
      const topic = resolver.resolve(ref.value);
      const earlier = lineOf.get(ref.value);
      if (typeof topic === 'string') {
        log.error(roadmap.file, ref.line, `unknown topic "${ref.value}"${topic}`);
      } else if (earlier !== undefined) {
        log.error(
          roadmap.file,
          ref.line,
          `topic "${ref.value}" is placed twice in this roadmap (first on line ${earlier})`,
        );
      } else {
        lineOf.set(ref.value, ref.line);
        placedIn.set(topic.id, (placedIn.get(topic.id) ?? new Set()).add(roadmap.id));
      }
    }
  }
  for (const tool of roadmap.tools) {
    if (!mentioned.has(tool.value)) {
      log.error(
        roadmap.file,
        tool.line,
        `tools entry "${tool.value}" is not placed in any step of this roadmap`,
      );
    }
  }
  return new Set(lineOf.keys());
}

function checkPrerequisites(topics: Map<string, TopicDraft>, resolver: TopicResolver, log: ProblemLog): void {
  const graph = new Map<string, Located<string>[]>();
  for (const topic of topics.values()) {
    const edges: Located<string>[] = [];
    for (const prerequisite of topic.prerequisites) {
      const found = resolver.resolve(prerequisite.value);
      const problem =
        typeof found === 'string'
          ? `unknown prerequisite "${prerequisite.value}"${found}`
          : found.id === topic.id
            ? 'a topic cannot be its own prerequisite'
            : edges.some((edge) => edge.value === found.id)
              ? `prerequisite "${found.id}" is listed twice`
              : undefined;
      if (problem) log.error(topic.source.file, prerequisite.line, problem);
      else edges.push(prerequisite);
    }
    graph.set(topic.id, edges);
  }
  for (const cycle of findCycles(graph)) {
    const [first, second] = cycle;
    const topic = first === undefined ? undefined : topics.get(first);
    const edge = graph.get(first ?? '')?.find((candidate) => candidate.value === second);
    if (topic)
      log.error(topic.source.file, edge?.line ?? topic.idLine, `prerequisite cycle: ${cycle.join(' -> ')}`);
  }
}

/**
 * Cycles in the prerequisite graph, each as a closed path starting at its alphabetically first topic
 * (`[a, b, a]`), so the same cycle is reported once and the same way on every run.
 */
export function findCycles(graph: Map<string, Located<string>[]>): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const cycles = new Map<string, string[]>();
  const visit = (id: string): void => {
    state.set(id, 'open');
    path.push(id);
    for (const { value: next } of graph.get(id) ?? []) {
      if (state.get(next) === 'open') {
        const cycle = rotateToSmallest(path.slice(path.indexOf(next)));
        cycles.set(cycle.join(' '), [...cycle, cycle[0] ?? next]);
      } else if (!state.has(next)) {
        visit(next);
      }
    }
    path.pop();
    state.set(id, 'done');
  };
  for (const id of [...graph.keys()].sort()) if (!state.has(id)) visit(id);
  return [...cycles.values()];
}

function rotateToSmallest(cycle: string[]): string[] {
  const smallest = [...cycle].sort()[0];
  const start = smallest === undefined ? 0 : cycle.indexOf(smallest);
  return [...cycle.slice(start), ...cycle.slice(0, start)];
}
