//! What belongs to the company rather than to one deal: its settings, the templates per
//! product line, and which library entries operations retired (all in the company document,
//! synced like the deals).

use std::collections::BTreeMap;
use std::path::Path;

use scopepact_company::{template, CompanyEdit, CompanyError, Setting};
use scopepact_messages::message;
use scopepact_scope::document;
use scopepact_scope::edit::{
    CompanyThresholds, Edit, EditOutcome, HeaderField, LibraryCommitment, Parameter,
};
use scopepact_scope::interchange::Number;
use scopepact_scope::status::Status;
use scopepact_scope::view::DocumentView;
use scopepact_scope::ScopeError;
use scopepact_store::library::LibraryEntry;
use scopepact_store::parse_id;
use serde::Serialize;

use crate::{read_bounded, ErrorKind, Result, Workspace, WorkspaceError};

/// The company's settings, by the keys `settings set` takes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, specta::Type)]
pub struct CompanySettings {
    pub company_name: String,
    pub currency: String,
    pub significant_value: Option<f64>,
    /// The default minimum margin, in percent.
    pub min_margin_pct: Option<f64>,
    /// The minimum margin of each product line that has its own.
    pub product_lines: BTreeMap<String, f64>,
    /// Who may act as executive (emails); empty: any executive profile.
    pub executives: Vec<String>,
    /// The logo printed on PDFs, when one is set and reads.
    pub logo: Option<LogoInfo>,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct LogoInfo {
    /// `png` or `jpeg`.
    pub format: String,
    pub width: u32,
    pub height: u32,
    pub bytes: u32,
}

/// A template as listed.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct TemplateSummary {
    pub name: String,
    pub product_line: String,
    pub commitments: u32,
    pub questions: u32,
    pub saved_by: String,
    pub saved_at: String,
}

