import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Command, Option } from 'commander';
import { loadConfig, type Config } from '../config.js';
import { startRuntime, type Runtime } from '../bootstrap.js';
import { runLint } from './lint.js';
import { runCheck } from './check.js';
import { backupDatabase, restoreDatabase } from './backup.js';
import { registerProjectCommands } from './projects.commands.js';
import { serve } from '../server.js';
import { accountByEmail, someAccounts } from '../auth/auth.read.js';
import { createAccount, resetPassword, setRole } from '../auth/auth.service.js';
import type { AuthDeps } from '../auth/auth.types.js';
import { UserEvents } from '../realtime/user-events.js';
import { changeFeed } from '../realtime/change-feed.js';
import { userVersionsFor } from '../realtime/user-versions.js';
import { exportUserData, importUserData } from '../account/account.service.js';
import { requireRoadmap } from '../content/content.lookup.js';
import { statusMap, summarize, type RoadmapSummary } from '../progress/progress.service.js';
import { systemClock } from '../lib/clock.js';
import { userDataSections } from '../features.js';
import { createMailer } from '../mail/mailer.js';
import type { UserRow } from '../db/schema.js';

function fail(message: string, code = 1): never {
  console.error(`waymark: ${message}`);
  process.exit(code);
}

function config(): Config {
  try {
    return loadConfig(process.env, { logLevel: 'warn' });
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error), 2);
  }
}

/** Mail failures are worth a line on standard error; successes are not. */
const cliMailLog = {
  info() {},
  warn(obj: object, msg: string) {
    console.error(`${msg} ${JSON.stringify(obj)}`);
  },
  error(obj: object, msg: string) {
    console.error(`${msg} ${JSON.stringify(obj)}`);
  },
};

/**
 * Runs a local command on the database. Its writes are announced like a server's: with REDIS_URL
 * set, running servers' caches and open streams learn of them at once (shared versions in Redis);
 * on SQLite without Redis, servers notice through SQLite's change counter.
 */
async function withRuntime<T>(fn: (runtime: Runtime, deps: AuthDeps) => Promise<T>): Promise<T> {
  const runtime = await startRuntime(config()).catch((error: unknown) =>
    fail(error instanceof Error ? error.message : String(error)),
  );
  const feed = changeFeed(new UserEvents(runtime.redis), userVersionsFor(runtime.db, runtime.redis));
  const deps: AuthDeps = {
    db: runtime.db.withFeed(feed),
    config: runtime.config,
    clock: systemClock,
    content: () => runtime.content,
    // Every feature's data, because src/features.ts lists them all (not because the server is imported).
    userData: userDataSections(),
    // With SMTP configured, `user reset-password` mails the owner a notice like any password change.
    mailer: runtime.config.mail ? createMailer(runtime.config.mail, cliMailLog) : null,
  };
  try {
    return await fn(runtime, deps);
  } finally {
    await deps.mailer?.idle();
    await deps.mailer?.close();
    await feed.idle();
    await runtime.close();
  }
}

/**
 * Commands that read an account stop when the SQLite file does not exist, rather than creating an
 * empty database there (which a later `serve` from another folder would never see).
 */
function requireExistingDatabase(): void {
  const { dialect, databaseUrl, dataDir } = config();
  if (dialect !== 'sqlite' || databaseUrl === 'sqlite::memory:') return;
  const path = databaseUrl.slice('sqlite:'.length);
  if (existsSync(path)) return;
  const where =
    path === resolve(dataDir, 'waymark.db')
      ? `no database at the default path ${path} (DATABASE_URL and WAYMARK_DATA_DIR are not set, or point here)`
      : `no database at ${path}`;
  fail(
    `${where}. Start one with \`npx waymark serve\` (or \`npm start\`) in the folder you run Waymark from and sign up, or set DATABASE_URL (or WAYMARK_DATA_DIR) to your database.`,
  );
}

