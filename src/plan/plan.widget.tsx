import type { HomeWidget } from '../web/home-widgets.js';
import * as plans from './plan.service.js';
import { PlanHomeWidget } from './pages/widget.js';

/** The home page's "this week" box: the goals of the current week of the learner's newest plan. */
export const planHomeWidget: HomeWidget = {
  id: 'plan-this-week',
  order: 20,
  // Its goal rows (badge, title, part, hours) are styled by the plan's stylesheet.
  styles: ['plan/plan'],
  async render({ app, user }) {
    if (!user) return null;
    const newest = await plans.newestPlanRow(app.db.kysely, user.id);
    const roadmap = newest ? app.content().roadmaps.get(newest.roadmap_id) : undefined;
    if (!roadmap) return null;
    const plan = await plans.getPlan(
      app.db.kysely,
      app.content(),
      roadmap,
      { id: user.id, timeZone: newest!.time_zone },
      app.clock.now(),
    );
    return <PlanHomeWidget plan={plan} />;
  },
};
