import { createHash } from 'node:crypto';
import { parseCardsFile } from './content.cards.js';
import { readContentTree } from './content.files.js';
import type { ContentTree } from './content.files.js';
import { linkContent } from './content.links.js';
import type { ContentDrafts, Links } from './content.links.js';
import { ProblemLog } from './content.problems.js';
import { checkCurriculum } from './content.rules.js';
import { parseRetiredFile, parseRoadmapFile } from './content.roadmap.js';
import type { RoadmapDraft } from './content.roadmap.js';
import { parseTopicFile } from './content.topic.js';
import type { TopicDraft } from './content.topic.js';
import type { AlternativeSet, Card, Content, LintProblem, Roadmap, Step, Topic } from './content.types.js';
import { loadProjects } from '../projects/projects.content.js';
import type { Project } from '../projects/projects.types.js';
import { countWords, markdownToPlainText, renderMarkdown, summarizeMarkdown } from './markdown.js';

/** What was found, even when errors keep `content` from being built: the lint summary counts it. */
export interface ContentStats {
  topics: number;
  cards: number;
  roadmaps: number;
  /** Absent when the content has no projects. */
  projects?: number;
}

export interface LoadResult {
  /** null when any problem is an error: the server must not start on broken content. */
  content: Content | null;
  /** Every problem, sorted by file then line. */
  problems: LintProblem[];
  stats: ContentStats;
}

/**
 * Loads and validates the content folder (normally `roadmaps/`). All problems are collected rather
 * than stopping at the first, so `waymark lint` shows a writer everything to fix in one run.
 *
 * @example
 * const { content, problems } = await loadContent('roadmaps');
 * if (!content) throw new Error(problems.map(formatProblem).join('\n'));
 */
export async function loadContent(dir: string): Promise<LoadResult> {
  const log = new ProblemLog();
  const tree = await readContentTree(dir, log);
  if (!tree) return { content: null, problems: log.sorted(), stats: { topics: 0, cards: 0, roadmaps: 0 } };
  const drafts = parseTree(tree, log);
  const links = linkContent(drafts, log);
  checkCurriculum(drafts.roadmaps, links, log);
  const topicIds = new Set(links.topics.keys());
  const projects = await loadProjects(
    dir,
    drafts.roadmaps.map((roadmap) => ({
      roadmapId: roadmap.id,
      stepIds: roadmap.steps.map((s) => s.id),
      topicIds,
    })),
    log,
  );
  const stats = {
    topics: drafts.topics.length,
    cards: drafts.topics.reduce((sum, topic) => sum + topic.cards.length, 0),
    roadmaps: drafts.roadmaps.length,
    ...(projects.size > 0 ? { projects: projects.size } : {}),
  };
  const content = log.hasErrors ? null : buildContent(drafts, links, tree.version, projects);
  return { content, problems: log.sorted(), stats };
}

function parseTree(tree: ContentTree, log: ProblemLog): ContentDrafts {
  const topics: TopicDraft[] = [];
  const roadmaps: RoadmapDraft[] = [];
  let allRoadmapsRead = true;
  for (const folder of tree.folders) {
    if (folder.roadmap) {
      const roadmap = parseRoadmapFile(folder.roadmap.text, folder.roadmap.display, folder.id, log);
      if (roadmap) roadmaps.push(roadmap);
      else allRoadmapsRead = false;
    } else {
      log.error(folder.roadmapPath, 1, 'missing roadmap.yaml: every roadmap folder needs one');
      allRoadmapsRead = false;
    }
    for (const file of folder.topics) {
      const fileId = file.repoPath.slice(file.repoPath.lastIndexOf('/') + 1, -'.md'.length);
      const source = {
        ...file,
        file: file.display,
        repoFile: file.repoPath,
        fileId,
        homeRoadmapId: folder.id,
      };
      const topic = parseTopicFile(source, log);
      const cards = folder.cards.get(fileId);
      if (cards) topic.cards = parseCardsFile(cards.text, cards.display, topic.id, log);
      else log.error(file.display, 1, `missing cards file ${fileId}.cards.yaml next to this topic`);
      folder.cards.delete(fileId);
      topics.push(topic);
    }
    for (const [id, orphan] of folder.cards) {
      log.error(orphan.display, 1, `cards without a topic: there is no ${id}.md next to this file`);
    }
  }
  const retired = tree.retired ? parseRetiredFile(tree.retired.text, tree.retired.display, log) : [];
  return { topics, roadmaps, retired, retiredFile: tree.retiredPath, allRoadmapsRead };
}

