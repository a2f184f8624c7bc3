import type { VNode } from 'preact';
import { PASSWORD_MAX, PASSWORD_MIN } from '../../auth/credentials.js';
import { Field, FormError, type FormState } from '../components/forms.js';
import { Layout, type PageContext } from '../layout.js';

// The pages of emailed links (src/auth/email.service.ts): "check your inbox", forgot password, the
// reset form, and the page a sign-up or verification link opens. A link's page never uses the link
// up by being opened (mail scanners open links too): a button posts it.

function NoMail(): VNode {
  return (
    <div class="card">
      <p>
        This Waymark does not send email, so it cannot mail you a link. Ask the person who runs it to set a
        new password for you (they can, with <code>waymark user reset-password</code>).
      </p>
      <p>
        <a href="/login">Back to log in</a>
      </p>
    </div>
  );
}

/** After a sign-up or a "forgot password" request: the same words whether or not an account exists. */
export function CheckInboxPage({ context }: { context: PageContext }): VNode {
  return (
    <Layout {...context} title="Check your inbox" active="account">
      <div class="narrow">
        <h1>Check your inbox</h1>
        <div class="card">
          <p>
            If the address can be used, an email with a link is on its way. Open the link in it to go on; it
            works once.
          </p>
          <p>Nothing after a few minutes? Look in the spam folder, check the address, and ask again:</p>
          <ul>
            <li>
              <a href="/signup">Sign up again</a>
            </li>
            <li>
              <a href="/password/forgot">Ask for a password reset link</a>
            </li>
            <li>
              <a href="/login">Log in</a>
            </li>
          </ul>
        </div>
      </div>
    </Layout>
  );
}

export function ForgotPasswordPage({ context, form }: { context: PageContext; form: FormState }): VNode {
  return (
    <Layout {...context} title="Forgot your password?" active="account">
      <div class="narrow">
        <h1>Forgot your password?</h1>
        {context.mail ? (
          <>
            <p class="lead">
              Enter the address of your account. We will email it a link to choose a new password; the link
              works once, for an hour.
            </p>
            <form method="post" action="/password/forgot" class="card" novalidate>
              <FormError message={form.form} />
              <Field
                id="forgot-email"
                name="email"
                label="Email"
                type="email"
                autocomplete="email"
                required
                value={form.values.email ?? ''}
                error={form.fields.email}
              />
              <button type="submit" class="button">
                Email me a link
              </button>
            </form>
            <p>
              Remembered it? <a href="/login">Log in</a>
            </p>
          </>
        ) : (
          <NoMail />
        )}
      </div>
    </Layout>
  );
}

function LinkGone({ again }: { again: { href: string; label: string } }): VNode {
  return (
    <div class="card">
      <p>This link does not work any more: it was already used, it expired, or a newer one replaced it.</p>
      <p>
        <a href={again.href}>{again.label}</a>
      </p>
    </div>
  );
}

export function ResetPasswordPage({
  context,
  token,
  valid,
  form,
}: {
  context: PageContext;
  token: string;
  valid: boolean;
  form: FormState;
}): VNode {
  return (
    <Layout {...context} title="Choose a new password" active="account">
      <div class="narrow">
        <h1>Choose a new password</h1>
        {!context.mail ? (
          <NoMail />
        ) : !valid ? (
          <LinkGone again={{ href: '/password/forgot', label: 'Ask for a new link' }} />
        ) : (
          <form method="post" action={`/password/reset/${token}`} class="card" novalidate>
            <FormError message={form.form} />
            <Field
              id="reset-password"
              name="newPassword"
              label="New password"
              type="password"
              autocomplete="new-password"
              required
              hint={`${PASSWORD_MIN} to ${PASSWORD_MAX} characters. Every device signed in to your account is signed out.`}
              error={form.fields.newPassword}
            />
            <div class="field">
              <label>
                <input type="checkbox" name="keepApiTokens" value="true" /> Keep my API tokens and calendar
                feed links working
              </label>
              <span class="field-hint">
                Unticked (the default), API tokens and calendar feed links stop working too, in case one
                leaked.
              </span>
            </div>
            <button type="submit" class="button">
              Set the new password
            </button>
          </form>
        )}
      </div>
    </Layout>
  );
}

export function ConfirmLinkPage({
  context,
  token,
  link,
}: {
  context: PageContext;
  token: string;
  link: { purpose: 'signup' | 'verify' | 'reset'; email: string } | null;
}): VNode {
  const signup = link?.purpose === 'signup';
  const title = signup ? 'Finish creating your account' : 'Confirm your email address';
  return (
    <Layout {...context} title={title} active="account">
      <div class="narrow">
        <h1>{title}</h1>
        {!context.mail ? (
          <NoMail />
        ) : link === null || link.purpose === 'reset' ? (
          <LinkGone again={{ href: '/signup', label: 'Sign up again' }} />
        ) : (
          <form method="post" action={`/email/confirm/${token}`} class="card">
            {signup ? (
              <p>
                Create the account <strong>{link.email}</strong> with the password you chose. You will be
                signed in on this device; what you did as a guest comes along.
              </p>
            ) : (
              <p>
                Confirm that <strong>{link.email}</strong> is the address of your Waymark account.
              </p>
            )}
            <button type="submit" class="button">
              {signup ? 'Create my account' : 'Confirm my address'}
            </button>
          </form>
        )}
      </div>
    </Layout>
  );
}

/** Settings: whether the account's address is verified, and a button that mails a link when it is not. */
export function EmailState({ verified }: { verified: boolean }): VNode {
  if (verified) return <p class="muted">Your email address is verified.</p>;
  return (
    <form method="post" action="/settings/email/verify">
      <p>
        Your email address is <strong>not verified</strong> yet. We can email it a link that proves it reaches
        you (it works once, for a day).
      </p>
      <button type="submit" class="button button-quiet">
        Send a verification link
      </button>
    </form>
  );
}
