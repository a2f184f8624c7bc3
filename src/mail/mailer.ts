import { createRequire } from 'node:module';
import type * as Nodemailer from 'nodemailer';
import type { MailConfig } from '../config.js';

/** One email, already written (src/mail/messages.ts): plain text and a simple HTML alternative. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** What kind of mail it is, for the log (never the link inside it). */
  kind: string;
}

export interface MailLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * Hands mail to the SMTP server in the background. `send` only queues: no request ever waits for
 * the SMTP server, and a slow or unreachable server cannot fail one. Each conversation is bounded
 * (`timeoutMs` for connecting, the greeting, every reply and the whole send); a failure is logged
 * and the message dropped — the link it carried stays valid, so "send it again" works. The queue
 * lives in this process only (a crash loses what was not sent yet, which the resend covers too).
 */
export interface Mailer {
  send(mail: OutgoingMail): void;
  /** Resolves when everything queued so far has been sent or given up (tests, graceful shutdown). */
  idle(): Promise<void>;
  close(): Promise<void>;
  /** Called after each message is handed over (`sent`) or given up (`failed`, `dropped`): metrics. */
  onResult?: (kind: string, result: 'sent' | 'failed' | 'dropped') => void;
}

/** Messages waiting beyond this are dropped (and logged): a dead SMTP server must not grow memory. */
const MAX_QUEUE = 1000;
/** Conversations with the SMTP server at once. */
const MAX_ACTIVE = 4;

export function createMailer(config: MailConfig, log: MailLog): Mailer {
  // nodemailer is loaded only when email is configured, so a start without SMTP does not pay for it.
  const { createTransport } = createRequire(import.meta.url)('nodemailer') as typeof Nodemailer;
  const transport = createTransport({
    url: config.smtpUrl,
    connectionTimeout: config.timeoutMs,
    greetingTimeout: config.timeoutMs,
    socketTimeout: config.timeoutMs,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const queue: OutgoingMail[] = [];
  let active = 0;
  let idleWaiters: (() => void)[] = [];
  let closed = false;

  const settleIdle = () => {
    if (queue.length > 0 || active > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };

  const deliver = async (mail: OutgoingMail): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${config.timeoutMs} ms`)),
        config.timeoutMs * 2,
      );
      timer.unref();
    });
    try {
      await Promise.race([
        transport.sendMail({
          from: config.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
        }),
        timeout,
      ]);
      log.info({ mail: mail.kind }, 'email sent');
      mailer.onResult?.(mail.kind, 'sent');
    } catch (error) {
      log.error(
        { mail: mail.kind, err: error instanceof Error ? error.message : String(error) },
        'email could not be sent; the link in it stays valid, so it can be sent again',
      );
      mailer.onResult?.(mail.kind, 'failed');
    } finally {
      clearTimeout(timer);
    }
  };

  const pump = () => {
    while (active < MAX_ACTIVE && queue.length > 0) {
      const mail = queue.shift()!;
      active++;
      void deliver(mail).finally(() => {
        active--;
        pump();
        settleIdle();
      });
    }
    settleIdle();
  };

  const mailer: Mailer = {
    send(mail) {
      if (closed) return;
      if (queue.length >= MAX_QUEUE) {
        log.warn({ mail: mail.kind, queued: queue.length }, 'email queue full; message dropped');
        mailer.onResult?.(mail.kind, 'dropped');
        return;
      }
      queue.push(mail);
      // After the current turn: the response that caused this mail goes out first.
      setImmediate(pump);
    },
    idle() {
      if (queue.length === 0 && active === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    async close() {
      closed = true;
      queue.length = 0;
      settleIdle();
      transport.close();
    },
  };
  return mailer;
}
