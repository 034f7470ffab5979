// English and Spanish, switchable; the OS locale picks the first one. Every text the app shows
// comes from the one message catalogue (crates/messages/locales, Project Fluent), which the
// Rust side reads too; its ids are typed (messages.generated.ts) and a test keeps both languages
// complete.
import { FluentBundle, FluentResource } from "@fluent/bundle";
import { api } from "./api";
import { catalogue, type MessageId } from "./messages.generated";
import type { AmbiguityStatus, AttendeeRole, CommitmentKind, ReworkCause, Message, Role, Severity, SignerRole, Status, ValidationStatus } from "./bindings";

export type { MessageId };

export type Locale = "en" | "es";

function bundle(locale: Locale): FluentBundle {
  const made = new FluentBundle(locale, { useIsolating: false });
  const errors = made.addResource(new FluentResource(catalogue[locale]));
  if (errors.length > 0) console.error("message catalogue:", errors);
  return made;
}
const bundles: Record<Locale, FluentBundle> = { en: bundle("en"), es: bundle("es") };

// Until the profile's choice is read from the data directory (the core keeps it, per profile:
// the WebView's storage is shared by every data directory of the same user), the system's.
function systemLocale(): Locale {
  return navigator.language.toLowerCase().startsWith("es") ? "es" : "en";
}

export const i18n = $state({ locale: systemLocale() });

/** Shows the app in `locale` (a profile's stored choice, or the system's). */
export function showLocale(locale: Locale | null): void {
  i18n.locale = locale ?? systemLocale();
  document.documentElement.lang = i18n.locale;
}

/** The person chose a language: shown at once, kept with their profile. */
export async function chooseLocale(locale: Locale): Promise<void> {
  showLocale(locale);
  await api.setUiLanguage(locale);
}

/** The message `id` in the current language, its `{ $name }` arguments filled from `params`. */
export function t(id: MessageId, params: Record<string, string | number> = {}): string {
  return tIn(i18n.locale, id, params);
}

/** A message in a given language (a document's, rather than the person's). */
export function tIn(locale: Locale, id: MessageId, params: Record<string, string | number> = {}): string {
  const bundle = bundles[locale];
  const message = bundle.getMessage(id);
  if (!message?.value) return id;
  return bundle.formatPattern(message.value, params);
}

/** A clause as a sentence: capital first, full stop last (the core's messages are clauses, for
 * the command line's "error: …"). */
export function sentence(text: string): string {
  const first = text.charAt(0).toLocaleUpperCase(i18n.locale);
  const body = first + text.slice(1);
  return /[.!?…:]$/.test(body) ? body : `${body}.`;
}

/** A message the core sent (an error, a refusal), its arguments said first when they are
 * messages themselves (a role, a status). */
export function say(message: Message, locale: Locale = i18n.locale): string {
  const params: Record<string, string | number> = {};
  for (const [name, arg] of message.args ?? []) {
    params[name] = arg === null ? "" : typeof arg === "object" ? say(arg, locale) : arg;
  }
  return tIn(locale, message.id as MessageId, params);
}

type Labels = {
  status: Status; kind: CommitmentKind; role: Role; verdict: ValidationStatus; severity: Severity;
  ambiguity: AmbiguityStatus; signer: SignerRole; attendee: AttendeeRole; cause: ReworkCause;
};

type LabelId = { [K in keyof Labels]: `label-${K}-${Labels[K]}` }[keyof Labels];
// Every label of the core's values is a message of the catalogue (checked by tsc).
const labelsAreMessages: LabelId extends MessageId ? true : never = true;

/** Labels of the core's enums in the current language. */
export function label<K extends keyof Labels>(group: K, value: Labels[K]): string {
  return labelsAreMessages && t(`label-${group}-${value}` as LabelId);
}
