// Words and keys for the four statuses, shared by the server-rendered pages and the client islands
// (so this module imports nothing). Status is never shown by colour alone: always icon + word.

export type WebStatus = 'pending' | 'learning' | 'done' | 'skipped';

export const STATUS_WORD: Record<WebStatus, string> = {
  pending: 'Not started',
  learning: 'Learning',
  done: 'Done',
  skipped: 'Skipped',
};

/** The status buttons, in the order shown, with their keyboard shortcut. */
export const STATUS_ACTIONS: { status: WebStatus; label: string; key: string }[] = [
  { status: 'done', label: 'Done', key: 'd' },
  { status: 'learning', label: 'Learning', key: 'l' },
  { status: 'skipped', label: 'Skip', key: 's' },
  { status: 'pending', label: 'Reset', key: 'r' },
];

export function isWebStatus(value: unknown): value is WebStatus {
  return value === 'pending' || value === 'learning' || value === 'done' || value === 'skipped';
}

/** The accessible name of a diagram node or list entry: "HTTP basics, Done". */
export function topicLabel(title: string, status: WebStatus, optional = false): string {
  return `${title}, ${STATUS_WORD[status]}${optional ? ', optional' : ''}`;
}
