//! The committed scope laid out for print (DESIGN §5): summary, committed scope with verdicts,
//! ambiguity register, assumptions and exclusions, economics, signatures with their drawings,
//! and the audit certificate.

use printpdf::{FontId, ParsedFont, PdfDocument};
use scopepact_scope::history::TimelineEntry;
use scopepact_scope::interchange::AmbiguityStatus;
use scopepact_scope::signing::Lapse;
use scopepact_scope::view::{CommitmentView, DocumentView};

use crate::layout::{Column, Fonts, Paper, Writer, BODY, H1, H2, LABEL, SMALL};
use crate::words::{fill, words, Words};
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
    /// The company's logo, printed on the first page's top right.
    pub logo: Option<&'a crate::logo::Logo>,
}

/// The most room the logo takes, in points (about 45 × 18 mm).
const LOGO_BOX: (f32, f32) = (128.0, 50.0);

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

fn col(title: &str, share: f32, right: bool) -> Column<'_> {
    Column {
        title,
        share,
        right,
    }
}

fn commitment_text(t: &Words, c: &CommitmentView) -> String {
    let mut parts = vec![c.title.clone()];
    if !c.description.trim().is_empty() {
        parts.push(c.description.trim().to_string());
    }
    let quantity = t.number(c.quantity);
    if !quantity.is_empty() {
        parts.push(
            format!("{}: {quantity} {}", t.quantity, c.unit)
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
        (Some(w), _) => parts.push(format!("{}: {} {}", t.delivery, t.number(Some(w)), t.weeks)),
        (None, Some(date)) => parts.push(format!("{}: {}", t.delivery, t.date(date))),
        _ => {}
    }
    if !c.acceptance.trim().is_empty() {
        parts.push(format!("{}: {}", t.acceptance, c.acceptance.trim()));
    }
    parts.join("\n")
}

fn verdict_text(t: &Words, c: &CommitmentView) -> String {
    let v = &c.validation;
    let mut text = t.verdict(v.status).to_string();
    if let Some(by) = &v.by {
        text.push_str(&format!("\n{} {by}", t.by));
    }
    if let Some(at) = &v.at {
        text.push_str(&format!(", {}", t.date(at)));
    }
    if let Some(condition) = &v.condition {
        text.push_str(&format!("\n{}: {condition}", t.condition));
    }
    if let Some(reason) = &v.reason {
        text.push_str(&format!("\n{}: {reason}", t.reason));
    }
    if let Some(lapsed) = v.lapsed {
        text.push('\n');
        text.push_str(&fill(
            t.was_changed_since,
            &[
                ("verdict", t.verdict(lapsed)),
                ("fields", &v.changed_since.join(", ")),
            ],
        ));
    }
    text
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

/// The transfer meeting, once held: who came, what was said, decided and left to do.
fn meeting(w: &mut Writer<'_>, t: &Words, view: &DocumentView) {
    let m = &view.meeting;
    let Some(held_at) = &m.held_at else {
        return;
    };
    w.heading(t.transfer_meeting, H2);
    let missing: Vec<&str> = m.missing.iter().map(|r| t.attendee_role(*r)).collect();
    w.facts(&[
        (t.held, t.time(held_at)),
        (
            t.place,
            if m.place.is_empty() {
                "—".into()
            } else {
                m.place.clone()
            },
        ),
        (
            t.mandatory_attendance,
            if missing.is_empty() {
                t.complete.into()
            } else {
                fill(t.incomplete, &[("who", &missing.join(", "))])
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
                t.attendee_role(a.role).to_string(),
                if a.present { t.present } else { t.absent }.to_string(),
            ]
        })
        .collect();
    if !rows.is_empty() {
        w.table(
            &[
                col(t.attendee, 0.3, false),
                col(t.email, 0.34, false),
                col(t.attends_as, 0.2, false),
                col(t.presence, 0.16, false),
            ],
            &rows,
        );
    }
    for (title, text) in [(t.agenda, &m.agenda), (t.minutes, &m.minutes)] {
        if !text.trim().is_empty() {
            w.paragraph(title, LABEL);
            w.paragraph(text, BODY);
        }
    }
    if !m.decisions.is_empty() {
        w.paragraph(t.decisions, LABEL);
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
                    a.due.as_deref().map_or_else(|| "—".into(), |d| t.date(d)),
                    if a.done { t.done } else { t.open }.to_string(),
                ]
            })
            .collect();
        w.table(
            &[
                col(t.action_item, 0.5, false),
                col(t.owner, 0.24, false),
                col(t.due, 0.14, false),
                col(t.state, 0.12, false),
            ],
            &rows,
        );
    }
}

