import type http from 'node:http';
import type https from 'node:https';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { guardedAgents, type GuardPolicy } from './network-guard.js';
import { runAgents } from './runner.agents.js';
import { requestExcerpt, responseExcerpt } from './runner.excerpts.js';
import type { HeaderLike } from './runner.excerpts.js';

// Runs a project's Postman collection against a learner's API with newman's library API, the same
// engine as `npx newman run`, and turns newman's events into one result per check (per request).
// Network policy is the caller's: the API passes the network guard's agents, the CLI passes none.

export interface CheckAssertion {
  name: string;
  passed: boolean;
  error?: string;
}

export interface CheckResult {
  /** Position of the request in the collection, 0-based. */
  index: number;
  name: string;
  method: string;
  url: string;
  /** null when no response arrived. */
  status: number | null;
  durationMs: number;
  assertions: CheckAssertion[];
  passed: boolean;
  requestExcerpt?: string;
  /** At most 2 KB; credential headers and token-looking values masked. */
  responseExcerpt?: string;
  error?: string;
}

export interface RunLimits {
  totalTimeoutMs: number;
  requestTimeoutMs: number;
  maxResponseBytes: number;
  maxRequests: number;
}

export interface RunInput {
  collection: unknown;
  baseUrl: string;
  limits?: Partial<RunLimits>;
  /** Agents every request goes through; fresh agents when absent (and no `guard`). */
  requestAgents?: { http?: http.Agent; https?: https.Agent };
  /**
   * The network guard as data: the run builds its guarded agents from it where it executes (this
   * thread or a check worker thread, see runner.thread.ts), since agents cannot cross threads.
   */
  guard?: RunGuard;
  /** Accept any TLS certificate. For tests against self-signed fixtures only. */
  insecureTls?: boolean;
  signal?: AbortSignal;
  /**
   * Called as each check completes. A request the collection repeats (polling with
   * `pm.execution.setNextRequest`) reports again under the same index; the later result replaces the
   * earlier one and passes only if every attempt passed.
   */
  onCheck?: (result: CheckResult) => void;
}

/** What {@link guardedAgents} needs: the policy, the vetted addresses, and the TLS stance. */
export interface RunGuard {
  policy: GuardPolicy;
  pins: Record<string, { address: string; family: 4 | 6 }>;
  rejectUnauthorized: boolean;
}

export interface RunOutcome {
  outcome: 'passed' | 'failed' | 'errored';
  /** One per index, in collection order. */
  checks: CheckResult[];
  durationMs: number;
  error?: string;
}

export const DEFAULT_LIMITS: Readonly<RunLimits> = Object.freeze({
  totalTimeoutMs: 120_000,
  requestTimeoutMs: 10_000,
  maxResponseBytes: 256 * 1024,
  maxRequests: 200,
});

// Only the parts of newman (CommonJS, no bundled types) this file uses.
interface SdkList<T> {
  all(): T[];
}
interface SdkRequest {
  method: string;
  url: { toString(): string };
  headers: SdkList<HeaderLike>;
  body?: { mode?: string; raw?: string; toString(): string };
}
interface SdkResponse {
  code: number;
  status: string;
  headers: SdkList<HeaderLike>;
  stream?: Buffer;
  responseTime?: number;
}
interface Cursor {
  position: number;
}
interface NewmanEmitter {
  on(event: string, listener: (err: Error | null, args: Record<string, unknown>) => void): NewmanEmitter;
}
interface Newman {
  run(options: Record<string, unknown>, callback: (err: Error | null) => void): NewmanEmitter;
}

let newman: Newman | undefined;
function loadNewman(): Newman {
  // Loaded on first use: newman pulls in a large tree that a server with no project runs never needs.
  newman ??= createRequire(import.meta.url)('newman') as Newman;
  return newman;
}