/** How many accounts there are, and the admins among them, for a message asking to pick one. */
async function accountList(runtime: Runtime): Promise<string> {
  const accounts = await someAccounts(runtime.db.kysely, 1000);
  const shown = accounts
    .slice(0, 20)
    .map((a) => `  ${a.email ?? '(no email)'}${a.role === 'admin' ? ' (admin)' : ''}`);
  const admins = accounts.filter((a) => a.role === 'admin').length;
  const more = accounts.length > shown.length ? [`  … and ${accounts.length - shown.length} more`] : [];
  return [
    `${accounts.length >= 1000 ? '1000 or more' : accounts.length} accounts${admins ? ` (${admins} admin${admins === 1 ? '' : 's'})` : ''}:`,
    ...shown,
    ...more,
  ].join('\n');
}

async function localUser(runtime: Runtime, email: string | undefined): Promise<UserRow> {
  if (email) {
    const user = await accountByEmail(runtime.db.kysely, email);
    return user ?? fail(`no account with email ${email} in ${runtime.config.databaseUrl}`);
  }
  const accounts = await someAccounts(runtime.db.kysely, 2);
  if (accounts.length === 1) return accounts[0]!;
  return fail(
    accounts.length === 0
      ? 'this database has no accounts yet; sign up in the web app first'
      : `several accounts exist; choose one with --email.\n${await accountList(runtime)}`,
  );
}

