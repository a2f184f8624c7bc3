import type { Project } from '../projects/projects.types.js';

// Domain types for roadmap content. Other features (pages, progress, plan, review) code against these,
// so names only ever gain fields; see docs/content-format.md for the files they are loaded from.

export type ResourceType = 'official' | 'article' | 'video' | 'course' | 'book' | 'tool';
export type Difficulty = 'beginner' | 'intermediate' | 'advanced';

export interface Resource {
  type: ResourceType;
  title: string;
  url: string;
}

export interface ChecklistItem {
  /** Kebab slug of the text, unique within the topic. */
  id: string;
  text: string;
}

export interface Card {
  /** `${topicId}/${cardId}`: review history is keyed by it. */
  key: string;
  id: string;
  topicId: string;
  type: 'basic' | 'choice';
  question: string;
  /** For a choice card, the explanation shown after answering. */
  answer: string;
  choices?: string[];
  /** 0-based index into `choices`. */
  correct?: number;
}

export interface Topic {
  id: string;
  title: string;
  estimateHours: number;
  difficulty: Difficulty;
  optional: boolean;
  prerequisites: string[];
  tools: string[];
  aliases: string[];
  checklist: ChecklistItem[];
  resources: Resource[];
  bodyMarkdown: string;
  /** Safe HTML rendered from `bodyMarkdown`. */
  bodyHtml: string;
  /** Plain text: the first paragraph, at most 300 characters, cut at a word. */
  summary: string;
  wordCount: number;
  cards: Card[];
  /** Path of the topic file relative to the repository (the parent of the content folder). */
  file: string;
  /** The roadmap folder the file lives in. */
  homeRoadmapId: string;
  /** Roadmaps that place the topic, in `Content.roadmapList` order. */
  roadmapIds: string[];
}

export interface Group {
  title: string;
  topicIds: string[];
}

export interface Step {
  id: string;
  title: string;
  summary: string;
  groups: Group[];
  /** All topics of the step's groups, flattened, in order. */
  topicIds: string[];
}

/**
 * A "choose one of" group of interchangeable topics in one roadmap (e.g. the first language). The
 * learner picks one member (else `defaultTopicId`); the planner schedules only that one and progress
 * in any member counts for the set.
 */
export interface AlternativeSet {
  id: string;
  title: string;
  summary: string;
  defaultTopicId: string;
  /** Members in the order written, at least two. */
  topicIds: string[];
  /** True when any member is not optional: the set is then on the required path, once. */
  required: boolean;
}

export interface Roadmap {
  id: string;
  title: string;
  summary: string;
  weeks: number;
  hoursPerWeek: number;
  steps: Step[];
  /** Topic ids forming the roadmap's "tools" section (each is also placed in a step). */
  tools: string[];
  /** Every topic, in step order. */
  topicIds: string[];
  /** Sum of the estimates of every topic, optional ones included. */
  totalHours: number;
  /** Sum of the estimates of the non-optional topics, each required alternative set counted once (its default). */
  requiredHours: number;
  /** topicId -> stepId */
  stepOf: Map<string, string>;
  /** "Choose one of" sets, in the order written (empty when the roadmap has none). */
  alternatives: AlternativeSet[];
  /** Member topicId -> its set in this roadmap. */
  alternativeOf: Map<string, AlternativeSet>;
}

export interface RetiredTopic {
  id: string;
  title: string;
  note?: string;
}

export interface Content {
  roadmaps: Map<string, Roadmap>;
  /** Sorted: backend first, then by title. */
  roadmapList: Roadmap[];
  topics: Map<string, Topic>;
  /** Alias id -> surviving topic id. */
  aliases: Map<string, string>;
  retired: Map<string, RetiredTopic>;
  /** By `Card.key`. */
  cards: Map<string, Card>;
  /** Hands-on projects of every roadmap, by id (see src/projects/). */
  projects: ReadonlyMap<string, Project>;
  /** sha256 of all content bytes, first 16 hex characters: changes whenever any content file does. */
  version: string;
}

export interface LintProblem {
  /** Path relative to the current working directory. */
  file: string;
  /** 1-based. */
  line: number;
  message: string;
  severity: 'error' | 'warning';
}