/** `http(s)://host[:port][/path]` without a trailing slash, or an error message. */
export function normaliseBaseUrl(value: string): { url: string } | { error: string } {
  let parsed: URL;
  try {
    parsed = new URL(value.trim());
  } catch {
    return { error: `base URL "${value}" is not a URL; expected e.g. http://localhost:3000` };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { error: `base URL must start with http:// or https://, got "${value}"` };
  }
  if (parsed.username || parsed.password)
    return { error: 'base URL must not contain a user name or password' };
  if (parsed.search || parsed.hash) return { error: 'base URL must not contain a query or fragment' };
  return { url: `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}` };
}

interface Pending {
  index: number;
  name: string;
  started: number;
  result: CheckResult;
}

function excerptBody(buffer: Buffer | undefined): string {
  return buffer ? buffer.subarray(0, 8192).toString('utf8') : '';
}

/**
 * Runs every request of `collection` against `baseUrl` (its `{{baseUrl}}` variable) and reports each
 * check as it completes. Never throws: an unreachable target, a limit hit or a cancelled run ends
 * `errored` with a message a learner can act on.
 *
 * @example
 * const run = await runChecks({ collection: project.collection, baseUrl: 'http://localhost:3000' });
 * if (run.outcome !== 'passed') console.log(run.checks.filter((c) => !c.passed).map((c) => c.name));
 */
export function runChecks(input: RunInput): Promise<RunOutcome> {
  const limits: RunLimits = { ...DEFAULT_LIMITS, ...input.limits };
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  const base = normaliseBaseUrl(input.baseUrl);
  if ('error' in base)
    return Promise.resolve({ outcome: 'errored', checks: [], durationMs: 0, error: base.error });
  if (input.signal?.aborted) {
    return Promise.resolve({ outcome: 'errored', checks: [], durationMs: 0, error: 'the run was cancelled' });
  }

  const results = new Map<number, CheckResult>();
  let pending: Pending | undefined;
  let requests = 0;
  let stopReason: string | undefined;
  let abortRun: (() => void) | undefined;
  const stop = (reason: string): void => {
    stopReason ??= reason;
    abortRun?.();
  };

  const finish = (check: Pending): void => {
    const { result } = check;
    result.durationMs ||= Math.round(performance.now() - check.started);
    if (result.assertions.length === 0 && !result.error) result.error = 'no test ran for this request';
    result.passed = !result.error && result.status !== null && result.assertions.every((a) => a.passed);
    const merged = mergeRepeat(results.get(check.index), result);
    results.set(check.index, merged);
    input.onCheck?.(merged);
  };

  return new Promise<RunOutcome>((resolve) => {
    const timer = setTimeout(
      () => stop(`the run took longer than the ${Math.round(limits.totalTimeoutMs / 1000)} s limit`),
      limits.totalTimeoutMs,
    );
    const onAbort = (): void => stop('the run was cancelled');
    input.signal?.addEventListener('abort', onAbort, { once: true });

    const done = (err: Error | null): void => {
      clearTimeout(timer);
      input.signal?.removeEventListener('abort', onAbort);
      if (pending) finish(pending);
      pending = undefined;
      const checks = [...results.values()].sort((a, b) => a.index - b.index);
      const error = stopReason ?? (err ? `the checks could not run: ${err.message}` : unreachable(checks));
      const outcome = error ? 'errored' : checks.every((check) => check.passed) ? 'passed' : 'failed';
      resolve({ outcome, checks, durationMs: elapsed(), ...(error ? { error } : {}) });
    };

    const guard = input.guard;
    const given =
      input.requestAgents ??
      (guard && guardedAgents(guard.policy, guard.pins, { rejectUnauthorized: guard.rejectUnauthorized }));
    const agents = runAgents(given, limits.maxResponseBytes);
    let emitter: NewmanEmitter;
    try {
      emitter = loadNewman().run(
        {
          collection: structuredClone(input.collection),
          environment: { values: [{ key: 'baseUrl', value: base.url, type: 'default' }] },
          reporters: [],
          timeout: limits.totalTimeoutMs + 1000,
          timeoutRequest: limits.requestTimeoutMs,
          timeoutScript: limits.requestTimeoutMs,
          // Redirects are checks in their own right, and following one could lead off the checked host.
          ignoreRedirects: true,
          insecure: input.insecureTls === true,
          requestAgents: agents,
          workingDir: tmpdir(),
          insecureFileRead: false,
        },
        done,
      );
    } catch (error) {
      done(error instanceof Error ? error : new Error(String(error)));
      return;
    }

    emitter
      .on('start', (_err, args) => {
        const run = args.run as { abort(): void } | undefined;
        abortRun = () => run?.abort();
        if (stopReason) abortRun();
      })
      .on('beforeItem', (_err, args) => {
        if (pending) finish(pending);
        const item = args.item as { name?: string };
        const index = (args.cursor as Cursor).position;
        const name = item.name ?? `request ${index + 1}`;
        pending = {
          index,
          name,
          started: performance.now(),
          result: {
            index,
            name,
            method: '',
            url: '',
            status: null,
            durationMs: 0,
            assertions: [],
            passed: false,
          },
        };
      })
      .on('beforeRequest', (_err, args) => {
        requests += 1;
        if (requests > limits.maxRequests) stop(`the checks made more than ${limits.maxRequests} requests`);
        const request = args.request as SdkRequest;
        if (pending) {
          pending.started = performance.now();
          pending.result.method = request.method;
          pending.result.url = request.url.toString();
        }
      })
      .on('request', (err, args) => {
        if (!pending) return;
        const request = args.request as SdkRequest | undefined;
        const response = args.response as SdkResponse | undefined;
        const result = pending.result;
        if (request) {
          result.method = request.method;
          result.url = request.url.toString();
          const body = request.body?.mode === 'raw' ? (request.body.raw ?? '') : '';
          result.requestExcerpt = requestExcerpt(result.method, result.url, request.headers.all(), body);
        }
        if (err) result.error = requestError(err, limits);
        if (response && !err) {
          result.status = response.code;
          result.durationMs = Math.round(response.responseTime ?? performance.now() - pending.started);
          result.responseExcerpt = responseExcerpt(
            response.code,
            response.status,
            response.headers.all(),
            excerptBody(response.stream),
          );
        }
      })
      .on('assertion', (err, args) => {
        if (!pending || args.skipped) return;
        const name = String(args.assertion ?? 'unnamed test');
        pending.result.assertions.push(
          err ? { name, passed: false, error: err.message } : { name, passed: true },
        );
      })
      .on('exception', (_err, args) => {
        if (!pending) return;
        const error = args.error as Error | undefined;
        pending.result.error ??= `a test script failed: ${error?.message ?? 'unknown error'}`;
      })
      .on('item', () => {
        if (pending) finish(pending);
        pending = undefined;
      });
  });
}

