import type { VNode } from 'preact';
import { Field, FormError, type FormState } from '../web/components/forms.js';
import type { SettingsSection } from '../web/settings-sections.js';
import {
  DISPLAY_NAME_MAX,
  HANDLE_MAX,
  HANDLE_MIN,
  getSettings,
  type ProfileSettings,
} from './profiles.service.js';

// The "Public profile" section of the settings page: choose a handle and display name, publish or
// stop publishing, remove the profile. Plain forms posting to /settings/profile (profiles.web.tsx).

export function ProfileSettingsSection({
  settings,
  form,
  origin,
}: {
  settings: ProfileSettings;
  form: FormState | null;
  origin: string;
}): VNode {
  const values = form?.values ?? {};
  const handle = values.handle ?? settings.handle ?? '';
  const publicOn = values.public !== undefined ? values.public === 'true' : settings.public;
  return (
    <section class="card settings-section" id="profile" aria-labelledby="profile-title">
      <h2 id="profile-title">Public profile</h2>
      <p>
        Off unless you turn it on. When it is on, anyone with the link sees your display name, your progress
        per roadmap you started, your verified projects (with their signed records) and your streak — never
        your email, notes or plan. Turning it off makes the page and the badge disappear at once.
      </p>
      {settings.url ? (
        <p>
          Your profile is <strong>public</strong> at <a href={settings.url}>{`${origin}${settings.url}`}</a>.
          README badge: <code>{`![Waymark](${origin}${settings.url}/badge.svg)`}</code>
        </p>
      ) : (
        <p>
          Your profile is <strong>not public</strong>.
        </p>
      )}
      <form method="post" action="/settings/profile" novalidate>
        <FormError message={form?.form ?? null} />
        <Field
          id="profile-handle"
          name="handle"
          label="Handle"
          value={handle}
          required
          minLength={HANDLE_MIN}
          maxLength={HANDLE_MAX}
          autocomplete="username"
          hint={`Your page's address: /u/your-handle. ${HANDLE_MIN}–${HANDLE_MAX} letters, digits or single hyphens.`}
          error={form?.fields.handle}
        />
        <Field
          id="profile-display-name"
          name="displayName"
          label="Display name"
          value={values.displayName ?? settings.displayName}
          required
          maxLength={DISPLAY_NAME_MAX}
          autocomplete="nickname"
          error={form?.fields.displayName}
        />
        <div class="field">
          <label>
            <input type="checkbox" name="public" value="true" checked={publicOn} /> Publish my profile
          </label>
        </div>
        <button type="submit" class="button">
          Save profile
        </button>
      </form>
      {settings.handle ? (
        <form method="post" action="/settings/profile/delete">
          <button type="submit" class="button button-quiet">
            Remove profile and free the handle
          </button>
        </form>
      ) : null}
    </section>
  );
}

/** The settings page section, shown to accounts (guests sign up first). */
export const profileSettingsSection: SettingsSection = {
  id: 'profile',
  label: 'Public profile',
  order: 10,
  async render({ app, request, user, form }) {
    if (!user || user.isGuest) return null;
    const settings = await getSettings(app.db.kysely, user.id);
    const origin = app.config.publicOrigins[0] ?? `${request.protocol}://${request.host}`;
    return <ProfileSettingsSection settings={settings} form={form} origin={origin} />;
  },
};
