//! The committed scope laid out for print (DESIGN §5): summary, committed scope with verdicts,
//! ambiguity register, assumptions and exclusions, economics, signatures with their drawings,
//! and the audit certificate.

use printpdf::{FontId, ParsedFont, PdfDocument};
use scopepact_scope::history::TimelineEntry;
use scopepact_scope::interchange::{
    AmbiguityStatus, AttendeeRole, Role, Severity, ValidationStatus,
};
use scopepact_scope::refusal::SignerRole;
use scopepact_scope::signature::Lapse;
use scopepact_scope::view::{CommitmentView, DocumentView};

use crate::layout::{Column, Fonts, Paper, Writer, BODY, H1, H2, LABEL, SMALL};
use crate::PdfError;

const REGULAR: &[u8] = include_bytes!("../../../assets/fonts/NotoSans-Regular.ttf");
const BOLD: &[u8] = include_bytes!("../../../assets/fonts/NotoSans-Bold.ttf");

/// What goes on paper.
pub struct Printable<'a> {
    pub document_id: &'a str,
    pub view: &'a DocumentView,
    pub timeline: &'a [TimelineEntry],
    /// SHA-256 (hex) of the canonical content: the document's fingerprint.
    pub content_sha256: &'a str,
    /// RFC 3339, and who exported (name, with the fingerprint of the key sealing the file).
    pub exported_at: &'a str,
    pub exported_by: &'a str,
    pub seal_fingerprint: &'a str,
}

/// The first 16 hex digits of the content hash, grouped: what each page carries.
pub fn short_fingerprint(content_sha256: &str) -> String {
    content_sha256
        .get(..16)
        .unwrap_or(content_sha256)
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

fn money(value: Option<f64>, currency: &str) -> String {
    match value {
        None => "—".into(),
        Some(v) => {
            let whole = format!("{:.2}", v.abs());
            let (int, dec) = whole.split_once('.').unwrap_or((&whole, "00"));
            let mut grouped = String::new();
            for (n, c) in int.chars().enumerate() {
                if n > 0 && (int.len() - n) % 3 == 0 {
                    grouped.push(',');
                }
                grouped.push(c);
            }
            let sign = if v < 0.0 { "−" } else { "" };
            format!("{sign}{grouped}.{dec} {currency}")
                .trim()
                .to_string()
        }
    }
}

fn number(value: Option<f64>) -> String {
    value.map_or_else(String::new, |v| {
        if v.fract() == 0.0 {
            format!("{v:.0}")
        } else {
            format!("{v}")
        }
    })
}

fn role(role: Role) -> &'static str {
    match role {
        Role::Commercial => "commercial",
        Role::Operational => "operational",
        Role::Executive => "executive",
    }
}

fn signer(role: SignerRole) -> &'static str {
    match role {
        SignerRole::CommercialLead => "Commercial lead",
        SignerRole::OperationalLead => "Operational lead",
        SignerRole::Customer => "Customer",
    }
}

fn verdict(status: ValidationStatus) -> &'static str {
    match status {
        ValidationStatus::Pending => "pending",
        ValidationStatus::Feasible => "feasible",
        ValidationStatus::Conditional => "conditional",
        ValidationStatus::Infeasible => "infeasible",
    }
}

