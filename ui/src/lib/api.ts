// The one door to the Rust core: unwraps tauri-specta's results and turns a failure into an
// AppError carrying the core's kind and message (an id and arguments of the message catalogue,
// said in the person's language by `errorText`).
import { commands, events, type CommandError, type MeetingSession, type PresenceChanged, type SyncStatus, type Edit, type GroupBy, type Language, type Message, type PaperSize, type Role, type SignRequest } from "./bindings";

export class AppError extends Error {
  readonly kind: CommandError["kind"];
  readonly said: Message;
  constructor(error: CommandError) {
    super(error.message.id);
    this.kind = error.kind;
    this.said = error.message;
  }
}

type Outcome<T> = { status: "ok"; data: T } | { status: "error"; error: CommandError };

async function unwrap<T>(pending: Promise<Outcome<T>>): Promise<T> {
  const result = await pending;
  if (result.status === "error") throw new AppError(result.error);
  return result.data;
}

// Edits run one after the other, in the order the person made them: two quick changes (a field
// cleared then typed) must not reach the store the other way round.
let editQueue: Promise<unknown> = Promise.resolve();
function inOrder<T>(work: () => Promise<T>): Promise<T> {
  const next = editQueue.then(work, work);
  editQueue = next.catch(() => undefined);
  return next;
}

export const api = {
  appInfo: () => unwrap(commands.appInfo()),
  setUiLanguage: (language: Language) => unwrap(commands.setUiLanguage(language)),
  createSample: () => unwrap(commands.createSample()),
  listDocuments: () => unwrap(commands.listDocuments()),
  createDocument: (title: string, language: Language) => unwrap(commands.createDocument(title, language)),
  companySettings: () => unwrap(commands.companySettings()),
  setCompanySetting: (key: string, value: string) => unwrap(commands.setCompanySetting(key, value)),
  companyHistory: () => unwrap(commands.companyHistory()),
  listTemplates: () => unwrap(commands.listTemplates()),
  createFromTemplate: (name: string, title: string) => unwrap(commands.createFromTemplate(name, title)),
  saveTemplate: (id: string, name: string, productLine: string) => unwrap(commands.saveTemplate(id, name, productLine)),
  retireLibraryEntry: (entry: string, reason: string) => unwrap(commands.retireLibraryEntry(entry, reason)),
  openDocument: (id: string) => unwrap(commands.openDocument(id)),
  editDocument: (id: string, edit: Edit) => inOrder(() => unwrap(commands.editDocument(id, edit))),
  librarySearch: (text: string, limit: number) => unwrap(commands.librarySearch(text, limit)),
  insertFromLibrary: (id: string, entry: string, after: string | null) => inOrder(() => unwrap(commands.insertFromLibrary(id, entry, after))),
  repairDocument: (id: string) => inOrder(() => unwrap(commands.repairDocument(id))),
  signDocument: (id: string, request: SignRequest) => inOrder(() => unwrap(commands.signDocument(id, request))),
  exportPdf: (id: string, paper: PaperSize, path: string | null) => inOrder(() => unwrap(commands.exportPdf(id, paper, path))),
  verifyPdf: (path: string) => unwrap(commands.verifyPdf(path)),
  countersignPdf: (path: string) => inOrder(() => unwrap(commands.countersignPdf(path))),
  openFile: (path: string) => unwrap(commands.openFile(path)),
  printFile: (path: string) => unwrap(commands.printFile(path)),
  importDocument: (path: string) => unwrap(commands.importDocument(path)),
  listProfiles: () => unwrap(commands.listProfiles()),
  addProfile: (name: string, email: string, role: Role) => unwrap(commands.addProfile(name, email, role)),
  switchProfile: (id: string) => unwrap(commands.switchProfile(id)),
  itemHistory: (id: string, itemId: string) => unwrap(commands.itemHistory(id, itemId)),
  syncStatus: () => unwrap(commands.syncStatus()),
  syncSettings: () => unwrap(commands.syncSettings()),
  setSyncSettings: (server: string, token: string | null) => unwrap(commands.setSyncSettings(server, token)),
  syncNow: () => unwrap(commands.syncNow()),
  setPresence: (id: string | null, commitment: string | null) => unwrap(commands.setPresence(id, commitment)),
  documentPresence: (id: string) => unwrap(commands.documentPresence(id)),
  meetingSession: () => unwrap(commands.meetingSession()),
  hostMeetingSession: (id: string) => unwrap(commands.hostMeetingSession(id)),
  joinMeetingSession: (address: string, code: string) => unwrap(commands.joinMeetingSession(address, code)),
  discoverMeetingSessions: () => unwrap(commands.discoverMeetingSessions()),
  endMeetingSession: () => unwrap(commands.endMeetingSession()),
  removeFromMeetingSession: (numberOf: number) => unwrap(commands.removeFromMeetingSession(numberOf)),
  recordSessionAttendees: (id: string) => inOrder(() => unwrap(commands.recordSessionAttendees(id))),
  handoffKpis: (from: string | null, to: string | null, by: GroupBy) => unwrap(commands.handoffKpis(from, to, by)),
  exportKpisCsv: (from: string | null, to: string | null, by: GroupBy, path: string | null) => unwrap(commands.exportKpisCsv(from, to, by, path)),
};

/** Calls `handler` each time the sync status changes (pushed by the core, no polling); resolves
 *  to the function that stops listening. */
export const onSyncStatus = (handler: (status: SyncStatus) => void) => events.syncStatusChanged.listen((event) => handler(event.payload));

/** Calls `handler` each time who else has a document open changes. */
export const onPresence = (handler: (change: PresenceChanged) => void) => events.presenceChanged.listen((event) => handler(event.payload));

/** Calls `handler` each time the meeting session changes (someone joined, the code changed…). */
export const onMeetingSession = (handler: (session: MeetingSession) => void) => events.meetingSessionChanged.listen((event) => handler(event.payload));
