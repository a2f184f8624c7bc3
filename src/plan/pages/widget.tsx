import type { VNode } from 'preact';
import { StatusBadge } from '../../web/components/progress.js';
import { topicPath } from '../../web/components/topic.js';
import type { PlanView } from '../plan.service.js';
import { hours } from './format.js';
import { PlanStateBadge } from './plan.page.js';

/** The home page's "this week" box: the current week's goals and where the learner stands. */
export function PlanHomeWidget({ plan }: { plan: PlanView }): VNode {
  const week = plan.weeks.find((w) => w.current);
  return (
    <section class="card plan-widget" aria-labelledby="plan-widget-title">
      <h2 id="plan-widget-title">This week in your plan</h2>
      <p>
        <PlanStateBadge plan={plan} /> <span class="muted">· {plan.roadmapTitle}</span>
      </p>
      {week && week.items.length > 0 ? (
        <ul class="goals plain-list">
          {week.items.map((item) => (
            <li key={`${item.topicId}-${item.part}`} class="goal">
              <StatusBadge status={item.status} />
              <span class="goal-title">
                <a href={topicPath(plan.roadmapId, item.topicId)}>{item.title}</a>
                {item.parts > 1 ? (
                  <span class="goal-part">
                    part {item.part}/{item.parts}
                  </span>
                ) : null}
              </span>
              <span class="goal-hours">{hours(item.hours)} h</span>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">{week?.off ? 'A week off. Enjoy it.' : 'Nothing planned this week.'}</p>
      )}
      <p>
        <a href={`/roadmaps/${plan.roadmapId}/plan${week ? `#week-${week.index + 1}` : ''}`}>
          Open your plan
        </a>
      </p>
    </section>
  );
}
