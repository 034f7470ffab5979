import { i18n } from "./i18n.svelte";

const intlLocale = () => (i18n.locale === "es" ? "es-ES" : "en-GB");

export function money(value: number | null | undefined, currency: string): string {
  if (value === null || value === undefined) return "—";
  try {
    return new Intl.NumberFormat(intlLocale(), {
      style: "currency",
      currency: currency || "EUR",
      maximumFractionDigits: 0,
    }).format(value);
  } catch {
    // An unusual currency code: show the number and the code as typed.
    return `${new Intl.NumberFormat(intlLocale()).format(value)} ${currency}`;
  }
}

export function percent(value: number): string {
  return new Intl.NumberFormat(intlLocale(), { maximumFractionDigits: 1 }).format(value);
}

/** An RFC 3339 time as the person reads it, in their language. */
export function when(rfc3339: string | null | undefined): string {
  if (!rfc3339) return "";
  const date = new Date(rfc3339);
  if (Number.isNaN(date.getTime())) return rfc3339;
  return new Intl.DateTimeFormat(intlLocale(), { dateStyle: "medium", timeStyle: "short" }).format(date);
}

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
