import type { AttendeeRole, CommitmentKind, ReworkCause, Role, Severity } from "./bindings";

// The choices offered in selects, in display order; their labels come from i18n.
export const kinds: CommitmentKind[] = [
  "product",
  "service",
  "specification",
  "delivery",
  "acceptance",
  "warranty",
  "training",
  "other",
];

export const roles: Role[] = ["commercial", "operational", "executive"];

export const severities: Severity[] = ["blocking", "non-blocking"];

export const attendeeRoles: AttendeeRole[] = ["commercial_lead", "operational_lead", "customer", "other"];

export const reworkCauses: ReworkCause[] = ["ambiguity", "scope_change", "execution", "other"];
