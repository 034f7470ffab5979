// Who is using the app right now: the profiles of this device and the current one.
import { api } from "./api";
import type { Profile, Profiles } from "./bindings";
import { showLocale } from "./i18n.svelte";

export const session = $state<{ loaded: boolean; all: Profile[]; current: Profile | null }>({
  loaded: false,
  all: [],
  current: null,
});

export function applyProfiles(profiles: Profiles): void {
  session.all = profiles.all;
  session.current = profiles.current;
  // Each profile speaks its own language: switching profile switches it.
  showLocale(profiles.ui_language);
  session.loaded = true;
}

export async function loadProfiles(): Promise<void> {
  applyProfiles(await api.listProfiles());
}

/** Bumped when a sync brought changes: open lists and documents reload. */
export const synced = $state({ generation: 0 });
