import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ProjectRunRow } from '../db/schema.js';

// Prometheus metrics of check runs: how runs end, how long they take, and how many wait or execute.
// Counted by the process that finishes a run (with BullMQ, possibly another instance or a worker).

export interface RunMetrics {
  finished(run: ProjectRunRow): void;
}

export function registerRunMetrics(registry: Registry, queueDepth: () => Promise<number>): RunMetrics {
  const outcomes = new Counter({
    name: 'waymark_check_runs_total',
    help: 'Project check runs by final state',
    labelNames: ['state'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'waymark_check_run_duration_seconds',
    help: 'Project check run duration, from start to final state',
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [registry],
  });
  new Gauge({
    name: 'waymark_check_queue_depth',
    help: 'Project check runs waiting or executing',
    registers: [registry],
    async collect() {
      this.set(await queueDepth().catch(() => 0));
    },
  });
  return {
    finished(run) {
      outcomes.labels(run.state).inc();
      if (run.started_at && run.finished_at) {
        duration.observe(Math.max(0, Date.parse(run.finished_at) - Date.parse(run.started_at)) / 1000);
      }
    },
  };
}
