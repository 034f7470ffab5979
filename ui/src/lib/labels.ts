import type { CommitmentKind, Role } from "./bindings";

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

export const kindLabel: Record<CommitmentKind, string> = {
  product: "Product",
  service: "Service",
  specification: "Specification",
  delivery: "Delivery",
  acceptance: "Acceptance",
  warranty: "Warranty",
  training: "Training",
  other: "Other",
};

export const roles: Role[] = ["commercial", "operational", "executive"];

export const roleLabel: Record<Role, string> = {
  commercial: "Commercial",
  operational: "Operational",
  executive: "Executive",
};
