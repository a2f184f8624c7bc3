import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadValidContent } from '../bootstrap.js';
import { runChecks } from '../projects/runner.js';
import type { CheckResult, RunOutcome } from '../projects/runner.js';

// `waymark check <project> --url <baseUrl>`: the checks Waymark runs on a project, run from the
// learner's own machine (loopback and private addresses allowed: it is their network), with a report
// they can read in a terminal or a CI log.

export interface CheckOptions {
  url: string;
  contentDir: string;
  /** Accept self-signed certificates (a local HTTPS capstone). */
  insecure?: boolean;
  timeoutMs?: number;
}

const BUNDLED_CONTENT = fileURLToPath(new URL('../../roadmaps/', import.meta.url));

const mark = (passed: boolean): string => (passed ? '✔' : '✘');

function describeCheck(check: CheckResult): string[] {
  const status = check.status === null ? 'no response' : String(check.status);
  const lines = [
    `${mark(check.passed)} ${check.name}  (${check.method} ${check.url} → ${status}, ${check.durationMs} ms)`,
  ];
  // Without a response every assertion fails for the same reason: say it once.
  if (check.status === null) return [...lines, `    ! ${check.error ?? 'no response'}`];
  for (const assertion of check.assertions) {
    if (assertion.passed) lines.push(`    ✔ ${assertion.name}`);
    else lines.push(`    ✘ ${assertion.name}${assertion.error ? `: ${assertion.error}` : ''}`);
  }
  if (check.error) lines.push(`    ! ${check.error}`);
  return lines;
}

function summary(run: RunOutcome, required: string[] | undefined): string {
  const passed = run.checks.filter((check) => check.passed).length;
  const seconds = (run.durationMs / 1000).toFixed(1);
  const counts = `${passed}/${run.checks.length} checks passed in ${seconds} s`;
  if (run.outcome === 'errored') return `ERRORED — ${run.error ?? 'the run stopped'} (${counts})`;
  const missing = required?.filter(
    (name) => !run.checks.some((check) => check.name === name && check.passed),
  );
  return run.outcome === 'passed' && !missing?.length ? `PASSED — ${counts}` : `FAILED — ${counts}`;
}

/**
 * Runs project `projectId`'s checks against `options.url`, writing the report line by line to `out`.
 * Returns the exit code: 0 only when every check passed, 1 when a check failed or the run errored,
 * 2 for a usage mistake (unknown project).
 */
export async function runCheck(
  projectId: string,
  options: CheckOptions,
  out: (line: string) => void,
): Promise<number> {
  // Run from a learner's own project (`npx waymark check …` in their CI) there is no ./roadmaps:
  // use the projects this copy of Waymark ships with.
  const dir = existsSync(options.contentDir) ? options.contentDir : BUNDLED_CONTENT;
  const content = await loadValidContent(dir);
  const project = content.projects.get(projectId);
  if (!project) {
    out(
      `waymark check: there is no project "${projectId}". Projects: ${[...content.projects.keys()].join(', ')}`,
    );
    return 2;
  }
  out(`${project.title} — ${project.checkCount} checks against ${options.url}`);
  out('');
  const run = await runChecks({
    collection: project.collection,
    baseUrl: options.url,
    insecureTls: options.insecure === true,
    ...(options.timeoutMs ? { limits: { totalTimeoutMs: options.timeoutMs } } : {}),
    onCheck: (check) => describeCheck(check).forEach((line) => out(line)),
  });
  out('');
  out(summary(run, project.requiredChecks));
  return run.outcome === 'passed' ? 0 : 1;
}
