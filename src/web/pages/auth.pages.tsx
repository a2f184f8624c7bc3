import type { VNode } from 'preact';
import { PASSWORD_MAX, PASSWORD_MIN } from '../../auth/credentials.js';
import { Field, FormError, type FormState } from '../components/forms.js';
import { Layout, type PageContext } from '../layout.js';

// Sign up and log in. Both forms post to their no-JS routes (/signup, /login); with JavaScript they
// call the JSON API (/api/v1/auth/…) instead and show its messages next to the fields.

export const CREDENTIAL_FIELDS = ['email', 'password'] as const;

interface AuthPageProps {
  context: PageContext;
  form: FormState;
  /** Where to go after success (same-site path). */
  returnTo: string;
}

function AlreadySignedIn({ email }: { email: string | null }) {
  return (
    <div class="card">
      <p>
        You are signed in as <strong>{email}</strong>.
      </p>
      <form method="post" action="/logout" data-api="POST /api/v1/auth/logout" data-then="go:/">
        <button type="submit" class="button button-quiet">
          Log out
        </button>
      </form>
    </div>
  );
}

const FORMS = {
  signup: {
    title: 'Sign up',
    heading: 'Create your account',
    button: 'Sign up',
    passwordAutocomplete: 'new-password',
    passwordHint: `${PASSWORD_MIN} to ${PASSWORD_MAX} characters. A few unrelated words make a strong one.`,
    guestLead: 'Everything you did as a guest — statuses, notes, checklists — stays with your new account.',
    visitorLead:
      'An account keeps your progress on every device. Nothing else is needed: no name, no newsletter.',
    other: { question: 'Already have an account?', link: 'Log in', path: '/login' },
  },
  login: {
    title: 'Log in',
    heading: 'Log in',
    button: 'Log in',
    passwordAutocomplete: 'current-password',
    passwordHint: undefined,
    guestLead: 'What you did as a guest on this device is added to your account (the newest change wins).',
    visitorLead: null,
    other: { question: 'New here?', link: 'Create an account', path: '/signup' },
  },
} as const;

/** The sign-up and log-in pages: the same email + password form, posting to /signup or /login. */
function CredentialsPage({
  kind,
  context,
  form,
  returnTo,
}: AuthPageProps & { kind: keyof typeof FORMS }): VNode {
  const text = FORMS[kind];
  const user = context.user;
  const lead = user?.isGuest ? text.guestLead : text.visitorLead;
  // With email on, sign-up finishes through an emailed link: a plain form post, answered with "check
  // your inbox" (the JSON API answers 202 the same way for every address).
  const byLink = kind === 'signup' && context.mail;
  return (
    <Layout {...context} title={text.title} active="account">
      <div class="narrow">
        <h1>{text.heading}</h1>
        {user && !user.isGuest ? (
          <AlreadySignedIn email={user.email} />
        ) : (
          <>
            {lead ? <p class="lead">{lead}</p> : null}
            <form
              method="post"
              action={`/${kind}`}
              class="card"
              data-api={byLink ? undefined : `POST /api/v1/auth/${kind}`}
              data-then={byLink ? undefined : 'go-return'}
              novalidate
            >
              <FormError message={form.form} />
              <input type="hidden" name="return" value={returnTo} data-skip="" />
              <Field
                id={`${kind}-email`}
                name="email"
                label="Email"
                type="email"
                autocomplete="email"
                required
                value={form.values.email ?? ''}
                error={form.fields.email}
              />
              <Field
                id={`${kind}-password`}
                name="password"
                label="Password"
                type="password"
                autocomplete={text.passwordAutocomplete}
                required
                hint={text.passwordHint}
                error={form.fields.password}
              />
              <button type="submit" class="button">
                {text.button}
              </button>
            </form>
            {byLink ? (
              <p class="muted">We will email you a link to finish; the account exists once you open it.</p>
            ) : null}
            {kind === 'login' && context.mail ? (
              <p>
                <a href="/password/forgot">Forgot your password?</a>
              </p>
            ) : null}
            <p>
              {text.other.question}{' '}
              <a href={`${text.other.path}?return=${encodeURIComponent(returnTo)}`}>{text.other.link}</a>
            </p>
          </>
        )}
      </div>
    </Layout>
  );
}

export function SignupPage(props: AuthPageProps): VNode {
  return <CredentialsPage kind="signup" {...props} />;
}

export function LoginPage(props: AuthPageProps): VNode {
  return <CredentialsPage kind="login" {...props} />;
}