/**
 * A repeated request (a poll) passes only if every attempt did: the last attempt's result, plus the
 * failed assertions of earlier attempts, so a failure is never hidden by a later success.
 */
function mergeRepeat(earlier: CheckResult | undefined, latest: CheckResult): CheckResult {
  if (!earlier || earlier.passed) return latest;
  const failedBefore = earlier.assertions.filter(
    (old) => !old.passed && !latest.assertions.some((a) => a.name === old.name && !a.passed),
  );
  return {
    ...latest,
    assertions: [
      ...latest.assertions,
      ...failedBefore.map((a) => ({ ...a, name: `${a.name} (earlier attempt)` })),
    ],
    passed: false,
    ...(latest.error || earlier.error ? { error: latest.error ?? earlier.error } : {}),
  };
}

function requestError(err: Error & { code?: string }, limits: RunLimits): string {
  if (err.code === 'ETIMEDOUT' || err.code === 'ESOCKETTIMEDOUT') {
    return `no response within ${limits.requestTimeoutMs} ms`;
  }
  if (err.code === 'ECONNREFUSED') return 'connection refused: is the API running at this address?';
  return err.message;
}

/** A run where no request got any response says so once, instead of one failure per check. */
function unreachable(checks: CheckResult[]): string | undefined {
  if (checks.length === 0 || checks.some((check) => check.status !== null)) return undefined;
  return `no response from the API: ${checks[0]?.error ?? 'unknown error'}`;
}
