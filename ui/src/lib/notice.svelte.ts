// The message banner: errors from the core shown as they come, one at a time, in the person's
// language.
import { AppError } from "./api";
import { say, sentence } from "./i18n.svelte";

export const notice = $state({ message: "", kind: "" as string });

/** What went wrong, said in the current language. */
export function errorText(error: unknown): string {
  if (error instanceof AppError) return sentence(say(error.said));
  return error instanceof Error ? error.message : String(error);
}

export function showError(error: unknown): void {
  notice.kind = error instanceof AppError ? error.kind : "error";
  notice.message = errorText(error);
}

export function clearNotice(): void {
  notice.message = "";
  notice.kind = "";
}
