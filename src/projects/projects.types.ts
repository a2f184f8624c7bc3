import type { Difficulty } from '../content/content.types.js';

// A hands-on project of a roadmap: a brief saying what to build and a Postman Collection v2.1 whose
// requests and `pm.test` assertions are the checks Waymark runs against the learner's API.
// Loaded from `roadmaps/<roadmap>/projects/<id>.md` and `<id>.postman_collection.json`.

export interface Project {
  id: string;
  roadmapId: string;
  title: string;
  /** Id of the roadmap step the project belongs to. */
  step: string;
  difficulty: Difficulty;
  estimateHours: number;
  /** Topic ids the project proves. */
  topics: string[];
  /** Plain text: the brief's first paragraph, at most 300 characters. */
  summary: string;
  briefMarkdown: string;
  hints: string[];
  /** "What this proves": one sentence each. */
  proves: string[];
  capstone: boolean;
  /** The parsed Postman Collection v2.1 JSON. */
  collection: unknown;
  /** The collection file's exact text, served for download so the learner runs the very same checks. */
  collectionJson: string;
  /** sha256 hex of `collectionJson`: evidence names the checks it ran. */
  collectionHash: string;
  /** Number of requests (checks) in the collection. */
  checkCount: number;
  /** Names of the checks that must pass for the project to count as verified; absent means all. */
  requiredChecks?: string[];
}