/// Lays the document out, in its language, and returns it as a printpdf document (fonts
/// embedded and subset when saved).
pub fn render(printable: &Printable<'_>, paper: Paper) -> Result<PdfDocument, PdfError> {
    let view = printable.view;
    let t = words(view.language);
    let mut pdf = PdfDocument::new(&view.title);
    let fonts = load_fonts(&mut pdf)?;
    let mut w = Writer::new(&fonts, paper);
    let currency = view.deal.currency.as_str();
    let person = |name: &str, email: &str| format!("{name} <{email}>");

    // Summary, beside the logo when there is one.
    let mut title_width = w.content_width();
    let mut logo_bottom = w.y();
    if let Some(logo) = printable.logo {
        let (width, height) = crate::logo::printed_size(logo, LOGO_BOX.0, LOGO_BOX.1);
        let id = pdf.add_image(&logo.image);
        let x = w.left() + w.content_width() - width;
        let top = w.y() + 8.0;
        w.image(id, (logo.width, logo.height), (x, top), (width, height));
        title_width -= width + 16.0;
        logo_bottom = top - height - 6.0;
    }
    let left = w.left();
    w.paragraph_at(left, title_width, t.committed_scope_label, LABEL);
    w.paragraph_at(left, title_width, &view.title, H1);
    w.below(logo_bottom);
    w.space(6.0);
    w.facts(&[
        (t.status, t.status(view.status).to_string()),
        (
            t.customer,
            format!("{} — {}", view.customer.name, view.customer.site),
        ),
        (
            t.customer_contact,
            person(&view.customer.contact.name, &view.customer.contact.email),
        ),
        (t.deal_value, t.money(view.deal.value, currency)),
        (t.crm_reference, view.deal.crm_ref.clone()),
        (
            t.target_close,
            view.deal
                .target_close
                .as_deref()
                .map_or_else(|| "—".into(), |d| t.date(d)),
        ),
        (
            t.significant_deal,
            if view.deal.significant || view.deal.significant_by_value {
                t.significant_yes.into()
            } else {
                t.no.into()
            },
        ),
    ]);
    w.heading(t.parties, H2);
    let people = &view.people;
    w.facts(&[
        (
            t.commercial_lead,
            person(&people.commercial_lead.name, &people.commercial_lead.email),
        ),
        (
            t.operational_lead,
            person(
                &people.operational_lead.name,
                &people.operational_lead.email,
            ),
        ),
        (
            t.customer_signatory,
            person(
                &people.customer_signatory.name,
                &people.customer_signatory.email,
            ),
        ),
        (
            t.executive,
            person(&people.executive.name, &people.executive.email),
        ),
    ]);
    w.heading(t.fingerprint, H2);
    w.facts(&[
        (t.document, printable.document_id.to_string()),
        (t.content_sha256, printable.content_sha256.to_string()),
        (
            t.signatures,
            view.signatures
                .iter()
                .filter(|s| s.lapse.is_none())
                .map(|s| format!("{} ({}, {})", s.signer, t.signer(s.role), t.time(&s.time)))
                .collect::<Vec<_>>()
                .join("; "),
        ),
        (
            t.exported,
            fill(
                t.exported_by,
                &[
                    ("at", &t.time(printable.exported_at)),
                    ("who", printable.exported_by),
                    ("key", printable.seal_fingerprint),
                ],
            ),
        ),
    ]);
    w.paragraph(t.carries_manifest, SMALL);

    // Committed scope.
    w.new_page();
    w.heading(t.committed_scope, H2);
    let rows: Vec<Vec<String>> = view
        .commitments
        .iter()
        .map(|c| {
            vec![
                c.reference.clone(),
                commitment_text(t, c),
                t.money(c.price, ""),
                verdict_text(t, c),
            ]
        })
        .collect();
    w.table(
        &[
            col(t.reference, 0.08, false),
            col(t.commitment, 0.55, false),
            col(t.price, 0.14, true),
            col(t.operational_verdict, 0.23, false),
        ],
        &rows,
    );

    // Ambiguity register.
    w.heading(t.ambiguity_register, H2);
    if view.ambiguities.is_empty() {
        w.paragraph(t.no_questions, BODY);
    } else {
        let rows: Vec<Vec<String>> = view
            .ambiguities
            .iter()
            .map(|a| {
                let state = match a.status {
                    AmbiguityStatus::Open if a.overridden => t.open_overridden.to_string(),
                    AmbiguityStatus::Open => t.open.to_string(),
                    AmbiguityStatus::Resolved => {
                        format!("{}: {}", t.resolved, a.answer.clone().unwrap_or_default())
                    }
                    AmbiguityStatus::Transferred => fill(
                        t.transferred,
                        &[
                            ("owner", &a.owner),
                            (
                                "due",
                                &a.due.as_deref().map(|d| t.date(d)).unwrap_or_default(),
                            ),
                        ],
                    ),
                };
                vec![
                    a.reference.clone(),
                    format!("{}\n({} {})", a.question, t.raised_by, a.raised_by),
                    t.severity(a.severity).to_string(),
                    state,
                ]
            })
            .collect();
        w.table(
            &[
                col(t.reference, 0.08, false),
                col(t.question, 0.47, false),
                col(t.severity, 0.13, false),
                col(t.state, 0.32, false),
            ],
            &rows,
        );
    }

    // Assumptions and exclusions.
    for (title, items) in [
        (t.assumptions, &view.assumptions),
        (t.exclusions, &view.exclusions),
    ] {
        w.heading(title, H2);
        if items.is_empty() {
            w.paragraph(t.none, BODY);
            continue;
        }
        let rows: Vec<Vec<String>> = items
            .iter()
            .map(|a| {
                let agreement = if a.agreed {
                    format!(
                        "{} {}",
                        t.agreed_by,
                        a.agreed_by_name.clone().unwrap_or_else(|| a
                            .agreed_by
                            .map(|r| t.side(r))
                            .unwrap_or_default()
                            .to_string())
                    )
                } else {
                    t.not_agreed.into()
                };
                vec![
                    a.number.to_string(),
                    a.text.clone(),
                    fill(
                        t.written_by,
                        &[("side", t.side(a.author)), ("agreement", &agreement)],
                    ),
                ]
            })
            .collect();
        w.table(
            &[
                col("#", 0.06, false),
                col(t.text, 0.66, false),
                col(t.agreement, 0.28, false),
            ],
            &rows,
        );
    }

    // Economics.
    w.heading(t.economics, H2);
    let e = &view.economics;
    w.facts(&[
        (t.revenue, t.money(Some(e.revenue), currency)),
        (t.estimated_cost, t.money(Some(e.cost), currency)),
        (t.margin, t.percent(e.margin_pct)),
        (t.margin_threshold, t.percent(e.threshold_pct)),
    ]);
    for o in &view.overrides {
        w.paragraph(
            &fill(
                t.override_by,
                &[
                    ("who", &o.by),
                    ("at", &t.date(&o.at)),
                    ("reason", &o.reason),
                ],
            ),
            BODY,
        );
    }

    meeting(&mut w, t, view);

    // Signatures.
    w.new_page();
    w.heading(t.signatures, H2);
    if view.signatures.is_empty() {
        w.paragraph(t.not_signed_yet, BODY);
    }
    for s in &view.signatures {
        w.need(150.0);
        let (x, top) = (w.left(), w.y());
        let state = match s.lapse {
            None => t.signature_holds,
            Some(Lapse::ContentChanged) => t.signature_content_changed,
            Some(Lapse::Amended) => t.signature_amended,
            Some(Lapse::Invalid) => t.signature_invalid,
        };
        w.text_at(x, top, t.signer(s.role), LABEL);
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
            person(&s.signer, &s.email),
            format!("{} {}", t.signed_at, t.time(&s.time)),
            format!("{} {}", t.key, s.fingerprint),
        ];
        if let Some(witness) = &s.witness {
            lines.push(fill(t.witnessed, &[("host", witness)]));
        }
        lines.push(state.to_string());
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
            &fill(
                t.amendment,
                &[
                    ("who", &a.by),
                    ("at", &t.time(&a.at)),
                    ("reason", &a.reason),
                ],
            ),
            BODY,
        );
    }

    // Audit certificate.
    w.new_page();
    w.heading(t.audit_certificate, H2);
    w.paragraph(
        &fill(
            t.audit_intro,
            &[
                ("id", printable.document_id),
                ("hash", printable.content_sha256),
            ],
        ),
        SMALL,
    );
    w.space(4.0);
    let rows: Vec<Vec<String>> = printable
        .timeline
        .iter()
        .filter_map(|entry| {
            Some(vec![
                t.time(&entry.at),
                format!(
                    "{}{}",
                    entry.by,
                    entry
                        .role
                        .map(|r| format!(" ({})", t.side(r)))
                        .unwrap_or_default()
                ),
                entry.device.clone(),
                t.action(&entry.action, &entry.items.join(", "))?,
            ])
        })
        .chain(view.signatures.iter().map(|s| {
            vec![
                t.time(&s.time),
                s.signer.clone(),
                s.witness
                    .as_ref()
                    .map(|w| fill(t.device_of, &[("host", w)]))
                    .unwrap_or_default(),
                fill(
                    t.signature_as,
                    &[("role", t.signer(s.role)), ("key", &s.fingerprint)],
                ),
            ]
        }))
        .collect();
    w.table(
        &[
            col(t.when_utc, 0.2, false),
            col(t.who, 0.24, false),
            col(t.device, 0.18, false),
            col(t.what, 0.38, false),
        ],
        &rows,
    );

    let short = short_fingerprint(printable.content_sha256);
    let head = format!("{} — {}", view.title, view.customer.name);
    let foot = format!("ScopePact · {} · {short}", printable.document_id);
    let pages = w.finish(&head, &foot, |n, total| {
        fill(
            t.page_of,
            &[("n", &n.to_string()), ("total", &total.to_string())],
        )
    });
    pdf.with_pages(pages);
    Ok(pdf)
}
