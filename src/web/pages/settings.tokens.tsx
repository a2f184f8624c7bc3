import type { VNode } from 'preact';
import type { PublicApiToken } from '../../auth/auth.presenters.js';
import { Field, FormError, type FormState } from '../components/forms.js';

// The credentials part of the settings page: the API tokens section, and the row pieces the sessions
// table shares with it (dates, the "Revoke" form).

export function when(iso: string | null): VNode | string {
  if (!iso) return 'never';
  return <time datetime={iso}>{iso.slice(0, 16).replace('T', ' ')} UTC</time>;
}

/**
 * The "Revoke" button of a session or token row: a plain form post without JavaScript, the JSON API
 * (and the row removed) with it. `what` completes the button's accessible name.
 */
export function RevokeForm({
  kind,
  id,
  what,
}: {
  kind: 'session' | 'token';
  id: string;
  what: string;
}): VNode {
  const plural = `${kind}s`;
  const idName = `${kind}Id`;
  return (
    <form
      method="post"
      action={`/settings/${plural}/${id}/revoke`}
      class="inline-form"
      data-api={`DELETE /api/v1/me/${plural}/{${idName}}`}
      data-then="remove:tr"
      data-success={`${kind === 'session' ? 'Session' : 'Token'} revoked.`}
    >
      <input type="hidden" name={idName} value={id} />
      <button type="submit" class="button button-quiet button-small">
        Revoke<span class="visually-hidden"> {what}</span>
      </button>
    </form>
  );
}

export function TokenRow({ token }: { token: PublicApiToken }): VNode {
  return (
    <tr data-token={token.id}>
      <td>{token.name}</td>
      <td>
        <code>{token.prefix}…</code>
      </td>
      <td>{when(token.createdAt)}</td>
      <td>{when(token.lastUsedAt)}</td>
      <td>{token.expiresAt ? when(token.expiresAt) : 'never'}</td>
      <td>
        <RevokeForm kind="token" id={token.id} what={`token ${token.name}`} />
      </td>
    </tr>
  );
}

function TokenSecret({ name, secret }: { name: string; secret: string }): VNode {
  return (
    <>
      <p>
        <strong>Token “{name}” created.</strong> Copy it now: it is shown only once.
      </p>
      <code id="token-secret-value">{secret}</code>
    </>
  );
}

/** "API tokens": the learner's tokens, the secret of one just created (shown once) and the form to create one. */
export function TokensSection({
  tokens,
  newToken,
  form,
}: {
  tokens: PublicApiToken[];
  newToken: { name: string; secret: string } | null;
  form: FormState;
}): VNode {
  return (
    <section class="card settings-section" id="tokens" aria-labelledby="tokens-title">
      <h2 id="tokens-title">API tokens</h2>
      <p class="muted">
        Personal tokens let scripts use the <a href="/api/docs">Waymark API</a> as you: send{' '}
        <code>Authorization: Bearer wm_…</code>.
      </p>
      <div class="secret-box" data-token-secret="" hidden={!newToken} role="status">
        {newToken ? <TokenSecret name={newToken.name} secret={newToken.secret} /> : null}
      </div>
      {tokens.length ? (
        <div class="table-scroll">
          <table class="data-table" data-token-table="">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Starts with</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Expires</th>
                <th scope="col">
                  <span class="visually-hidden">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((token) => (
                <TokenRow token={token} key={token.id} />
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p data-no-tokens="">You have no API tokens.</p>
      )}
      <h3>Create a token</h3>
      <form
        method="post"
        action="/settings/tokens"
        data-api="POST /api/v1/me/tokens"
        data-then="event"
        data-token-form=""
        novalidate
      >
        <FormError message={form.form} />
        <div class="row">
          <Field
            id="token-name"
            name="name"
            label="Name"
            required
            maxLength={80}
            hint="What will use it, e.g. “CI script”."
            value={form.values.name ?? ''}
            error={form.fields.name}
          />
          <Field
            id="token-days"
            name="expiresInDays"
            label="Expires after (days)"
            type="number"
            min={1}
            max={3650}
            dataType="integer"
            hint="Leave empty for no expiry."
            value={form.values.expiresInDays ?? ''}
            error={form.fields.expiresInDays}
          />
          <div class="field">
            <label for="token-scope">Access</label>
            <span class="field-hint" id="token-scope-hint">
              No token can sign in, manage sessions or tokens, change the password or delete the account.
            </span>
            <select id="token-scope" name="scope" aria-describedby="token-scope-hint">
              <option value="read-write" selected={form.values.scope !== 'read'}>
                Read and change your learning data
              </option>
              <option value="read" selected={form.values.scope === 'read'}>
                Read only
              </option>
            </select>
          </div>
          <button type="submit" class="button">
            Create token
          </button>
        </div>
      </form>
    </section>
  );
}
