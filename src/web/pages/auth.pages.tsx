import type { VNode } from 'preact';
import { PASSWORD_MAX, PASSWORD_MIN } from '../../auth/auth.service.js';
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

export function SignupPage({ context, form, returnTo }: AuthPageProps): VNode {
  const user = context.user;
  return (
    <Layout {...context} title="Sign up" active="account">
      <div class="narrow">
        <h1>Create your account</h1>
        {user && !user.isGuest ? (
          <AlreadySignedIn email={user.email} />
        ) : (
          <>
            <p class="lead">
              {user?.isGuest
                ? 'Everything you did as a guest — statuses, notes, checklists — stays with your new account.'
                : 'An account keeps your progress on every device. Nothing else is needed: no name, no newsletter.'}
            </p>
            <form
              method="post"
              action="/signup"
              class="card"
              data-api="POST /api/v1/auth/signup"
              data-then="go-return"
              novalidate
            >
              <FormError message={form.form} />
              <input type="hidden" name="return" value={returnTo} data-skip="" />
              <Field
                id="signup-email"
                name="email"
                label="Email"
                type="email"
                autocomplete="email"
                required
                value={form.values.email ?? ''}
                error={form.fields.email}
              />
              <Field
                id="signup-password"
                name="password"
                label="Password"
                type="password"
                autocomplete="new-password"
                required
                hint={`${PASSWORD_MIN} to ${PASSWORD_MAX} characters. A few unrelated words make a strong one.`}
                error={form.fields.password}
              />
              <button type="submit" class="button">
                Sign up
              </button>
            </form>
            <p>
              Already have an account? <a href={`/login?return=${encodeURIComponent(returnTo)}`}>Log in</a>
            </p>
          </>
        )}
      </div>
    </Layout>
  );
}

export function LoginPage({ context, form, returnTo }: AuthPageProps): VNode {
  const user = context.user;
  return (
    <Layout {...context} title="Log in" active="account">
      <div class="narrow">
        <h1>Log in</h1>
        {user && !user.isGuest ? (
          <AlreadySignedIn email={user.email} />
        ) : (
          <>
            {user?.isGuest ? (
              <p class="lead">
                What you did as a guest on this device is added to your account (the newest change wins).
              </p>
            ) : null}
            <form
              method="post"
              action="/login"
              class="card"
              data-api="POST /api/v1/auth/login"
              data-then="go-return"
              novalidate
            >
              <FormError message={form.form} />
              <input type="hidden" name="return" value={returnTo} data-skip="" />
              <Field
                id="login-email"
                name="email"
                label="Email"
                type="email"
                autocomplete="email"
                required
                value={form.values.email ?? ''}
                error={form.fields.email}
              />
              <Field
                id="login-password"
                name="password"
                label="Password"
                type="password"
                autocomplete="current-password"
                required
                error={form.fields.password}
              />
              <button type="submit" class="button">
                Log in
              </button>
            </form>
            <p>
              New here? <a href={`/signup?return=${encodeURIComponent(returnTo)}`}>Create an account</a>
            </p>
          </>
        )}
      </div>
    </Layout>
  );
}
