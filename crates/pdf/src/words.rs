//! What the printed scope says, in the document's language, and how it writes dates and amounts
//! there: "30 nov 2026, 21:33 UTC" and "1.290.000,00 €" in Spanish, "30 Nov 2026, 21:33 UTC" and
//! "1,290,000.00 EUR" in English. No raw RFC 3339 time reaches the page.

use scopepact_scope::interchange::{AttendeeRole, Language, Role, Severity, ValidationStatus};
use scopepact_scope::refusal::SignerRole;
use scopepact_scope::status::Status;

#[derive(Debug)]
pub struct Words {
    pub language: Language,
    pub committed_scope_label: &'static str,
    pub status: &'static str,
    pub customer: &'static str,
    pub customer_contact: &'static str,
    pub deal_value: &'static str,
    pub crm_reference: &'static str,
    pub target_close: &'static str,
    pub significant_deal: &'static str,
    pub significant_yes: &'static str,
    pub no: &'static str,
    pub parties: &'static str,
    pub commercial_lead: &'static str,
    pub operational_lead: &'static str,
    pub customer_signatory: &'static str,
    pub executive: &'static str,
    pub fingerprint: &'static str,
    pub document: &'static str,
    pub content_sha256: &'static str,
    pub signatures: &'static str,
    pub exported: &'static str,
    /// `{at} by {who} (sealing key {key})`
    pub exported_by: &'static str,
    pub carries_manifest: &'static str,
    pub committed_scope: &'static str,
    pub reference: &'static str,
    pub commitment: &'static str,
    pub price: &'static str,
    pub operational_verdict: &'static str,
    pub quantity: &'static str,
    pub delivery: &'static str,
    pub weeks: &'static str,
    pub acceptance: &'static str,
    pub by: &'static str,
    pub condition: &'static str,
    pub reason: &'static str,
    /// `(was {verdict}; changed since: {fields})`
    pub was_changed_since: &'static str,
    pub ambiguity_register: &'static str,
    pub no_questions: &'static str,
    pub question: &'static str,
    pub severity: &'static str,
    pub state: &'static str,
    pub raised_by: &'static str,
    pub open: &'static str,
    pub open_overridden: &'static str,
    pub resolved: &'static str,
    /// `transferred to {owner}, due {due}`
    pub transferred: &'static str,
    pub assumptions: &'static str,
    pub exclusions: &'static str,
    pub none: &'static str,
    pub text: &'static str,
    pub agreement: &'static str,
    /// `written by {side}; {agreement}`
    pub written_by: &'static str,
    pub agreed_by: &'static str,
    pub not_agreed: &'static str,
    pub economics: &'static str,
    pub revenue: &'static str,
    pub estimated_cost: &'static str,
    pub margin: &'static str,
    pub margin_threshold: &'static str,
    /// `Override by {who} on {at}: {reason}`
    pub override_by: &'static str,
    pub transfer_meeting: &'static str,
    pub held: &'static str,
    pub place: &'static str,
    pub mandatory_attendance: &'static str,
    pub complete: &'static str,
    /// `incomplete: {who} not present`
    pub incomplete: &'static str,
    pub attendee: &'static str,
    pub email: &'static str,
    pub attends_as: &'static str,
    pub presence: &'static str,
    pub present: &'static str,
    pub absent: &'static str,
    pub agenda: &'static str,
    pub minutes: &'static str,
    pub decisions: &'static str,
    pub action_item: &'static str,
    pub owner: &'static str,
    pub due: &'static str,
    pub done: &'static str,
    pub not_signed_yet: &'static str,
    pub signed_at: &'static str,
    pub key: &'static str,
    /// `Signed on {host}'s device, witnessed by that key`
    pub witnessed: &'static str,
    pub signature_holds: &'static str,
    pub signature_content_changed: &'static str,
    pub signature_amended: &'static str,
    pub signature_invalid: &'static str,
    /// `Amendment started by {who} on {at}: {reason}`
    pub amendment: &'static str,
    pub audit_certificate: &'static str,
    /// `Document {id}; content SHA-256 {hash}. …`
    pub audit_intro: &'static str,
    pub when_utc: &'static str,
    pub who: &'static str,
    pub device: &'static str,
    pub what: &'static str,
    /// `{host}'s device`
    pub device_of: &'static str,
    /// `signature as {role} — key {key}`
    pub signature_as: &'static str,
    /// `page {n} of {total}`
    pub page_of: &'static str,
    pub months: [&'static str; 12],
}

const EN: Words = Words {
    language: Language::En,
    committed_scope_label: "COMMITTED SCOPE",
    status: "Status",
    customer: "Customer",
    customer_contact: "Customer contact",
    deal_value: "Deal value",
    crm_reference: "CRM reference",
    target_close: "Target close",
    significant_deal: "Significant deal",
    significant_yes: "yes: the customer co-signs",
    no: "no",
    parties: "Parties",
    commercial_lead: "Commercial lead",
    operational_lead: "Operational lead",
    customer_signatory: "Customer signatory",
    executive: "Executive",
    fingerprint: "Fingerprint",
    document: "Document",
    content_sha256: "Content SHA-256",
    signatures: "Signatures",
    exported: "Exported",
    exported_by: "{at} by {who} (sealing key {key})",
    carries_manifest: "This file carries the signed manifest (content and signatures) and PDF signatures any reader checks: `scopepact verify FILE.pdf` also proves the pages show the signed content.",
    committed_scope: "Committed scope",
    reference: "Ref",
    commitment: "Commitment",
    price: "Price",
    operational_verdict: "Operational verdict",
    quantity: "Quantity",
    delivery: "Delivery",
    weeks: "weeks",
    acceptance: "Acceptance",
    by: "by",
    condition: "Condition",
    reason: "Reason",
    was_changed_since: "(was {verdict}; changed since: {fields})",
    ambiguity_register: "Ambiguity register",
    no_questions: "No open questions were raised.",
    question: "Question",
    severity: "Severity",
    state: "State",
    raised_by: "raised by",
    open: "open",
    open_overridden: "open, overridden",
    resolved: "resolved",
    transferred: "transferred to {owner}, due {due}",
    assumptions: "Assumptions",
    exclusions: "Exclusions",
    none: "None.",
    text: "Text",
    agreement: "Agreement",
    written_by: "written by {side}; {agreement}",
    agreed_by: "agreed by",
    not_agreed: "not agreed",
    economics: "Economics",
    revenue: "Revenue (deal value)",
    estimated_cost: "Estimated cost",
    margin: "Margin",
    margin_threshold: "Margin threshold",
    override_by: "Override by {who} on {at}: {reason}",
    transfer_meeting: "Transfer meeting",
    held: "Held",
    place: "Place",
    mandatory_attendance: "Mandatory attendance",
    complete: "complete",
    incomplete: "incomplete: {who} not present",
    attendee: "Attendee",
    email: "Email",
    attends_as: "Attends as",
    presence: "Presence",
    present: "present",
    absent: "absent",
    agenda: "Agenda",
    minutes: "Minutes",
    decisions: "Decisions",
    action_item: "Action item",
    owner: "Owner",
    due: "Due",
    done: "done",
    not_signed_yet: "Not signed yet.",
    signed_at: "Signed",
    key: "Key",
    witnessed: "Signed on {host}'s device, witnessed by that key",
    signature_holds: "Signature holds",
    signature_content_changed: "Signature no longer holds: the content changed after it",
    signature_amended: "Signature no longer holds: voided by an amendment",
    signature_invalid: "Signature DOES NOT VERIFY",
    amendment: "Amendment started by {who} on {at}: {reason}",
    audit_certificate: "Audit certificate",
    audit_intro: "Document {id}; content SHA-256 {hash}. The timeline below comes from the document's own change history, which travels with it through every sync.",
    when_utc: "When (UTC)",
    who: "Who",
    device: "Device",
    what: "What",
    device_of: "{host}'s device",
    signature_as: "signature as {role} — key {key}",
    page_of: "page {n} of {total}",
    months: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
};

const ES: Words = Words {
    language: Language::Es,
    committed_scope_label: "ALCANCE COMPROMETIDO",
    status: "Estado",
    customer: "Cliente",
    customer_contact: "Contacto del cliente",
    deal_value: "Valor del contrato",
    crm_reference: "Referencia CRM",
    target_close: "Cierre previsto",
    significant_deal: "Contrato significativo",
    significant_yes: "sí: el cliente cofirma",
    no: "no",
    parties: "Partes",
    commercial_lead: "Responsable comercial",
    operational_lead: "Responsable de operaciones",
    customer_signatory: "Firmante del cliente",
    executive: "Dirección",
    fingerprint: "Huella",
    document: "Documento",
    content_sha256: "SHA-256 del contenido",
    signatures: "Firmas",
    exported: "Exportado",
    exported_by: "{at} por {who} (clave de sellado {key})",
    carries_manifest: "Este archivo lleva el manifiesto firmado (contenido y firmas) y firmas PDF que cualquier lector comprueba: `scopepact verify ARCHIVO.pdf` además prueba que las páginas muestran el contenido firmado.",
    committed_scope: "Alcance comprometido",
    reference: "Ref.",
    commitment: "Compromiso",
    price: "Precio",
    operational_verdict: "Veredicto de operaciones",
    quantity: "Cantidad",
    delivery: "Entrega",
    weeks: "semanas",
    acceptance: "Aceptación",
    by: "por",
    condition: "Condición",
    reason: "Motivo",
    was_changed_since: "(era {verdict}; cambiado desde entonces: {fields})",
    ambiguity_register: "Registro de ambigüedades",
    no_questions: "No se planteó ninguna pregunta abierta.",
    question: "Pregunta",
    severity: "Gravedad",
    state: "Estado",
    raised_by: "planteada por",
    open: "abierta",
    open_overridden: "abierta, con excepción de dirección",
    resolved: "resuelta",
    transferred: "transferida a {owner}, vence el {due}",
    assumptions: "Supuestos",
    exclusions: "Exclusiones",
    none: "Ninguno.",
    text: "Texto",
    agreement: "Acuerdo",
    written_by: "escrito por {side}; {agreement}",
    agreed_by: "acordado por",
    not_agreed: "sin acordar",
    economics: "Economía",
    revenue: "Ingresos (valor del contrato)",
    estimated_cost: "Coste estimado",
    margin: "Margen",
    margin_threshold: "Umbral de margen",
    override_by: "Excepción de {who} el {at}: {reason}",
    transfer_meeting: "Reunión de traspaso",
    held: "Celebrada",
    place: "Lugar",
    mandatory_attendance: "Asistencia obligatoria",
    complete: "completa",
    incomplete: "incompleta: {who} no asistió",
    attendee: "Asistente",
    email: "Correo",
    attends_as: "Asiste como",
    presence: "Presencia",
    present: "presente",
    absent: "ausente",
    agenda: "Orden del día",
    minutes: "Acta",
    decisions: "Decisiones",
    action_item: "Acción",
    owner: "Responsable",
    due: "Vence",
    done: "hecha",
    not_signed_yet: "Aún sin firmar.",
    signed_at: "Firmado",
    key: "Clave",
    witnessed: "Firmado en el equipo de {host}, con su clave como testigo",
    signature_holds: "La firma es válida",
    signature_content_changed: "La firma ya no es válida: el contenido cambió después",
    signature_amended: "La firma ya no es válida: la anuló una enmienda",
    signature_invalid: "La firma NO SE PUEDE VERIFICAR",
    amendment: "Enmienda iniciada por {who} el {at}: {reason}",
    audit_certificate: "Certificado de auditoría",
    audit_intro: "Documento {id}; SHA-256 del contenido {hash}. La cronología procede del propio historial de cambios del documento, que viaja con él en cada sincronización.",
    when_utc: "Cuándo (UTC)",
    who: "Quién",
    device: "Equipo",
    what: "Qué",
    device_of: "equipo de {host}",
    signature_as: "firma como {role} — clave {key}",
    page_of: "página {n} de {total}",
    months: ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"],
};

pub fn words(language: Language) -> &'static Words {
    match language {
        Language::En => &EN,
        Language::Es => &ES,
    }
}

