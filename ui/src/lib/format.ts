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

/** The time of day of an RFC 3339 time, in the person's language ("14:05"). */
export function timeOfDay(rfc3339: string): string {
  const date = new Date(rfc3339);
  if (Number.isNaN(date.getTime())) return rfc3339;
  return new Intl.DateTimeFormat(intlLocale(), { timeStyle: "short" }).format(date);
}

/** A calendar date (YYYY-MM-DD) as the person reads it: "5 Dec 2026", "5 dic 2026". */
export function day(isoDate: string | null | undefined): string {
  if (!isoDate) return "";
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  if (!match) return isoDate;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return new Intl.DateTimeFormat(intlLocale(), { dateStyle: "medium", timeZone: "UTC" }).format(date);
}

/** A local date and time as typed in a form ("2026-12-05T09:30"), in the person's language. */
export function localDateTime(text: string | null | undefined): string {
  if (!text) return "";
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(text);
  if (!match) return text;
  const [year, month, dayOfMonth, hour, minute] = match.slice(1).map(Number);
  const date = new Date(year, month - 1, dayOfMonth, hour, minute);
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
