import type { Selectable } from 'kysely';

// The tables of mentoring: cohorts, memberships, invites, shared notes, the cohort table's learner
// summaries, public profiles and feedback comments. `schema.ts` lists them in `Database` and re-exports them.

// Cohorts (src/cohorts) ------------------------------------------------------------------------

/** A group of learners following the same roadmap(s) from the same start, with mentors. */
export interface CohortsTable {
  id: string;
  name: string;
  /** `YYYY-MM-DD`: learners' plans start here by default. */
  start_date: string;
  target_weeks: number;
  hours_per_week: number;
  /** 1: mentors see learners' email addresses, and the consent screen says so. */
  requires_email: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface CohortRoadmapsTable {
  cohort_id: string;
  roadmap_id: string;
  /** Order shown; the first is the cohort's main roadmap. */
  position: number;
}

/** An active membership; leaving or removal deletes the row. */
export interface CohortMembersTable {
  cohort_id: string;
  user_id: string;
  role: 'learner' | 'mentor';
  /** The name mentors and the cohort see (never the email, unless the cohort requires it). */
  display_name: string;
  /** 1: the learner lets this cohort's mentors read their weekly check-in reflections. */
  share_reflections: number;
  /** When the learner accepted the consent screen (null for mentors appointed by an admin). */
  consented_at: string | null;
  joined_at: string;
}

/** Invite links; only the SHA-256 of the token is stored. */
export interface CohortInvitesTable {
  id: string;
  cohort_id: string;
  token_hash: string;
  /** Lower-case domain the joining account's email must end in (`example.org`), or null for anyone. */
  email_domain: string | null;
  created_by: string | null;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  uses: number;
}

/** A note the learner shows to their mentors; every other note is private. */
export interface SharedNotesTable {
  user_id: string;
  topic_id: string;
  shared_at: string;
}

/**
 * What the mentor's table shows about one learner of a cohort on one of its roadmaps, recomputed from
 * the other features' read functions after each of the learner's writes (and when a day has passed).
 * Made (empty, `computed_on` '') when the learner joins; removed when they leave.
 */
export interface LearnerSummariesTable {
  cohort_id: string;
  roadmap_id: string;
  user_id: string;
  /** The member's name in the cohort and when they joined (copied, so the table reads one table). */
  display_name: string;
  joined_at: string;
  done: number;
  total: number;
  percent: number; // 0–100, rounded down
  steps: string; // JSON array of { stepId, done, total }
  plan_state: 'none' | 'on-track' | 'ahead' | 'behind';
  behind_hours: number; // hours behind the plan (negative: ahead)
  forecast_finish: string | null;
  /** `YYYY-MM-DD` in the learner's time zone. */
  last_active_day: string | null;
  /** The streak as of `last_active_day`, current until `streak_until`; inactive from `inactive_from` (015). */
  streak_days: number;
  streak_until: string | null;
  inactive_from: string | null;
  verified_projects: number;
  review_due: number; // review cards due when computed
  /** When the learner's longest-running `learning` topic entered `learning` (ISO), or null. */
  learning_since: string | null;
  stuck_topic_id: string | null;
  /** `YYYY-MM-DD` (UTC) the row was computed ('' not yet); rows from an earlier day are recomputed when read. */
  computed_on: string;
  updated_at: string;
}

export type CohortRow = Selectable<CohortsTable>;
export type CohortMemberRow = Selectable<CohortMembersTable>;
export type CohortInviteRow = Selectable<CohortInvitesTable>;
export type LearnerSummaryRow = Selectable<LearnerSummariesTable>;
/** A learner's public profile settings (opt-in; nothing is public while `public` is 0). */
export interface ProfilesTable {
  user_id: string;
  /** As the learner typed it (shown); `handle_key` is its lower-cased form (unique, looked up). */
  handle: string;
  handle_key: string;
  display_name: string;
  public: number;
  created_at: string;
  updated_at: string;
}

export type ProfileRow = Selectable<ProfilesTable>;

/** A mentor's comment on a learner's topic or project run, or the learner's reply (Markdown). */
export interface FeedbackCommentsTable {
  id: string;
  /** Whose learning the thread is about. */
  learner_id: string;
  author_id: string;
  /** The cohort the mentor commented through (null for the learner's replies). */
  cohort_id: string | null;
  roadmap_id: string;
  topic_id: string | null;
  run_id: string | null;
  body: string;
  created_at: string;
  /** When the learner saw a mentor's comment (null: unread); unused on the learner's own replies. */
  read_at: string | null;
}

export type FeedbackCommentRow = Selectable<FeedbackCommentsTable>;
