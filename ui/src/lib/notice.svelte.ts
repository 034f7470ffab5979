// The message banner: errors from the core shown as they come, one at a time.
import { AppError } from "./api";
import { refusalText } from "./i18n.svelte";

export const notice = $state({ message: "", kind: "" as string });

export function showError(error: unknown): void {
  if (error instanceof AppError) {
    notice.kind = error.kind;
    // A rule's refusal is said in the person's language; other messages come from the core.
    notice.message = error.refusal ? refusalText(error.refusal) : error.message;
  } else {
    notice.kind = "error";
    notice.message = error instanceof Error ? error.message : String(error);
  }
}

export function clearNotice(): void {
  notice.message = "";
  notice.kind = "";
}
