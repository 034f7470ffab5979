// The message banner: errors from the core shown as they come, one at a time.
import { AppError } from "./api";

export const notice = $state({ message: "", kind: "" as string });

export function showError(error: unknown): void {
  if (error instanceof AppError) {
    notice.kind = error.kind;
    notice.message = error.message;
  } else {
    notice.kind = "error";
    notice.message = error instanceof Error ? error.message : String(error);
  }
}

export function clearNotice(): void {
  notice.message = "";
  notice.kind = "";
}
