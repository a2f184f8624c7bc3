import type { FeatureManifest } from '../features.js';
import { profilesUserData } from './profiles.data.js';
import profilesRoutes from './profiles.routes.js';
import { profileSettingsSection } from './profiles.settings.js';
import profilePages from './profiles.web.js';

/**
 * Public profiles (opt-in, off by default): the settings API and section, the public page
 * /u/{handle}, its README badge and its verification records, and the `profile` export section.
 */
export const profilesFeature: FeatureManifest = {
  name: 'profiles',
  routes: [profilesRoutes],
  pages: [profilePages],
  userData: profilesUserData,
  settingsSections: [profileSettingsSection],
};
