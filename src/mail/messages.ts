import type { OutgoingMail } from './mailer.js';

// Every email Waymark sends, written here: plain text first, the same words as simple HTML. Nothing a
// user typed reaches the HTML unescaped (addresses are the only user text in these mails).

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A paragraph of text, or a link a person should follow (shown as a button in HTML, in full in text). */
type Block = string | { link: string; label: string };

function compose(kind: string, to: string, subject: string, blocks: readonly Block[]): OutgoingMail {
  const text = blocks
    .map((block) => (typeof block === 'string' ? block : `${block.label}:\n${block.link}`))
    .join('\n\n');
  const body = blocks
    .map((block) =>
      typeof block === 'string'
        ? `<p>${escapeHtml(block)}</p>`
        : `<p><a href="${escapeHtml(block.link)}" style="display:inline-block;padding:10px 16px;background:#1d4ed8;color:#ffffff;text-decoration:none;border-radius:6px">${escapeHtml(block.label)}</a></p>\n<p style="font-size:13px;color:#555555">Or copy this address into your browser: ${escapeHtml(block.link)}</p>`,
    )
    .join('\n');
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;max-width:560px;margin:0 auto;padding:16px">
${body}
<p style="font-size:13px;color:#555555">— Waymark</p>
</body></html>`;
  return { kind, to, subject, text: `${text}\n\n— Waymark\n`, html };
}

function hours(ms: number): string {
  const h = Math.round(ms / 3_600_000);
  return h === 1 ? 'one hour' : `${h} hours`;
}

/** Finishes a sign-up: the account exists only once this link is opened. */
export function signupLink(to: string, link: string, validMs: number, fromGuest: boolean): OutgoingMail {
  return compose('signup', to, 'Finish creating your Waymark account', [
    `Someone (we hope you) asked to create a Waymark account with the address ${to}.`,
    { link, label: 'Create my account' },
    fromGuest
      ? `Everything you did as a guest in that browser moves into the new account. The link works once, for ${hours(validMs)}.`
      : `The link works once, for ${hours(validMs)}.`,
    'If it was not you, ignore this email: no account is created and nothing else happens.',
  ]);
}

/** Someone tried to sign up with an address that already has an account. */
export function signupExisting(to: string, loginLink: string, forgotLink: string | null): OutgoingMail {
  const blocks: Block[] = [
    `Someone tried to create a new Waymark account with ${to}, but this address already has one, so nothing was created.`,
    'If that was you, log in instead; what you did as a guest in that browser is added to your account when you log in there.',
    { link: loginLink, label: 'Log in' },
  ];
  if (forgotLink)
    blocks.push('Forgot your password? Ask for a reset link here:', {
      link: forgotLink,
      label: 'Reset my password',
    });
  blocks.push('If it was not you, you need do nothing: your account and your password are unchanged.');
  return compose('signup-existing', to, 'Someone tried to sign up with your address', blocks);
}

/** Proves that an existing account receives mail at its address. */
export function verifyLink(to: string, link: string, validMs: number): OutgoingMail {
  return compose('verify', to, 'Confirm your email address for Waymark', [
    `Please confirm that ${to} is the address of your Waymark account.`,
    { link, label: 'Confirm my address' },
    `The link works once, for ${hours(validMs)}. If you did not ask for it, ignore this email.`,
  ]);
}

/** A forgotten password: a link to choose a new one. */
export function resetLink(to: string, link: string, validMs: number): OutgoingMail {
  return compose('reset', to, 'Reset your Waymark password', [
    `Someone (we hope you) asked to reset the password of the Waymark account ${to}.`,
    { link, label: 'Choose a new password' },
    `The link works once, for ${hours(validMs)}. Choosing a new password signs out every other device.`,
    'If you did not ask for this, ignore this email: your password stays as it is.',
  ]);
}

/** After any password change, so a change the owner did not make does not go unnoticed. */
export function passwordChanged(
  to: string,
  how: 'changed' | 'reset',
  at: Date,
  forgotLink: string,
): OutgoingMail {
  const when = `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return compose('password-changed', to, 'Your Waymark password was changed', [
    how === 'reset'
      ? `The password of your Waymark account ${to} was reset through an emailed link on ${when}. Every other session was signed out.`
      : `The password of your Waymark account ${to} was changed on ${when}. Every other session was signed out.`,
    'If that was you, there is nothing more to do.',
    'If it was not you, someone knows how to sign in to your account. Choose a new password now:',
    { link: forgotLink, label: 'Reset my password' },
  ]);
}
