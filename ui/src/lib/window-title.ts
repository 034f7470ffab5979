// The window's title names the open document, so the taskbar and the window switcher tell
// two open scopes apart.
import { getCurrentWindow } from "@tauri-apps/api/window";

export function showWindowTitle(documentTitle: string | null): void {
  const name = documentTitle?.trim();
  const title = name ? `${name} — ScopePact` : "ScopePact";
  document.title = title;
  // Outside the app (a plain browser), there is no native window to name.
  getCurrentWindow()
    .setTitle(title)
    .catch(() => undefined);
}