fn commitment_text(c: &CommitmentView) -> String {
    let mut parts = vec![c.title.clone()];
    if !c.description.trim().is_empty() {
        parts.push(c.description.trim().to_string());
    }
    let quantity = number(c.quantity);
    if !quantity.is_empty() {
        parts.push(
            format!("Quantity: {quantity} {}", c.unit)
                .trim()
                .to_string(),
        );
    }
    for p in &c.parameters {
        parts.push(
            format!("{}: {} {} {}", p.name, p.tolerance, p.value, p.unit)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    match (c.lead_time_weeks, &c.delivery_date) {
        (Some(w), _) => parts.push(format!("Delivery: {} weeks", number(Some(w)))),
        (None, Some(date)) => parts.push(format!("Delivery: {date}")),
        _ => {}
    }
    if !c.acceptance.trim().is_empty() {
        parts.push(format!("Acceptance: {}", c.acceptance.trim()));
    }
    parts.join("\n")
}

fn verdict_text(c: &CommitmentView) -> String {
    let v = &c.validation;
    let mut text = verdict(v.status).to_string();
    if let Some(by) = &v.by {
        text.push_str(&format!("\nby {by}"));
    }
    if let Some(at) = &v.at {
        text.push_str(&format!(", {}", at.get(..10).unwrap_or(at)));
    }
    if let Some(condition) = &v.condition {
        text.push_str(&format!("\nCondition: {condition}"));
    }
    if let Some(reason) = &v.reason {
        text.push_str(&format!("\nReason: {reason}"));
    }
    if let Some(lapsed) = v.lapsed {
        text.push_str(&format!(
            "\n(was {}; changed since: {})",
            verdict(lapsed),
            v.changed_since.join(", ")
        ));
    }
    text
}

fn action(entry: &TimelineEntry) -> Option<String> {
    let items = entry.items.join(", ");
    Some(match entry.action.as_str() {
        "import" | "create" | "new_document" => "created the document".to_string(),
        "validate_commitment" => format!("validated {items}"),
        "transfer_ambiguity" => format!("transferred {items}"),
        "resolve_ambiguity" => format!("resolved {items}"),
        "override" => "overrode the gate".to_string(),
        "revoke_override" => "revoked an override".to_string(),
        "agree" => format!("agreed to {items}"),
        "start_amendment" => "started an amendment".to_string(),
        "delete_commitment" => "deleted a commitment".to_string(),
        "restore_commitment" => format!("restored {items}"),
        "import_into" => "re-imported the CRM file".to_string(),
        "record_meeting_held" => "recorded the transfer meeting as held".to_string(),
        "record_satisfaction" => "recorded the customer's satisfaction".to_string(),
        _ => return None,
    })
}

fn load_fonts(doc: &mut PdfDocument) -> Result<Fonts, PdfError> {
    let mut warnings = vec![];
    let regular = ParsedFont::from_bytes(REGULAR, 0, &mut warnings)
        .ok_or_else(|| PdfError::Font("Noto Sans Regular".into()))?;
    let bold = ParsedFont::from_bytes(BOLD, 0, &mut warnings)
        .ok_or_else(|| PdfError::Font("Noto Sans Bold".into()))?;
    // Fixed names (printpdf would pick random ones): the same document draws the same bytes.
    let regular_id = FontId("NSREGU".into());
    let bold_id = FontId("NSBOLD".into());
    for (id, font) in [(&regular_id, &regular), (&bold_id, &bold)] {
        doc.resources
            .fonts
            .map
            .insert(id.clone(), printpdf::PdfFont::new(font.clone()));
    }
    Ok(Fonts {
        regular,
        bold,
        regular_id,
        bold_id,
    })
}

/// Lays the document out and returns it as a printpdf document (fonts embedded and subset when
/// saved).
fn attendee_role(role: AttendeeRole) -> &'static str {
    match role {
        AttendeeRole::CommercialLead => "commercial lead",
        AttendeeRole::OperationalLead => "operational lead",
        AttendeeRole::Customer => "customer",
        AttendeeRole::Other => "other",
    }
}

/// The transfer meeting, once held: who came, what was said, decided and left to do.
fn meeting(w: &mut Writer<'_>, view: &DocumentView) {
    let m = &view.meeting;
    let Some(held_at) = &m.held_at else {
        return;
    };
    w.heading("Transfer meeting", H2);
    let missing: Vec<&str> = m.missing.iter().map(|r| attendee_role(*r)).collect();
    w.facts(&[
        ("Held", held_at.replace('T', " ")),
        (
            "Place",
            if m.place.is_empty() {
                "—".into()
            } else {
                m.place.clone()
            },
        ),
        (
            "Mandatory attendance",
            if missing.is_empty() {
                "complete".into()
            } else {
                format!("incomplete: {} not present", missing.join(", "))
            },
        ),
    ]);
    let rows: Vec<Vec<String>> = m
        .attendees
        .iter()
        .map(|a| {
            vec![
                a.name.clone(),
                a.email.clone(),
                attendee_role(a.role).to_string(),
                if a.present { "present" } else { "absent" }.to_string(),
            ]
        })
        .collect();
    if !rows.is_empty() {
        w.table(
            &[
                Column {
                    title: "Attendee",
                    share: 0.3,
                    right: false,
                },
                Column {
                    title: "Email",
                    share: 0.34,
                    right: false,
                },
                Column {
                    title: "Attends as",
                    share: 0.2,
                    right: false,
                },
                Column {
                    title: "Presence",
                    share: 0.16,
                    right: false,
                },
            ],
            &rows,
        );
    }
    for (title, text) in [("Agenda", &m.agenda), ("Minutes", &m.minutes)] {
        if !text.trim().is_empty() {
            w.paragraph(title, LABEL);
            w.paragraph(text, BODY);
        }
    }
    if !m.decisions.is_empty() {
        w.paragraph("Decisions", LABEL);
        for (n, d) in m.decisions.iter().enumerate() {
            w.paragraph(&format!("{}. {}", n + 1, d.text), BODY);
        }
    }
    if !m.actions.is_empty() {
        let rows: Vec<Vec<String>> = m
            .actions
            .iter()
            .map(|a| {
                vec![
                    a.text.clone(),
                    a.owner.clone(),
                    a.due.clone().unwrap_or_else(|| "—".into()),
                    if a.done { "done" } else { "open" }.to_string(),
                ]
            })
            .collect();
        w.table(
            &[
                Column {
                    title: "Action item",
                    share: 0.5,
                    right: false,
                },
                Column {
                    title: "Owner",
                    share: 0.24,
                    right: false,
                },
                Column {
                    title: "Due",
                    share: 0.14,
                    right: false,
                },
                Column {
                    title: "State",
                    share: 0.12,
                    right: false,
                },
            ],
            &rows,
        );
    }
}

pub fn render(printable: &Printable<'_>, paper: Paper) -> Result<PdfDocument, PdfError> {
    let view = printable.view;
    let mut pdf = PdfDocument::new(&view.title);
    let fonts = load_fonts(&mut pdf)?;
    let mut w = Writer::new(&fonts, paper);
    let currency = view.deal.currency.as_str();
    let status = view.status.as_str().replace('_', " ");

    // Summary.
    w.paragraph("COMMITTED SCOPE", LABEL);
    w.paragraph(&view.title, H1);
    w.space(6.0);
    w.facts(&[
        ("Status", status.clone()),
        (
            "Customer",
            format!("{} — {}", view.customer.name, view.customer.site),
        ),
        (
            "Customer contact",
            format!(
                "{} <{}>",
                view.customer.contact.name, view.customer.contact.email
            ),
        ),
        ("Deal value", money(view.deal.value, currency)),
        ("CRM reference", view.deal.crm_ref.clone()),
        (
            "Target close",
            view.deal.target_close.clone().unwrap_or_else(|| "—".into()),
        ),
        (
            "Significant deal",
            if view.deal.significant {
                "yes: the customer co-signs".into()
            } else {
                "no".into()
            },
        ),
    ]);
    w.heading("Parties", H2);
    let people = &view.people;
    w.facts(&[
        (
            "Commercial lead",
            format!(
                "{} <{}>",
                people.commercial_lead.name, people.commercial_lead.email
            ),
        ),
        (
            "Operational lead",
            format!(
                "{} <{}>",
                people.operational_lead.name, people.operational_lead.email
            ),
        ),
        (
            "Customer signatory",
            format!(
                "{} <{}>",
                people.customer_signatory.name, people.customer_signatory.email
            ),
        ),
        (
            "Executive",
            format!("{} <{}>", people.executive.name, people.executive.email),
        ),
    ]);
    w.heading("Fingerprint", H2);
    w.facts(&[
        ("Document", printable.document_id.to_string()),
        ("Content SHA-256", printable.content_sha256.to_string()),
        (
            "Signatures",
            view.signatures
                .iter()
                .filter(|s| s.lapse.is_none())
                .map(|s| format!("{} ({}, {})", s.signer, signer(s.role), s.time))
                .collect::<Vec<_>>()
                .join("; "),
        ),
        (
            "Exported",
            format!(
                "{} by {} (sealing key {})",
                printable.exported_at, printable.exported_by, printable.seal_fingerprint
            ),
        ),
    ]);
    w.paragraph(
        "This file carries the signed manifest (content and signatures) and is sealed as a whole: \
         `scopepact verify FILE.pdf` detects any change to any byte.",
        SMALL,
    );

    // Committed scope.
    w.new_page();
    w.heading("Committed scope", H2);
    let rows: Vec<Vec<String>> = view
        .commitments
        .iter()
        .map(|c| {
            vec![
                c.reference.clone(),
                commitment_text(c),
                money(c.price, ""),
                verdict_text(c),
            ]
        })
        .collect();
    w.table(
        &[
            Column {
                title: "Ref",
                share: 0.08,
                right: false,
            },
            Column {
                title: "Commitment",
                share: 0.55,
                right: false,
            },
            Column {
                title: "Price",
                share: 0.14,
                right: true,
            },
            Column {
                title: "Operational verdict",
                share: 0.23,
                right: false,
            },
        ],
        &rows,
    );

    // Ambiguity register.
    w.heading("Ambiguity register", H2);
    if view.ambiguities.is_empty() {
        w.paragraph("No open questions were raised.", BODY);
    } else {
        let rows: Vec<Vec<String>> = view
            .ambiguities
            .iter()
            .map(|a| {
                let state = match a.status {
                    AmbiguityStatus::Open if a.overridden => "open, overridden".to_string(),
                    AmbiguityStatus::Open => "open".to_string(),
                    AmbiguityStatus::Resolved => {
                        format!("resolved: {}", a.answer.clone().unwrap_or_default())
                    }
                    AmbiguityStatus::Transferred => format!(
                        "transferred to {}, due {}",
                        a.owner,
                        a.due.clone().unwrap_or_default()
                    ),
                };
                vec![
                    a.reference.clone(),
                    format!("{}\n(raised by {})", a.question, a.raised_by),
                    match a.severity {
                        Severity::Blocking => "blocking".into(),
                        Severity::NonBlocking => "non-blocking".into(),
                    },
                    state,
                ]
            })
            .collect();
        w.table(
            &[
                Column {
                    title: "Ref",
                    share: 0.08,
                    right: false,
                },
                Column {
                    title: "Question",
                    share: 0.47,
                    right: false,
                },
                Column {
                    title: "Severity",
                    share: 0.13,
                    right: false,
                },
                Column {
                    title: "State",
                    share: 0.32,
                    right: false,
                },
            ],
            &rows,
        );
    }

    // Assumptions and exclusions.
    for (title, items) in [
        ("Assumptions", &view.assumptions),
        ("Exclusions", &view.exclusions),
    ] {
        w.heading(title, H2);
        if items.is_empty() {
            w.paragraph("None.", BODY);
            continue;
        }
        let rows: Vec<Vec<String>> = items
            .iter()
            .map(|a| {
                vec![
                    a.number.to_string(),
                    a.text.clone(),
                    format!(
                        "written by {}; {}",
                        role(a.author),
                        if a.agreed {
                            format!(
                                "agreed by {}",
                                a.agreed_by_name.clone().unwrap_or_else(|| a
                                    .agreed_by
                                    .map(role)
                                    .unwrap_or_default()
                                    .to_string())
                            )
                        } else {
                            "not agreed".into()
                        }
                    ),
                ]
            })
            .collect();
        w.table(
            &[
                Column {
                    title: "#",
                    share: 0.06,
                    right: false,
                },
                Column {
                    title: "Text",
                    share: 0.66,
                    right: false,
                },
                Column {
                    title: "Agreement",
                    share: 0.28,
                    right: false,
                },
            ],
            &rows,
        );
    }

    // Economics.
    w.heading("Economics", H2);
    let e = &view.economics;
    w.facts(&[
        ("Revenue (deal value)", money(Some(e.revenue), currency)),
        ("Estimated cost", money(Some(e.cost), currency)),
        (
            "Margin",
            e.margin_pct
                .map_or_else(|| "—".into(), |m| format!("{m:.1} %")),
        ),
        (
            "Margin threshold",
            e.threshold_pct
                .map_or_else(|| "—".into(), |m| format!("{m:.1} %")),
        ),
    ]);
    for o in &view.overrides {
        w.paragraph(
            &format!(
                "Override by {} on {}: {}",
                o.by,
                o.at.get(..10).unwrap_or(&o.at),
                o.reason
            ),
            BODY,
        );
    }

    meeting(&mut w, view);

    // Signatures.
    w.new_page();
    w.heading("Signatures", H2);
    if view.signatures.is_empty() {
        w.paragraph("Not signed yet.", BODY);
    }
    for s in &view.signatures {
        w.need(150.0);
        let (x, top) = (w.left(), w.y());
        let state = match s.lapse {
            None => "holds",
            Some(Lapse::ContentChanged) => "no longer holds: the content changed after it",
            Some(Lapse::Amended) => "no longer holds: voided by an amendment",
            Some(Lapse::Invalid) => "DOES NOT VERIFY",
        };
        w.text_at(x, top, signer(s.role), LABEL);
        w.space(14.0);
        let box_width = 170.0;
        let box_top = w.y();
        w.rule(
            (x, box_top - 70.0),
            (x + box_width, box_top - 70.0),
            0.6,
            0.4,
        );
        w.drawing(&s.drawing, x, box_top, box_width, 66.0);
        let text_x = x + box_width + 18.0;
        let text_width = w.content_width() - box_width - 18.0;
        let mut lines = vec![
            format!("{} <{}>", s.signer, s.email),
            format!("Signed {}", s.time),
            format!("Key {}", s.fingerprint),
        ];
        if let Some(witness) = &s.witness {
            lines.push(format!(
                "Signed on {witness}'s device, witnessed by that key"
            ));
        }
        lines.push(format!("Signature {state}"));
        let saved = w.y();
        for line in &lines {
            w.paragraph_at(text_x, text_width, line, BODY);
        }
        w.paragraph_at(text_x, text_width, &format!("“{}”", s.statement), SMALL);
        let used = saved - w.y();
        w.space((78.0 - used).max(0.0) + 14.0);
    }
    for a in &view.amendments {
        w.paragraph(
            &format!("Amendment started by {} on {}: {}", a.by, a.at, a.reason),
            BODY,
        );
    }

    // Audit certificate.
    w.new_page();
    w.heading("Audit certificate", H2);
    w.paragraph(
        &format!(
            "Document {}; content SHA-256 {}. The timeline below comes from the document's own \
             change history, which travels with it through every sync.",
            printable.document_id, printable.content_sha256
        ),
        SMALL,
    );
    w.space(4.0);
    let rows: Vec<Vec<String>> = printable
        .timeline
        .iter()
        .filter_map(|entry| {
            Some(vec![
                entry.at.replace('T', " ").trim_end_matches('Z').to_string(),
                format!(
                    "{}{}",
                    entry.by,
                    entry
                        .role
                        .map(|r| format!(" ({})", role(r)))
                        .unwrap_or_default()
                ),
                entry.device.clone(),
                action(entry)?,
            ])
        })
        .chain(view.signatures.iter().map(|s| {
            vec![
                s.time.replace('T', " ").trim_end_matches('Z').to_string(),
                s.signer.clone(),
                s.witness
                    .as_ref()
                    .map(|w| format!("{w}'s device"))
                    .unwrap_or_default(),
                format!("signature as {} — key {}", signer(s.role), s.fingerprint),
            ]
        }))
        .collect();
    w.table(
        &[
            Column {
                title: "When (UTC)",
                share: 0.2,
                right: false,
            },
            Column {
                title: "Who",
                share: 0.24,
                right: false,
            },
            Column {
                title: "Device",
                share: 0.18,
                right: false,
            },
            Column {
                title: "What",
                share: 0.38,
                right: false,
            },
        ],
        &rows,
    );

    let short = short_fingerprint(printable.content_sha256);
    let head = format!("{} — {}", view.title, view.customer.name);
    let foot = format!("ScopePact · {} · {short}", printable.document_id);
    let pages = w.finish(&head, &foot, |n, total| format!("page {n} of {total}"));
    pdf.with_pages(pages);
    Ok(pdf)
}
