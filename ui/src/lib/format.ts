import type { Status } from "./bindings";

export function money(value: number | null, currency: string): string {
  if (value === null) return "—";
  try {
    return new Intl.NumberFormat(undefined, {
      style: "currency",
      currency: currency || "EUR",
      maximumFractionDigits: 0,
    }).format(value);
  } catch {
    // An unusual currency code: show the number and the code as typed.
    return `${new Intl.NumberFormat().format(value)} ${currency}`;
  }
}

export const statusLabel: Record<Status, string> = {
  draft: "Draft",
  in_validation: "In validation",
  ready_to_sign: "Ready to sign",
  signed: "Signed",
  handed_off: "Handed off",
  closed: "Closed",
  stopped_at_validation: "Stopped at validation",
  amended_after_signature: "Amended after signature",
};

/**
 * The number typed in an input: null when empty, undefined when it is not a number (the
 * caller says so instead of sending anything). "12,5" is read as 12.5; spaces are ignored.
 */
export function parseNumber(text: string): number | null | undefined {
  let cleaned = text.replace(/\s/g, "");
  if (cleaned === "") return null;
  if (/^-?\d+,\d+$/.test(cleaned)) cleaned = cleaned.replace(",", ".");
  const value = Number(cleaned);
  return Number.isFinite(value) ? value : undefined;
}