pub(crate) fn error_kind(e: &CompanyError) -> ErrorKind {
    match e {
        _ if e.is_refusal() => ErrorKind::Refused,
        CompanyError::TemplateNeedsSignedScope { .. } => ErrorKind::Refused,
        CompanyError::NoSuchTemplate(_) | CompanyError::NoSuchEntry(_) => ErrorKind::NotFound,
        CompanyError::Write(_) => ErrorKind::Storage,
        _ => ErrorKind::InvalidInput,
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Workspace {
    pub fn company_settings(&self) -> Result<CompanySettings> {
        let company = self.store.company()?;
        Ok(CompanySettings {
            company_name: company.name,
            currency: company.currency,
            significant_value: company.significant_value,
            min_margin_pct: company.min_margin_pct,
            product_lines: company
                .product_lines
                .into_iter()
                .filter_map(|(line, s)| s.min_margin_pct.map(|pct| (line, pct)))
                .collect(),
            executives: company.executives.into_keys().collect(),
            logo: company.logo.as_deref().and_then(|bytes| {
                let logo = scopepact_pdf::logo::read(bytes).ok()?;
                Some(LogoInfo {
                    format: logo.format.as_str().into(),
                    width: count(logo.width),
                    height: count(logo.height),
                    bytes: count(bytes.len()),
                })
            }),
        })
    }

    /// Sets one setting (an executive of the company only); a value that does not read is
    /// refused with the reason and nothing is written.
    /// Every change to the company document (settings, templates, retirements): who, when,
    /// what; oldest first.
    pub fn company_history(&self) -> Result<Vec<scopepact_company::CompanyChange>> {
        Ok(self.store.company_history()?)
    }

    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<CompanySettings> {
        let setting = match key.trim() {
            // The logo is named by its file; empty removes it.
            "logo" if value.trim().is_empty() => Setting::Logo(None),
            "logo" => Setting::Logo(Some(read_logo(Path::new(value.trim()))?)),
            _ => Setting::parse(key, value)?,
        };
        let by = self.actor()?;
        self.store.edit_company(&CompanyEdit::Set(setting), &by)?;
        self.company_settings()
    }

    /// The logo's file, when it reads as a logo: nothing is written otherwise.
    pub(crate) fn company_logo(&self) -> Result<Option<Vec<u8>>> {
        let company = self.store.company()?;
        Ok(company
            .logo
            .map(|bytes| bytes.to_vec())
            .filter(|bytes| scopepact_pdf::logo::read(bytes).is_ok()))
    }

    /// Whether this device's library holds the entry a commitment says it came from, not
    /// retired, with the verdict, condition and validator the commitment claims. A peer can
    /// write any origin into a shared deal; only what this library holds is confirmed in one
    /// action.
    pub(crate) fn library_vouches(
        &mut self,
        origin: &scopepact_scope::view::LibraryOriginView,
    ) -> Result<bool> {
        let Some(entry) = self.store.library_entry(&origin.entry)? else {
            return Ok(false);
        };
        let verdict = serde_json::to_value(origin.verdict).unwrap_or_default();
        Ok(entry.retired.is_none()
            && verdict.as_str() == Some(entry.verdict.as_str())
            && entry.condition == origin.condition
            && entry.validated_by.as_deref().unwrap_or_default() == origin.validated_by)
    }

    /// Confirming a verdict from the library: only from an entry this library vouches for.
    pub(crate) fn check_confirmable(&mut self, id: &str, commitment: &str) -> Result<()> {
        let view = self.view(id)?;
        let Some(item) = view.commitments.iter().find(|c| c.id == commitment) else {
            return Ok(()); // the core says what is missing
        };
        match &item.library {
            Some(origin) if !origin.vouched => Err(ScopeError::invalid(
                message!("field-library"),
                message!(
                    "value-library-entry-not-here",
                    reference = &item.reference,
                    entry = &origin.entry
                ),
            )
            .into()),
            _ => Ok(()),
        }
    }

    /// The header fields a new deal of `product_line` starts with: the company's currency,
    /// significant value and minimum margin, where it set them, and a record of those
    /// thresholds (a deal departing from them then says why).
    pub(crate) fn header_defaults(&self, product_line: &str) -> Result<Vec<HeaderField>> {
        let company = self.store.company()?;
        let mut fields = vec![];
        if !company.currency.is_empty() {
            fields.push(HeaderField::Currency(company.currency.clone()));
        }
        let significant_value = company.significant_value;
        let min_margin_pct = company.min_margin_for(product_line);
        if significant_value.is_some() {
            fields.push(HeaderField::SignificantValue(significant_value));
        }
        if min_margin_pct.is_some() {
            fields.push(HeaderField::MarginThresholdPct(min_margin_pct));
        }
        if significant_value.is_some() || min_margin_pct.is_some() {
            fields.push(HeaderField::CompanyThresholds(CompanyThresholds {
                significant_value,
                min_margin_pct,
            }));
        }
        Ok(fields)
    }

    pub fn templates(&self) -> Result<Vec<TemplateSummary>> {
        let company = self.store.company()?;
        Ok(company
            .templates
            .into_values()
            .map(|t| {
                // A body a peer damaged lists with nothing in it; using it says why.
                let file = template::parse(&t.body).ok();
                TemplateSummary {
                    commitments: count(file.as_ref().map_or(0, |f| f.commitments.len())),
                    questions: count(file.as_ref().map_or(0, |f| f.ambiguities.len())),
                    name: t.name,
                    product_line: t.product_line,
                    saved_by: t.saved_by,
                    saved_at: t.saved_at,
                }
            })
            .collect())
    }

    /// Makes a template of a signed deal: its commitments, assumptions, exclusions and
    /// questions, without its verdicts, answers, customer or figures.
    pub fn save_template(
        &mut self,
        doc_id: &str,
        name: &str,
        product_line: &str,
    ) -> Result<TemplateSummary> {
        let status = self.status(doc_id)?.status;
        if !matches!(status, Status::Signed | Status::HandedOff | Status::Closed) {
            return Err(CompanyError::TemplateNeedsSignedScope {
                status: status.as_str().to_string(),
            }
            .into());
        }
        if name.trim().is_empty() {
            return Err(CompanyError::InvalidSetting {
                key: "name".into(),
                problem: scopepact_messages::message!("value-empty"),
            }
            .into());
        }
        let id = parse_id(doc_id)?;
        let deal = document::to_file(self.store.get(id)?)?;
        let file = template::from_deal(deal, name, product_line);
        self.save_template_file(&template::write(&file), name)
    }

    /// Adds (or replaces) a template from a `scopepact/v1` template file.
    pub fn import_template(&mut self, path: &Path) -> Result<TemplateSummary> {
        let text = read_bounded(path)?;
        let file = template::parse(&text).map_err(|e| match e {
            CompanyError::Scope(source) => WorkspaceError::InvalidFile {
                path: path.to_path_buf(),
                source: Box::new(source),
            },
            other => other.into(),
        })?;
        let name = file.template.clone().unwrap_or_default().name;
        self.save_template_file(&template::write(&file), &name)
    }

    fn save_template_file(&mut self, body: &str, name: &str) -> Result<TemplateSummary> {
        let by = self.actor()?;
        self.store.edit_company(
            &CompanyEdit::SaveTemplate {
                body: body.to_string(),
            },
            &by,
        )?;
        self.templates()?
            .into_iter()
            .find(|t| template::key(&t.name) == template::key(name))
            .ok_or_else(|| CompanyError::NoSuchTemplate(name.to_string()).into())
    }

    /// The template's file, to share or edit elsewhere.
    pub fn export_template(&self, name: &str) -> Result<String> {
        let file = self.template_file(name)?;
        Ok(format!("{}\n", template::write(&file)))
    }

    pub fn remove_template(&mut self, name: &str) -> Result<()> {
        let by = self.actor()?;
        self.store.edit_company(
            &CompanyEdit::RemoveTemplate {
                name: name.to_string(),
            },
            &by,
        )?;
        Ok(())
    }

    fn template_file(&self, name: &str) -> Result<scopepact_scope::interchange::Document> {
        let company = self.store.company()?;
        let record = company
            .templates
            .get(&template::key(name))
            .ok_or_else(|| CompanyError::NoSuchTemplate(name.to_string()))?;
        Ok(template::parse(&record.body)?)
    }

    /// A new deal from a template: its commitments (all pending: a template never skips
    /// validation), assumptions, exclusions and questions, and the company's thresholds for
    /// the template's product line.
    pub fn create_from_template(&mut self, name: &str, title: &str) -> Result<DocumentView> {
        let template_file = self.template_file(name)?;
        let product_line = template_file
            .template
            .as_ref()
            .map(|t| t.product_line.clone())
            .unwrap_or_default();
        let mut file = template::to_deal(&template_file, title)?;
        for field in self.header_defaults(&product_line)? {
            match field {
                HeaderField::Currency(c) if file.deal.currency.is_empty() => file.deal.currency = c,
                HeaderField::MarginThresholdPct(Some(pct)) => {
                    file.deal.margin_threshold_pct = Some(Number(pct));
                }
                HeaderField::SignificantValue(Some(value)) => {
                    file.deal.significant_value = Some(Number(value));
                }
                HeaderField::CompanyThresholds(t) => {
                    file.deal.company_thresholds =
                        Some(scopepact_scope::interchange::CompanyThresholds {
                            significant_value: t.significant_value.map(Number),
                            min_margin_pct: t.min_margin_pct.map(Number),
                        });
                }
                _ => {}
            }
        }
        let (doc, model) = document::from_file_with_model(&file, &self.actor()?)?;
        let id = self.store.create_with_model(doc, model)?;
        self.view_of(id)
    }

    /// Adds to the deal `doc_id` a commitment worded as the library entry `entry` (after the
    /// item `after`, or at the end), pending, with where it came from.
    pub fn insert_from_library(
        &mut self,
        doc_id: &str,
        entry: &str,
        after: Option<&str>,
    ) -> Result<(EditOutcome, DocumentView)> {
        let found = self
            .store
            .library_entry(entry)?
            .ok_or_else(|| CompanyError::NoSuchEntry(entry.to_string()))?;
        let word = |text: &str| serde_json::Value::String(text.to_string());
        let inserted = LibraryCommitment {
            entry: found.id,
            kind: serde_json::from_value(word(&found.kind)).unwrap_or_default(),
            title: found.title,
            description: found.description,
            quantity: found.quantity,
            unit: found.unit,
            parameters: found
                .parameters
                .into_iter()
                .map(|p| Parameter {
                    name: p.name,
                    value: p.value,
                    unit: p.unit,
                    tolerance: p.tolerance,
                })
                .collect(),
            lead_time_weeks: found.lead_time_weeks,
            acceptance: found.acceptance,
            price: found.price,
            cost_estimate: found.cost_estimate,
            verdict: serde_json::from_value(word(&found.verdict)).unwrap_or_default(),
            condition: found.condition,
            validated_by: found.validated_by.unwrap_or_default(),
            validated_at: found.validated_at.unwrap_or_default(),
            deal: found.deal,
            customer: found.customer,
        };
        self.apply_edit(
            doc_id,
            &Edit::AddFromLibrary {
                entry: Box::new(inserted),
                after: after.map(str::to_string),
            },
        )
    }

    /// Operations stops the library suggesting an entry, saying why.
    pub fn library_retire(&mut self, entry: &str, reason: &str) -> Result<LibraryEntry> {
        self.library_mark(
            entry,
            CompanyEdit::Retire {
                entry: entry.to_string(),
                reason: reason.to_string(),
            },
        )
    }

    /// Operations lets the library suggest a retired entry again.
    pub fn library_restore(&mut self, entry: &str) -> Result<LibraryEntry> {
        self.library_mark(
            entry,
            CompanyEdit::Restore {
                entry: entry.to_string(),
            },
        )
    }

    fn library_mark(&mut self, entry: &str, edit: CompanyEdit) -> Result<LibraryEntry> {
        let missing = || WorkspaceError::from(CompanyError::NoSuchEntry(entry.to_string()));
        self.store.library_entry(entry)?.ok_or_else(missing)?;
        let by = self.actor()?;
        self.store.edit_company(&edit, &by)?;
        self.store
            .library_entry(entry)
            .map_err(WorkspaceError::from)?
            .ok_or_else(missing)
    }
}

/// A logo file, read within its bound and checked (PNG or JPEG, at most 1 MiB, at most 4096
/// pixels a side).
fn read_logo(path: &Path) -> Result<Vec<u8>> {
    let bytes = crate::read_file_bounded(path, scopepact_pdf::logo::MAX_LOGO_BYTES as u64)?;
    scopepact_pdf::logo::read(&bytes).map_err(scopepact_pdf::PdfError::from)?;
    Ok(bytes)
}