function bar(percent: number, width = 20): string {
  const filled = Math.round((percent / 100) * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

function printSummary(title: string, summary: RoadmapSummary): void {
  console.log(
    `${title} — ${summary.done + summary.skipped}/${summary.total} topics (${summary.percent}%), ${summary.learning} in progress`,
  );
  const width = Math.max(...summary.steps.map((s) => s.title.length));
  for (const step of summary.steps) {
    console.log(
      `  ${step.title.padEnd(width)}  ${bar(step.percent)}  ${String(step.done + step.skipped).padStart(3)}/${String(step.total).padEnd(3)} ${String(step.percent).padStart(3)}%`,
    );
  }
}

async function api(url: string, token: string, path: string, init: RequestInit = {}): Promise<unknown> {
  const response = await fetch(new URL(path, url), {
    ...init,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      ...(init.headers ?? {}),
    },
  }).catch((error: unknown) =>
    fail(`cannot reach ${url}: ${error instanceof Error ? error.message : error}`),
  );
  const body = (await response.json().catch(() => null)) as { detail?: string } | null;
  if (!response.ok) fail(`${response.status} ${body?.detail ?? response.statusText}`);
  return body;
}

/**
 * The server to talk to, or null for the local database. `--url` without `--token` (or the reverse)
 * is refused: quietly falling back to the local database would export or change the wrong data.
 */
function remoteTarget(opts: { url?: string; token?: string }): { url: string; token: string } | null {
  if (!opts.url && !opts.token) return null;
  if (!opts.url || !opts.token)
    fail(
      `--url and --token go together (${opts.url ? '--token is missing: create a personal API token in Settings' : '--url is missing'}); nothing was read or changed`,
    );
  return { url: opts.url, token: opts.token };
}

const remote = (command: Command) =>
  command
    .addOption(
      new Option('--url <url>', 'a Waymark server to talk to (with --token) instead of the local database'),
    )
    .addOption(new Option('--token <token>', 'a personal API token (wm_…) for --url'));

export function buildCli(): Command {
  const program = new Command('waymark')
    .description(
      'Waymark — a self-hosted learning-roadmap tracker. Configuration comes from environment variables (see README).',
    )
    .showHelpAfterError();

  program
    .command('serve')
    .description('start the web server (PORT, HOST, DATABASE_URL, … from the environment)')
    .action(async () => {
      await serve();
    });

  program
    .command('migrate')
    .description('apply database migrations (also done automatically at start) and re-key merged topic ids')
    .action(async () => {
      await withRuntime(async (runtime) => console.log(`database is up to date (${runtime.config.dialect})`));
    });

  program
    .command('lint')
    .description('validate roadmap content and print file:line: messages; exits non-zero on errors')
    .argument('[dir]', 'content folder', 'roadmaps')
    .action(async (dir: string) => {
      process.exitCode = await runLint(dir, (line) => console.log(line));
    });

  program
    .command('check')
    .description("run a project's checks against your API and print a report; exits 0 only when all pass")
    .argument('<project>', 'project id, e.g. first-json-service')
    .requiredOption('-u, --url <baseUrl>', 'where your API listens, e.g. http://localhost:3000')
    .option('-k, --insecure', 'accept a self-signed TLS certificate (local HTTPS only)')
    .action(async (project: string, opts: { url: string; insecure?: boolean }) => {
      process.exitCode = await runCheck(
        project,
        { url: opts.url, insecure: opts.insecure, contentDir: config().contentDir },
        (line) => console.log(line),
      );
    });

  remote(
    program
      .command('status')
      .description('progress per step, from the local database or a server (--url, --token)')
      .option('-r, --roadmap <id>', 'roadmap id', 'backend')
      .option('-e, --email <email>', 'whose progress (local mode; default: the only account)'),
  ).action(async (opts: { roadmap: string; email?: string; url?: string; token?: string }) => {
    const server = remoteTarget(opts);
    if (server) {
      const roadmap = (await api(
        server.url,
        server.token,
        `/api/v1/roadmaps/${encodeURIComponent(opts.roadmap)}`,
      )) as { title: string };
      const progress = (await api(
        server.url,
        server.token,
        `/api/v1/roadmaps/${encodeURIComponent(opts.roadmap)}/progress`,
      )) as { summary: RoadmapSummary };
      printSummary(roadmap.title, progress.summary);
      return;
    }
    requireExistingDatabase();
    await withRuntime(async (runtime) => {
      const user = await localUser(runtime, opts.email);
      let roadmap;
      try {
        roadmap = requireRoadmap(runtime.content, opts.roadmap);
      } catch (error) {
        fail(error instanceof Error ? error.message : String(error));
      }
      const rows = await statusMap(runtime.db.kysely, user.id, roadmap.topicIds);
      printSummary(roadmap.title, summarize(runtime.content, roadmap, rows));
    });
  });

  remote(
    program
      .command('export')
      .description('write all of your data as JSON (to a file or standard output)')
      .option('-o, --out <file>', 'output file (default: standard output)')
      .option('-e, --email <email>', 'whose data (local mode)'),
  ).action(async (opts: { out?: string; email?: string; url?: string; token?: string }) => {
    const server = remoteTarget(opts);
    let document: unknown;
    if (server) document = await api(server.url, server.token, '/api/v1/me/export');
    else {
      requireExistingDatabase();
      document = await withRuntime(async (runtime, deps) => {
        const user = await localUser(runtime, opts.email);
        return exportUserData(deps, user);
      });
    }
    const text = `${JSON.stringify(document, null, 2)}\n`;
    if (opts.out) writeFileSync(opts.out, text);
    else process.stdout.write(text);
  });

  remote(
    program
      .command('import')
      .description('import a Waymark JSON export (all or nothing)')
      .argument('<file>', 'a file written by `waymark export` or downloaded from settings')
      .option('-e, --email <email>', 'into whose account (local mode)'),
  ).action(async (file: string, opts: { email?: string; url?: string; token?: string }) => {
    const server = remoteTarget(opts);
    let document: unknown;
    try {
      document = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      fail(`cannot read ${file} as JSON: ${error instanceof Error ? error.message : error}`);
    }
    let result: unknown;
    if (server)
      result = await api(server.url, server.token, '/api/v1/me/import', {
        method: 'POST',
        body: JSON.stringify(document),
      });
    else {
      result = await withRuntime(async (runtime, deps) => {
        const user = await localUser(runtime, opts.email);
        try {
          return await importUserData(deps, user, document);
        } catch (error) {
          const problem = error as { detail?: string; errors?: { pointer: string; message: string }[] };
          fail(
            [
              problem.detail ?? String(error),
              ...(problem.errors ?? []).map((e) => `  ${e.pointer}: ${e.message}`),
            ].join('\n'),
          );
        }
      });
    }
    console.log(`imported: ${JSON.stringify((result as { imported: unknown }).imported)}`);
  });

  program
    .command('backup')
    .description('copy the SQLite database to <file> while the server runs (PostgreSQL: use pg_dump)')
    .argument('<file>', 'where to write the backup (must not exist)')
    .action(async (file: string) => {
      try {
        const { pages } = await backupDatabase(config(), file);
        console.log(`Backed up ${pages} pages to ${file}.`);
      } catch (error) {
        fail(error instanceof Error ? error.message : String(error));
      }
    });
  program
    .command('restore')
    .description('replace the SQLite database with a backup made by `waymark backup` (stop the server first)')
    .argument('<file>', 'the backup to restore')
    .action(async (file: string) => {
      try {
        await restoreDatabase(config(), file);
        console.log(`Restored ${file}. Start Waymark again.`);
      } catch (error) {
        fail(error instanceof Error ? error.message : String(error));
      }
    });

  const user = program.command('user').description('administer accounts on the local database');
  user
    .command('reset-password')
    .description(
      'set a new password for an account and sign out all its sessions; reads it from standard input, or generates one',
    )
    .argument('<email>', 'the account')
    .action(async (email: string) => {
      let password = '';
      if (!process.stdin.isTTY) password = readFileSync(0, 'utf8').split('\n')[0]?.trim() ?? '';
      const generated = password === '';
      if (generated) password = randomBytes(12).toString('base64url');
      await withRuntime(async (_runtime, deps) => {
        let ok: boolean;
        try {
          ok = await resetPassword(deps, email, password);
        } catch (error) {
          fail((error as { detail?: string }).detail ?? String(error));
        }
        if (!ok) fail(`no account with email ${email}`);
        console.log(
          generated
            ? `New password for ${email}: ${password}\nAll of this account's sessions were signed out.`
            : `Password changed for ${email}; all of its sessions were signed out.`,
        );
      });
    });

  user
    .command('create')
    .description(
      'create an account (password read from standard input, or generated and printed); --admin makes it an instance admin',
    )
    .argument('<email>', 'the new account')
    .option('--admin', 'make it an instance admin (creates cohorts, appoints mentors)', false)
    .action(async (email: string, options: { admin: boolean }) => {
      let password = '';
      if (!process.stdin.isTTY) password = readFileSync(0, 'utf8').split('\n')[0]?.trim() ?? '';
      const generated = password === '';
      if (generated) password = randomBytes(12).toString('base64url');
      await withRuntime(async (_runtime, deps) => {
        try {
          await createAccount(deps, { email, password, admin: options.admin });
        } catch (error) {
          fail((error as { detail?: string }).detail ?? String(error));
        }
        const what = options.admin ? 'Instance admin' : 'Account';
        console.log(
          generated ? `${what} ${email} created; password: ${password}` : `${what} ${email} created.`,
        );
      });
    });
  for (const [name, role, said] of [
    ['promote', 'admin', 'is now an instance admin'],
    ['demote', 'learner', 'is no longer an instance admin'],
  ] as const) {
    user
      .command(name)
      .description(
        name === 'promote'
          ? 'make an account an instance admin (creates cohorts, appoints mentors)'
          : 'take instance admin rights away from an account',
      )
      .argument('<email>', 'the account')
      .action(async (email: string) => {
        await withRuntime(async (_runtime, deps) => {
          if (!(await setRole(deps, email, role))) fail(`no account with email ${email}`);
          console.log(`${email} ${said}.`);
        });
      });
  }

  registerProjectCommands(program);
  return program;
}

await buildCli().parseAsync(process.argv);
