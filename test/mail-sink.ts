import { createServer, type Server, type Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { MailConfig } from '../src/config.js';

/** One message the sink received, decoded enough to read its words and links. */
export interface SunkMail {
  to: string[];
  subject: string;
  /** The whole message with quoted-printable undone (headers, text and HTML parts). */
  body: string;
  raw: string;
}

/** Undoes quoted-printable soft breaks and =XX escapes (nodemailer's encoding of our mails' parts). */
function decodeQuotedPrintable(raw: string): string {
  const joined = raw.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * A local SMTP server on loopback (port 0) that accepts every message and keeps it: what the tests
 * point WAYMARK_SMTP_URL at. No TLS, no authentication, nothing leaves the machine.
 */
export class MailSink {
  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
    readonly messages: SunkMail[],
  ) {}

  static async start(): Promise<MailSink> {
    const messages: SunkMail[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const subject = /^Subject: (.*)$/m.exec(raw)?.[1]?.trim() ?? '';
          messages.push({
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            subject,
            body: decodeQuotedPrintable(raw),
            raw,
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return new MailSink(server, port, messages);
  }

  /** Mail configuration for an app that sends here; links point at `publicUrl`. */
  config(publicUrl: string, timeoutMs = 10_000): MailConfig {
    return {
      smtpUrl: `smtp://127.0.0.1:${this.port}`,
      from: 'Waymark <no-reply@waymark.test>',
      publicUrl,
      timeoutMs,
    };
  }

  to(address: string): SunkMail[] {
    return this.messages.filter((mail) => mail.to.includes(address));
  }

  clear(): void {
    this.messages.length = 0;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** The first link in a mail whose path starts with `prefix` (e.g. `/email/confirm/`), as a path. */
export function linkIn(mail: SunkMail | undefined, prefix: string): string {
  if (!mail) throw new Error('no such mail');
  const escaped = prefix.replace(/[/.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`https?://[^/\\s"<>]+(${escaped}[A-Za-z0-9_-]+)`).exec(mail.body);
  if (!match?.[1]) throw new Error(`no ${prefix} link in: ${mail.body}`);
  return match[1];
}

/**
 * SMTP servers that fail: `refused` is a port nothing listens on; `silent` accepts connections and
 * never says a word (a hung server), so only the mailer's timeout ends the conversation.
 */
export async function brokenSmtp(
  kind: 'refused' | 'silent',
): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  if (kind === 'refused') await close();
  return {
    url: `smtp://127.0.0.1:${port}`,
    async close() {
      if (kind === 'silent') {
        for (const socket of sockets) socket.destroy();
        await close();
      }
    },
  };
}
