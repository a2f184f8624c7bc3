// nginx (Debian's package) in front of several Waymark instances, the way the README's "Scaling
// out" section deploys it. Used by the read-your-writes test and by `npm run bench`'s nginx
// section, so the proxy settings that matter (keep-alive shorter than the instances') live here once.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const NGINX = process.env.WAYMARK_TEST_NGINX ?? '/usr/sbin/nginx';

/** Null when nginx can be started here, else why not (for a skip message). */
export function nginxSkip(): string | null {
  return existsSync(NGINX) ? null : `nginx is not installed at ${NGINX} (Debian: apt-get install -y nginx)`;
}

/** A TCP port free on 127.0.0.1 right now (for a process that is then told to listen on it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject()));
    });
  });
}

export interface NginxOptions {
  /** Ports of the instances on 127.0.0.1, balanced round robin. */
  upstreams: number[];
  /** The port nginx listens on (127.0.0.1); a free one when omitted. */
  port?: number;
  /** Adds `X-Served-By: <upstream address>` to every response (tests count instances with it). */
  servedBy?: boolean;
  /** Passes responses through unbuffered (server-sent events, benchmarks). */
  unbuffered?: boolean;
  workerConnections?: number;
}

export interface Nginx {
  url: string;
  process: ChildProcess;
  /** Waits until nginx answers `path` with a 2xx (an upstream must be up), for at most 90 s. */
  ready(path?: string): Promise<void>;
  /** Stops nginx, returns what it wrote to its error log, and removes its folder. */
  stop(): Promise<string>;
}

export async function startNginx(options: NginxOptions): Promise<Nginx> {
  const dir = mkdtempSync(join(tmpdir(), 'waymark-nginx-'));
  chmodSync(dir, 0o777); // workers may run as another user and keep temp files here
  const port = options.port ?? (await freePort());
  const servers = options.upstreams.map((p) => `    server 127.0.0.1:${p};`).join('\n');
  writeFileSync(
    join(dir, 'nginx.conf'),
    `worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections ${options.workerConnections ?? 1024}; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream waymark {
${servers}
    keepalive 64;
    # Shorter than the instances' keep-alive (WAYMARK_KEEP_ALIVE_TIMEOUT_MS, 5 s): nginx must never
    # reuse a connection the instance is closing, or that request is reset and retried elsewhere.
    keepalive_timeout 4s;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://waymark;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
${options.unbuffered ? '      proxy_buffering off;\n' : ''}${options.servedBy ? '      add_header X-Served-By $upstream_addr always;\n' : ''}    }
  }
}
`,
  );
  const child = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    process: child,
    async ready(path = '/healthz') {
      const deadline = Date.now() + 90_000;
      while (Date.now() < deadline) {
        if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode})`);
        if (
          await fetch(`${url}${path}`).then(
            (r) => r.ok,
            () => false,
          )
        )
          return;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      throw new Error('nginx did not answer within 90 s');
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGQUIT');
        await exited;
      }
      const log = join(dir, 'error.log');
      const errors = existsSync(log) ? readFileSync(log, 'utf8').trim() : '';
      rmSync(dir, { recursive: true, force: true });
      return errors;
    },
  };
}
