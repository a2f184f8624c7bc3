import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../scripts/nginx.js';

export { freePort } from '../../scripts/nginx.js';

/**
 * `src/server.ts` in a child process on 127.0.0.1 (or `args`, e.g. `['build/server.js']` for the
 * compiled server), resolved once it logs that it is ready; `output()` is what it logged so far.
 */
export async function startServer(
  env: Record<string, string>,
  args: string[] = ['--import', 'tsx', 'src/server.ts'],
): Promise<{ child: ChildProcess; origin: string; output: () => string }> {
  const port = await freePort();
  const child = spawn(process.execPath, args, {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      WAYMARK_SCRYPT_COST: '10',
      REDIS_URL: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let log = '';
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the server exited with ${code} before it was ready`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('Waymark is ready')) resolve();
    });
  });
  return { child, origin: `http://127.0.0.1:${port}`, output: () => log };
}
