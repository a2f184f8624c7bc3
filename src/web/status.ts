// Words and keys for the four statuses, shared by the server-rendered pages and the client islands
// (so this module imports only the status list). Status is never shown by colour alone: always icon + word.

import type { Status } from '../progress/status.js';

export const STATUS_WORD: Record<Status, string> = {
  pending: 'Not started',
  learning: 'Learning',
  done: 'Done',
  skipped: 'Skipped',
};

/** The status buttons, in the order shown, with their keyboard shortcut. */
export const STATUS_ACTIONS: { status: Status; label: string; key: string }[] = [
  { status: 'done', label: 'Done', key: 'd' },
  { status: 'learning', label: 'Learning', key: 'l' },
  { status: 'skipped', label: 'Skip', key: 's' },
  { status: 'pending', label: 'Reset', key: 'r' },
];

/** The accessible name of a diagram node or list entry: "HTTP basics, Done". */
export function topicLabel(title: string, status: Status, optional = false): string {
  return `${title}, ${STATUS_WORD[status]}${optional ? ', optional' : ''}`;
}
