import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { startRuntime } from '../bootstrap.js';
import { systemClock } from '../lib/clock.js';
import { verifySignedRecord, type PublicKeyDocument, type SignedRecord } from '../projects/evidence.js';
import { startProjectsRuntime } from '../projects/projects.runtime.js';
import { createThreadedRunner } from '../projects/runner.thread.js';

// `waymark worker` (consumes check runs from BullMQ) and `waymark verify-record` (checks a signed
// verification record offline, or with the key fetched from the instance that signed it).

function fail(message: string, code = 1): never {
  console.error(`waymark: ${message}`);
  process.exit(code);
}

async function fetchJson(url: string): Promise<unknown> {
  const response = await fetch(url, { headers: { accept: 'application/json' } }).catch((error: unknown) =>
    fail(`cannot reach ${url}: ${error instanceof Error ? error.message : error}`),
  );
  if (!response.ok) fail(`${url} answered ${response.status}`);
  return response.json().catch(() => fail(`${url} did not answer with JSON`));
}

const isUrl = (value: string) => /^https?:\/\//i.test(value);

/** A share page (/v/<token>) becomes its JSON twin; other URLs are fetched as they are. */
function recordUrl(value: string): string {
  const url = new URL(value);
  const share = /^\/v\/([A-Za-z0-9_-]+)$/.exec(url.pathname);
  if (share) return new URL(`/api/v1/verifications/shared/${share[1]}`, url.origin).toString();
  return url.toString();
}

/** Accepts a signed record, or an API verification object holding one under `signed`. */
function signedRecordOf(document: unknown): SignedRecord {
  const doc = document as { signed?: SignedRecord } & Partial<SignedRecord>;
  if (doc && typeof doc === 'object' && doc.signed) return doc.signed;
  return doc as SignedRecord;
}

/** A PEM, a file holding a PEM or the key document, or a URL serving the key document. */
async function loadKey(value: string): Promise<string> {
  let text: string;
  if (isUrl(value)) text = JSON.stringify(await fetchJson(value));
  else if (value.includes('-----BEGIN')) text = value;
  else {
    try {
      text = readFileSync(value, 'utf8');
    } catch (error) {
      fail(`cannot read the key file ${value}: ${error instanceof Error ? error.message : error}`);
    }
  }
  if (text.includes('-----BEGIN PUBLIC KEY-----') && !text.trim().startsWith('{')) return text;
  try {
    return (JSON.parse(text) as PublicKeyDocument).publicKey;
  } catch {
    fail('the key must be a PEM public key or the JSON served at /.well-known/waymark-verification-key');
  }
}

export function registerProjectCommands(program: Command): void {
  program
    .command('worker')
    .description(
      'consume project check runs from the Redis queue (needs REDIS_URL and the same DATABASE_URL as the app); WAYMARK_CHECK_CONCURRENCY runs at once',
    )
    .action(async () => {
      let config;
      try {
        config = loadConfig(process.env);
      } catch (error) {
        fail(error instanceof Error ? error.message : String(error), 2);
      }
      if (!config.redisUrl)
        fail('waymark worker needs REDIS_URL (without Redis, the app runs checks itself)', 2);
      const runtime = await startRuntime(config).catch((error: unknown) =>
        fail(error instanceof Error ? error.message : String(error)),
      );
      const runner = createThreadedRunner();
      const projects = await startProjectsRuntime({
        db: runtime.db,
        config,
        clock: systemClock,
        content: () => runtime.content,
        redis: runtime.redis,
        consume: true,
        runChecks: runner.runChecks,
        log: (message, error) => console.error(`waymark worker: ${message}`, error ?? ''),
      });
      console.log(
        `waymark worker: consuming check runs, ${config.checks.concurrency} at a time (${config.dialect})`,
      );
      const stop = async (signal: string) => {
        console.log(`waymark worker: ${signal}, finishing`);
        await projects.close();
        await runner.close();
        await runtime.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop('SIGINT'));
      process.once('SIGTERM', () => void stop('SIGTERM'));
      await new Promise<never>(() => {});
    });

  program
    .command('verify-record')
    .description("check a verification record's Ed25519 signature; exits 0 only when it is valid")
    .argument('<source>', 'a file, a share link (…/v/<token>) or a record URL')
    .option(
      '-k, --key <key>',
      'the public key: a PEM file, the JSON of /.well-known/waymark-verification-key, or its URL (default: fetched from the record’s server)',
    )
    .action(async (source: string, opts: { key?: string }) => {
      let document: unknown;
      if (isUrl(source)) document = await fetchJson(recordUrl(source));
      else {
        try {
          document = JSON.parse(readFileSync(source, 'utf8'));
        } catch (error) {
          fail(`cannot read ${source} as JSON: ${error instanceof Error ? error.message : error}`);
        }
      }
      const signed = signedRecordOf(document);
      let keySource = opts.key;
      if (!keySource) {
        const origin = isUrl(source)
          ? new URL(source).origin
          : isUrl(String(signed?.record?.instance ?? ''))
            ? new URL(signed.record.instance).origin
            : null;
        if (!origin) fail('this record names no server to fetch the key from; pass --key');
        keySource = `${origin}/.well-known/waymark-verification-key`;
      }
      const result = verifySignedRecord(signed, await loadKey(keySource));
      if (!result.valid) {
        console.log(`INVALID: ${result.reason}`);
        process.exitCode = 1;
        return;
      }
      const { record } = result;
      console.log(
        [
          `valid: "${record.project.title}" (${record.project.id}) verified at ${record.verifiedAt}`,
          `  checks: ${record.results.passed}/${record.results.checks} passed (${record.results.required} required)`,
          `  collection: sha256 ${record.collectionHash}`,
          `  learner: ${record.subject} on ${record.instance} (key ${record.keyId})`,
        ].join('\n'),
      );
    });
}
