import type { VNode } from 'preact';
import { Icon } from '../../web/components/icons.js';
import type { PlanView } from '../plan.presenter.js';
import type { PlanState, VersionReason } from '../plan.tracking.js';
import { hoursText, plural } from './format.js';

// How a plan's state and a version's reason are put in words (and an icon), on every plan page.

export const STATE_TEXT: Record<PlanState, string> = {
  'not-started': 'Not started yet',
  'on-track': 'On track',
  ahead: 'Ahead',
  behind: 'Behind',
  'over-target': 'Ends after your target',
  finished: 'Finished',
};

const STATE_ICON: Record<PlanState, 'pending' | 'done' | 'learning' | 'arrowRight' | 'official'> = {
  'not-started': 'pending',
  'on-track': 'done',
  ahead: 'arrowRight',
  behind: 'learning',
  'over-target': 'learning',
  finished: 'official',
};

export const REASON_TEXT: Record<VersionReason, string> = {
  created: 'Plan created',
  settings: 'Settings changed',
  'replan-extend': 'Re-planned: same hours, later finish',
  'replan-keep-finish': 'Re-planned: kept the finish date',
  imported: 'Imported',
};

/** "Behind by 12 hours" or "Ends after your target by 24 weeks" as icon + words. */
export function PlanStateBadge({ plan }: { plan: Pick<PlanView, 'status'> }): VNode {
  const { state, hoursAhead, weeksLate } = plan.status;
  const detail =
    state === 'ahead' || state === 'behind'
      ? ` by ${hoursText(Math.abs(hoursAhead))}`
      : state === 'over-target'
        ? ` by ${plural(weeksLate, 'week')}`
        : '';
  return (
    <span class={`plan-state state-${state}`}>
      <Icon name={STATE_ICON[state]} />
      <span>
        {STATE_TEXT[state]}
        {detail}
      </span>
    </span>
  );
}
