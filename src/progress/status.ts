// The four statuses of a topic: the one definition every layer uses (API schemas, scheduler, pages,
// client islands). Imports nothing, so browser code can use it too.

export const STATUSES = ['pending', 'learning', 'done', 'skipped'] as const;

export type Status = (typeof STATUSES)[number];

export function isStatus(value: unknown): value is Status {
  return (STATUSES as readonly unknown[]).includes(value);
}

/** Done or skipped: nothing is left to study (plans and summaries count both as finished). */
export function isFinished(status: Status | undefined): boolean {
  return status === 'done' || status === 'skipped';
}