/// Fills `{name}` placeholders.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

impl Words {
    pub fn status(&self, status: Status) -> &'static str {
        let en = self.language == Language::En;
        match status {
            Status::Draft => {
                if en {
                    "draft"
                } else {
                    "borrador"
                }
            }
            Status::InValidation => {
                if en {
                    "in validation"
                } else {
                    "en validación"
                }
            }
            Status::ReadyToSign => {
                if en {
                    "ready to sign"
                } else {
                    "listo para firmar"
                }
            }
            Status::Signed => {
                if en {
                    "signed"
                } else {
                    "firmado"
                }
            }
            Status::HandedOff => {
                if en {
                    "handed off"
                } else {
                    "traspasado"
                }
            }
            Status::Closed => {
                if en {
                    "closed"
                } else {
                    "cerrado"
                }
            }
            Status::StoppedAtValidation => {
                if en {
                    "stopped at validation"
                } else {
                    "detenido en validación"
                }
            }
            Status::AmendedAfterSignature => {
                if en {
                    "amended after signature"
                } else {
                    "enmendado tras la firma"
                }
            }
        }
    }

    pub fn side(&self, role: Role) -> &'static str {
        let en = self.language == Language::En;
        match role {
            Role::Commercial => {
                if en {
                    "commercial"
                } else {
                    "comercial"
                }
            }
            Role::Operational => {
                if en {
                    "operational"
                } else {
                    "operaciones"
                }
            }
            Role::Executive => {
                if en {
                    "executive"
                } else {
                    "dirección"
                }
            }
        }
    }

    pub fn signer(&self, role: SignerRole) -> &'static str {
        match role {
            SignerRole::CommercialLead => self.commercial_lead,
            SignerRole::OperationalLead => self.operational_lead,
            SignerRole::Customer => self.customer,
        }
    }

    pub fn verdict(&self, status: ValidationStatus) -> &'static str {
        let en = self.language == Language::En;
        match status {
            ValidationStatus::Pending => {
                if en {
                    "pending"
                } else {
                    "pendiente"
                }
            }
            ValidationStatus::Feasible => {
                if en {
                    "feasible"
                } else {
                    "viable"
                }
            }
            ValidationStatus::Conditional => {
                if en {
                    "conditional"
                } else {
                    "condicionado"
                }
            }
            ValidationStatus::Infeasible => {
                if en {
                    "infeasible"
                } else {
                    "inviable"
                }
            }
        }
    }

    pub fn severity(&self, severity: Severity) -> &'static str {
        let en = self.language == Language::En;
        match severity {
            Severity::Blocking => {
                if en {
                    "blocking"
                } else {
                    "bloqueante"
                }
            }
            Severity::NonBlocking => {
                if en {
                    "non-blocking"
                } else {
                    "no bloqueante"
                }
            }
        }
    }

    pub fn attendee_role(&self, role: AttendeeRole) -> &'static str {
        let en = self.language == Language::En;
        match role {
            AttendeeRole::CommercialLead => {
                if en {
                    "commercial lead"
                } else {
                    "responsable comercial"
                }
            }
            AttendeeRole::OperationalLead => {
                if en {
                    "operational lead"
                } else {
                    "responsable de operaciones"
                }
            }
            AttendeeRole::Customer => {
                if en {
                    "customer"
                } else {
                    "cliente"
                }
            }
            AttendeeRole::Other => {
                if en {
                    "other"
                } else {
                    "otro"
                }
            }
        }
    }

    /// What a change of the audit timeline did.
    pub fn action(&self, action: &str, items: &str) -> Option<String> {
        let en = self.language == Language::En;
        Some(match action {
            "import" | "create" | "new_document" => (if en {
                "created the document"
            } else {
                "creó el documento"
            })
            .to_string(),
            "validate_commitment" => format!("{} {items}", if en { "validated" } else { "validó" }),
            "transfer_ambiguity" => {
                format!("{} {items}", if en { "transferred" } else { "transfirió" })
            }
            "resolve_ambiguity" => format!("{} {items}", if en { "resolved" } else { "resolvió" }),
            "override" => (if en {
                "overrode the gate"
            } else {
                "autorizó una excepción"
            })
            .to_string(),
            "revoke_override" => (if en {
                "revoked an override"
            } else {
                "retiró una excepción"
            })
            .to_string(),
            "agree" => format!("{} {items}", if en { "agreed to" } else { "acordó" }),
            "start_amendment" => (if en {
                "started an amendment"
            } else {
                "inició una enmienda"
            })
            .to_string(),
            "delete_commitment" => (if en {
                "deleted a commitment"
            } else {
                "borró un compromiso"
            })
            .to_string(),
            "restore_commitment" => format!("{} {items}", if en { "restored" } else { "restauró" }),
            "import_into" => (if en {
                "re-imported the CRM file"
            } else {
                "reimportó el archivo del CRM"
            })
            .to_string(),
            "record_meeting_held" => (if en {
                "recorded the transfer meeting as held"
            } else {
                "registró la reunión de traspaso"
            })
            .to_string(),
            "record_satisfaction" => (if en {
                "recorded the customer's satisfaction"
            } else {
                "registró la satisfacción del cliente"
            })
            .to_string(),
            "repair" => (if en {
                "restored values that did not read"
            } else {
                "restauró valores ilegibles"
            })
            .to_string(),
            _ => return None,
        })
    }

    /// `18 Dec 2026` / `18 dic 2026` from `YYYY-MM-DD` (or the start of a longer time); the
    /// text as it is when it is no date.
    pub fn date(&self, value: &str) -> String {
        match value
            .get(..10)
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        {
            Some(day) => {
                use chrono::Datelike;
                format!(
                    "{} {} {}",
                    day.day(),
                    self.months[day.month0() as usize],
                    day.year()
                )
            }
            None => value.to_string(),
        }
    }

    /// `30 nov 2026, 21:33 UTC` from RFC 3339 or `YYYY-MM-DDTHH:MM`; a bare date as [`date`].
    pub fn time(&self, value: &str) -> String {
        let moment = chrono::DateTime::parse_from_rfc3339(value)
            .map(|t| t.with_timezone(&chrono::Utc).naive_utc())
            .or_else(|_| chrono::NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M"));
        match moment {
            Ok(t) => format!(
                "{}, {} UTC",
                self.date(&t.format("%Y-%m-%d").to_string()),
                t.format("%H:%M")
            ),
            Err(_) => self.date(value),
        }
    }

    /// An amount with two decimals and its currency: `1,290,000.00 EUR`, `1.290.000,00 €`.
    pub fn money(&self, value: Option<f64>, currency: &str) -> String {
        let Some(v) = value else {
            return "—".into();
        };
        let number = self.decimal(v.abs(), 2);
        let sign = if v < 0.0 { "−" } else { "" };
        let currency = match (self.language, currency) {
            (Language::Es, "EUR") => "€",
            (_, c) => c,
        };
        format!("{sign}{number} {currency}").trim().to_string()
    }

    /// A figure with `decimals` decimals and the language's separators.
    pub fn decimal(&self, value: f64, decimals: usize) -> String {
        let text = format!("{value:.decimals$}");
        let (int, dec) = text.split_once('.').unwrap_or((&text, ""));
        let (thousands, point) = match self.language {
            Language::En => (',', '.'),
            Language::Es => ('.', ','),
        };
        let mut grouped = String::new();
        for (n, c) in int.chars().enumerate() {
            if n > 0 && (int.len() - n) % 3 == 0 {
                grouped.push(thousands);
            }
            grouped.push(c);
        }
        if dec.is_empty() {
            grouped
        } else {
            format!("{grouped}{point}{dec}")
        }
    }

    /// A quantity: whole numbers bare, others with the language's decimal sign.
    pub fn number(&self, value: Option<f64>) -> String {
        value.map_or_else(String::new, |v| {
            if v.fract() == 0.0 {
                self.decimal(v, 0)
            } else {
                let text = format!("{v}");
                match self.language {
                    Language::En => text,
                    Language::Es => text.replace('.', ","),
                }
            }
        })
    }

    pub fn percent(&self, value: Option<f64>) -> String {
        value.map_or_else(|| "—".into(), |m| format!("{} %", self.decimal(m, 1)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spanish_dates_and_amounts_read_as_spanish() {
        let es = words(Language::Es);
        assert_eq!(es.money(Some(1_290_000.0), "EUR"), "1.290.000,00 €");
        assert_eq!(es.time("2026-11-30T21:33:00Z"), "30 nov 2026, 21:33 UTC");
        assert_eq!(es.date("2026-12-18"), "18 dic 2026");
        assert_eq!(es.percent(Some(12.5)), "12,5 %");
        let en = words(Language::En);
        assert_eq!(en.money(Some(1_290_000.0), "EUR"), "1,290,000.00 EUR");
        assert_eq!(
            en.time("2026-11-30T21:33:00+01:00"),
            "30 Nov 2026, 20:33 UTC"
        );
    }

    /// Every word and phrase a printed scope uses, in one listing: what pages drawn before must
    /// still say (`verify` draws a signed PDF's pages again and compares every byte).
    fn listing(language: Language) -> String {
        use scopepact_scope::interchange::{AttendeeRole as A, Role as R, Severity as S};
        let w = words(language);
        let mut out = format!("{w:#?}\n");
        let statuses = [
            Status::Draft,
            Status::InValidation,
            Status::ReadyToSign,
            Status::Signed,
            Status::HandedOff,
            Status::Closed,
            Status::StoppedAtValidation,
            Status::AmendedAfterSignature,
        ];
        for s in statuses {
            out.push_str(&format!("status {s:?}: {}\n", w.status(s)));
        }
        for r in [R::Commercial, R::Operational, R::Executive] {
            out.push_str(&format!("side {r:?}: {}\n", w.side(r)));
        }
        for r in [
            SignerRole::CommercialLead,
            SignerRole::OperationalLead,
            SignerRole::Customer,
        ] {
            out.push_str(&format!("signer {r:?}: {}\n", w.signer(r)));
        }
        for v in [
            ValidationStatus::Pending,
            ValidationStatus::Feasible,
            ValidationStatus::Conditional,
            ValidationStatus::Infeasible,
        ] {
            out.push_str(&format!("verdict {v:?}: {}\n", w.verdict(v)));
        }
        for v in [S::Blocking, S::NonBlocking] {
            out.push_str(&format!("severity {v:?}: {}\n", w.severity(v)));
        }
        for a in [A::CommercialLead, A::OperationalLead, A::Customer, A::Other] {
            out.push_str(&format!("attendee {a:?}: {}\n", w.attendee_role(a)));
        }
        for action in [
            "import",
            "create",
            "new_document",
            "validate_commitment",
            "transfer_ambiguity",
            "resolve_ambiguity",
            "override",
            "revoke_override",
            "agree",
            "start_amendment",
            "delete_commitment",
            "restore_commitment",
            "import_into",
            "record_meeting_held",
            "record_satisfaction",
            "repair",
            "update_commitment",
        ] {
            out.push_str(&format!(
                "action {action}: {:?}\n",
                w.action(action, "C-01")
            ));
        }
        out
    }

    #[test]
    fn every_word_is_as_printed_before() {
        for (language, file) in [
            (Language::En, "words-en.txt"),
            (Language::Es, "words-es.txt"),
        ] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures")
                .join(file);
            let now = listing(language);
            if std::env::var_os("SCOPEPACT_WRITE_WORDS").is_some() {
                std::fs::write(&path, &now).expect("the fixture is writable");
            }
            let before = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(
                before == now,
                "{file} changed: pages drawn before would not verify"
            );
        }
    }
}
