//! What the printed scope says, in the document's language, and how it writes dates and amounts
//! there: "30 nov 2026, 21:33 UTC" and "1.290.000,00 €" in Spanish, "30 Nov 2026, 21:33 UTC" and
//! "1,290,000.00 EUR" in English. No raw RFC 3339 time reaches the page.

use scopepact_scope::interchange::{AttendeeRole, Language, Role, Severity, ValidationStatus};
use scopepact_scope::refusal::SignerRole;
use scopepact_scope::status::Status;
use std::sync::OnceLock;

use scopepact_messages::{has as has_message, say, Message};

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

/// The words of `language`, read from the catalogue once (and kept for the process: a few
/// kilobytes per language, so every page can borrow them).
fn build(language: Language) -> Words {
    let word = |id: &str| leak(say_dynamic(language, id));
    // A phrase with `{name}` placeholders, as `fill` fills them.
    let template = |id: &str, names: &[&'static str]| {
        let mut message = Message::dynamic(id.to_string());
        for name in names {
            message = message.with(name, format!("{{{name}}}"));
        }
        leak(say(language, &message))
    };
    Words {
        language,
        committed_scope_label: word("pdf-committed-scope-label"),
        status: word("pdf-status"),
        customer: word("pdf-customer"),
        customer_contact: word("pdf-customer-contact"),
        deal_value: word("pdf-deal-value"),
        crm_reference: word("pdf-crm-reference"),
        target_close: word("pdf-target-close"),
        significant_deal: word("pdf-significant-deal"),
        significant_yes: word("pdf-significant-yes"),
        no: word("pdf-no"),
        parties: word("pdf-parties"),
        commercial_lead: word("pdf-commercial-lead"),
        operational_lead: word("pdf-operational-lead"),
        customer_signatory: word("pdf-customer-signatory"),
        executive: word("pdf-executive"),
        fingerprint: word("pdf-fingerprint"),
        document: word("pdf-document"),
        content_sha256: word("pdf-content-sha256"),
        signatures: word("pdf-signatures"),
        exported: word("pdf-exported"),
        exported_by: template("pdf-exported-by", &["at", "who", "key"]),
        carries_manifest: word("pdf-carries-manifest"),
        committed_scope: word("pdf-committed-scope"),
        reference: word("pdf-reference"),
        commitment: word("pdf-commitment"),
        price: word("pdf-price"),
        operational_verdict: word("pdf-operational-verdict"),
        quantity: word("pdf-quantity"),
        delivery: word("pdf-delivery"),
        weeks: word("pdf-weeks"),
        acceptance: word("pdf-acceptance"),
        by: word("pdf-by"),
        condition: word("pdf-condition"),
        reason: word("pdf-reason"),
        was_changed_since: template("pdf-was-changed-since", &["verdict", "fields"]),
        ambiguity_register: word("pdf-ambiguity-register"),
        no_questions: word("pdf-no-questions"),
        question: word("pdf-question"),
        severity: word("pdf-severity"),
        state: word("pdf-state"),
        raised_by: word("pdf-raised-by"),
        open: word("pdf-open"),
        open_overridden: word("pdf-open-overridden"),
        resolved: word("pdf-resolved"),
        transferred: template("pdf-transferred", &["owner", "due"]),
        assumptions: word("pdf-assumptions"),
        exclusions: word("pdf-exclusions"),
        none: word("pdf-none"),
        text: word("pdf-text"),
        agreement: word("pdf-agreement"),
        written_by: template("pdf-written-by", &["side", "agreement"]),
        agreed_by: word("pdf-agreed-by"),
        not_agreed: word("pdf-not-agreed"),
        economics: word("pdf-economics"),
        revenue: word("pdf-revenue"),
        estimated_cost: word("pdf-estimated-cost"),
        margin: word("pdf-margin"),
        margin_threshold: word("pdf-margin-threshold"),
        override_by: template("pdf-override-by", &["who", "at", "reason"]),
        transfer_meeting: word("pdf-transfer-meeting"),
        held: word("pdf-held"),
        place: word("pdf-place"),
        mandatory_attendance: word("pdf-mandatory-attendance"),
        complete: word("pdf-complete"),
        incomplete: template("pdf-incomplete", &["who"]),
        attendee: word("pdf-attendee"),
        email: word("pdf-email"),
        attends_as: word("pdf-attends-as"),
        presence: word("pdf-presence"),
        present: word("pdf-present"),
        absent: word("pdf-absent"),
        agenda: word("pdf-agenda"),
        minutes: word("pdf-minutes"),
        decisions: word("pdf-decisions"),
        action_item: word("pdf-action-item"),
        owner: word("pdf-owner"),
        due: word("pdf-due"),
        done: word("pdf-done"),
        not_signed_yet: word("pdf-not-signed-yet"),
        signed_at: word("pdf-signed-at"),
        key: word("pdf-key"),
        witnessed: template("pdf-witnessed", &["host"]),
        signature_holds: word("pdf-signature-holds"),
        signature_content_changed: word("pdf-signature-content-changed"),
        signature_amended: word("pdf-signature-amended"),
        signature_invalid: word("pdf-signature-invalid"),
        amendment: template("pdf-amendment", &["who", "at", "reason"]),
        audit_certificate: word("pdf-audit-certificate"),
        audit_intro: template("pdf-audit-intro", &["id", "hash"]),
        when_utc: word("pdf-when-utc"),
        who: word("pdf-who"),
        device: word("pdf-device"),
        what: word("pdf-what"),
        device_of: template("pdf-device-of", &["host"]),
        signature_as: template("pdf-signature-as", &["role", "key"]),
        page_of: template("pdf-page-of", &["n", "total"]),
        months: std::array::from_fn(|i| {
            leak(say_dynamic(language, &format!("pdf-month-{}", i + 1)))
        }),
    }
}