function buildContent(
  drafts: ContentDrafts,
  links: Links,
  treeVersion: string,
  projects: Map<string, Project>,
): Content {
  const roadmapList = drafts.roadmaps
    .map((draft) => buildRoadmap(draft, links))
    .sort(
      (a, b) =>
        Number(b.id === 'backend') - Number(a.id === 'backend') || a.title.localeCompare(b.title, 'en'),
    );
  const order = roadmapList.map((roadmap) => roadmap.id);
  const topics = new Map<string, Topic>();
  const cards = new Map<string, Card>();
  for (const draft of links.topics.values()) {
    const placedIn = links.placedIn.get(draft.id) ?? new Set<string>();
    topics.set(
      draft.id,
      buildTopic(
        draft,
        order.filter((id) => placedIn.has(id)),
      ),
    );
    for (const card of draft.cards) cards.set(card.key, card);
  }
  return {
    roadmaps: new Map(roadmapList.map((roadmap) => [roadmap.id, roadmap])),
    roadmapList,
    topics,
    aliases: links.aliases,
    retired: links.retired,
    cards,
    projects,
    version: withProjects(treeVersion, projects),
  };
}

/** The content version also changes when a project's checks do (their hash covers the file bytes). */
function withProjects(treeVersion: string, projects: Map<string, Project>): string {
  if (projects.size === 0) return treeVersion;
  const hash = createHash('sha256').update(treeVersion);
  for (const project of projects.values())
    hash.update(`\0${project.id}\0${project.collectionHash}\0${project.briefMarkdown}`);
  return hash.digest('hex').slice(0, 16);
}

function buildRoadmap(draft: RoadmapDraft, links: Links): Roadmap {
  const steps: Step[] = draft.steps.map((step) => {
    const groups = step.groups.map((group) => ({
      title: group.title,
      topicIds: group.topics.map((topic) => topic.value),
    }));
    return {
      id: step.id,
      title: step.title,
      summary: step.summary,
      groups,
      topicIds: groups.flatMap((g) => g.topicIds),
    };
  });
  const stepOf = new Map(steps.flatMap((step) => step.topicIds.map((id): [string, string] => [id, step.id])));
  const placed = steps.flatMap((step) => step.topicIds).map((id) => links.topics.get(id));
  const hours = (topics: typeof placed): number =>
    topics.reduce((sum, topic) => sum + (topic?.estimateHours ?? 0), 0);
  const alternatives = links.alternatives.get(draft.id) ?? [];
  const alternativeOf = new Map(
    alternatives.flatMap((set) => set.topicIds.map((id): [string, AlternativeSet] => [id, set])),
  );
  // The required path takes one member of each required set: the default, until the learner chooses.
  const requiredPath = placed.filter((topic) => {
    if (!topic) return false;
    const set = alternativeOf.get(topic.id);
    return set ? set.required && set.defaultTopicId === topic.id : !topic.optional;
  });
  return {
    id: draft.id,
    title: draft.title,
    summary: draft.summary,
    weeks: draft.weeks,
    hoursPerWeek: draft.hoursPerWeek,
    steps,
    tools: draft.tools.map((tool) => tool.value),
    topicIds: steps.flatMap((step) => step.topicIds),
    totalHours: hours(placed),
    requiredHours: hours(requiredPath),
    stepOf,
    alternatives,
    alternativeOf,
  };
}

function buildTopic(draft: TopicDraft, roadmapIds: string[]): Topic {
  return {
    id: draft.id,
    title: draft.title,
    estimateHours: draft.estimateHours,
    difficulty: draft.difficulty,
    optional: draft.optional,
    prerequisites: draft.prerequisites.map((prerequisite) => prerequisite.value),
    tools: draft.tools,
    aliases: draft.aliases.map((alias) => alias.value),
    checklist: draft.checklist,
    resources: draft.resources,
    bodyMarkdown: draft.bodyMarkdown,
    bodyHtml: renderMarkdown(draft.bodyMarkdown),
    summary: summarizeMarkdown(draft.bodyMarkdown),
    wordCount: countWords(markdownToPlainText(draft.bodyMarkdown)),
    cards: draft.cards,
    file: draft.source.repoFile,
    homeRoadmapId: draft.source.homeRoadmapId,
    roadmapIds,
  };
}