fn leak(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

fn say_dynamic(language: Language, id: &str) -> String {
    say(language, &Message::dynamic(id.to_string()))
}

pub fn words(language: Language) -> &'static Words {
    static WORDS: OnceLock<[Words; 2]> = OnceLock::new();
    &WORDS.get_or_init(|| Language::ALL.map(build))[language as usize]
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
        self.label("pdf-status", status.as_str())
    }

    pub fn side(&self, role: Role) -> &'static str {
        let name = match role {
            Role::Commercial => "commercial",
            Role::Operational => "operational",
            Role::Executive => "executive",
        };
        self.label("pdf-side", name)
    }

    pub fn signer(&self, role: SignerRole) -> &'static str {
        match role {
            SignerRole::CommercialLead => self.commercial_lead,
            SignerRole::OperationalLead => self.operational_lead,
            SignerRole::Customer => self.customer,
        }
    }

    pub fn verdict(&self, status: ValidationStatus) -> &'static str {
        let name = match status {
            ValidationStatus::Pending => "pending",
            ValidationStatus::Feasible => "feasible",
            ValidationStatus::Conditional => "conditional",
            ValidationStatus::Infeasible => "infeasible",
        };
        self.label("pdf-verdict", name)
    }

    pub fn severity(&self, severity: Severity) -> &'static str {
        let name = match severity {
            Severity::Blocking => "blocking",
            Severity::NonBlocking => "non_blocking",
        };
        self.label("pdf-severity", name)
    }

    pub fn attendee_role(&self, role: AttendeeRole) -> &'static str {
        let name = match role {
            AttendeeRole::CommercialLead => "commercial_lead",
            AttendeeRole::OperationalLead => "operational_lead",
            AttendeeRole::Customer => "customer",
            AttendeeRole::Other => "other",
        };
        self.label("pdf-attendee", name)
    }

    /// A value's label (`pdf-status-in-validation`), read once per language and value.
    fn label(&self, family: &str, name: &str) -> &'static str {
        static LABELS: OnceLock<
            std::sync::Mutex<std::collections::BTreeMap<String, &'static str>>,
        > = OnceLock::new();
        let id = format!(
            "{family}-{}-{}",
            self.language.as_str(),
            name.replace('_', "-")
        );
        let labels = LABELS.get_or_init(Default::default);
        let mut labels = labels.lock().unwrap_or_else(|e| e.into_inner());
        labels.entry(id).or_insert_with(|| {
            leak(say_dynamic(
                self.language,
                &format!("{family}-{}", name.replace('_', "-")),
            ))
        })
    }

    /// What a change of the audit timeline did.
    pub fn action(&self, action: &str, items: &str) -> Option<String> {
        let id = format!("pdf-action-{}", action.replace('_', "-"));
        has_message(self.language, &id)
            .then(|| say(self.language, &Message::dynamic(id).with("items", items)))
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
        for s in Status::ALL {
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
