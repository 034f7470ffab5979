//! The company document: one Automerge document per workspace, synced like the deals, holding
//! what belongs to the company rather than to one deal: its name, default currency, the
//! thresholds a new deal starts from (the deal value above which a deal is significant, the
//! minimum margin per product line and by default), who may act as executive, the templates
//! per product line, and the library entries operations retired. Pure: no IO.
//!
//! Any device may create it, offline: its first change is the same everywhere (a fixed actor,
//! time and content: [`genesis`]), so two copies made apart share their root objects and merge
//! field by field like any document.

use std::collections::BTreeMap;

use automerge::transaction::CommitOptions;
use automerge::{ActorId, Automerge};
use autosurgeon::{reconcile, Hydrate, Reconcile};
use scopepact_messages::{message, Message};
use scopepact_scope::edit::Actor;
use scopepact_scope::interchange::Role;
use scopepact_scope::lenient;
use scopepact_scope::refusal::{Refusal, RestrictedAction};
use scopepact_scope::ScopeError;
use thiserror::Error;
use uuid::Uuid;

mod settings;
pub mod template;

pub use settings::{Setting, SETTING_KEYS};

/// The company document's id: the same on every device, so the copies made apart are one
/// document to sync.
pub const COMPANY_DOCUMENT_ID: Uuid = Uuid::from_u128(0x0000_0000_0000_7000_8000_0000_0000_c0de);

#[derive(Debug, Error)]
pub enum CompanyError {
    #[error("\"{key}\" is not a setting")]
    UnknownSetting { key: String },
    #[error("{key}: {problem:?}")]
    InvalidSetting { key: String, problem: Message },
    /// A role rule (only an executive changes settings; only operations retires an entry) or
    /// a value the document cannot take.
    #[error(transparent)]
    Scope(#[from] ScopeError),
    #[error("{actor} is not one of the company's executives")]
    NotAnExecutive {
        actor: String,
        executives: Vec<String>,
    },
    #[error("no template named {0}")]
    NoSuchTemplate(String),
    #[error("the file is a deal, not a template")]
    NotATemplate,
    #[error("the file is the template {0}, not a deal")]
    IsATemplate(String),
    #[error("only a signed scope becomes a template; this one is {status}")]
    TemplateNeedsSignedScope { status: String },
    #[error("no library entry {0}")]
    NoSuchEntry(String),
    #[error("the company document cannot be written: {0}")]
    Write(String),
}

impl CompanyError {
    /// What the person reads, in their language.
    pub fn message(&self) -> Message {
        match self {
            CompanyError::UnknownSetting { key } => message!(
                "company-unknown-setting",
                key = key,
                keys = SETTING_KEYS.join(", ")
            ),
            CompanyError::InvalidSetting { key, problem } => {
                message!(
                    "company-invalid-setting",
                    key = key,
                    problem = problem.clone()
                )
            }
            CompanyError::Scope(e) => e.message(),
            CompanyError::NotAnExecutive { actor, executives } => message!(
                "company-not-an-executive",
                actor = actor,
                executives = executives.join(", ")
            ),
            CompanyError::NoSuchTemplate(name) => message!("company-no-such-template", name = name),
            CompanyError::NotATemplate => message!("company-not-a-template"),
            CompanyError::IsATemplate(name) => message!("company-is-a-template", name = name),
            CompanyError::TemplateNeedsSignedScope { status } => {
                message!("company-template-needs-signed", status = status)
            }
            CompanyError::NoSuchEntry(id) => message!("company-no-such-entry", id = id),
            CompanyError::Write(detail) => message!("company-write", detail = detail),
        }
    }

    /// Whether a rule refused it (rather than a value or a file).
    pub fn is_refusal(&self) -> bool {
        matches!(
            self,
            CompanyError::NotAnExecutive { .. } | CompanyError::Scope(ScopeError::Refused(_))
        )
    }
}

/// The company document, read totally (a value a peer wrote that does not read is read as
/// empty).
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct CompanyDoc {
    #[autosurgeon(hydrate = "lenient::string")]
    pub name: String,
    #[autosurgeon(hydrate = "lenient::currency")]
    pub currency: String,
    /// A deal worth this much or more is significant: the customer signs and attends the
    /// transfer meeting.
    #[autosurgeon(hydrate = "lenient::amount")]
    pub significant_value: Option<f64>,
    /// The minimum margin (percent) of a deal whose product line has none of its own.
    #[autosurgeon(hydrate = "lenient::percent")]
    pub min_margin_pct: Option<f64>,
    /// By product line name.
    #[autosurgeon(hydrate = "lenient::items")]
    pub product_lines: BTreeMap<String, ProductLine>,
    /// Who may act as executive, by email (lowercase). Empty: any executive profile.
    #[autosurgeon(hydrate = "lenient::items")]
    pub executives: BTreeMap<String, Executive>,
    /// By name (lowercase).
    #[autosurgeon(hydrate = "lenient::items")]
    pub templates: BTreeMap<String, TemplateRecord>,
    /// Library entries not suggested any more, by entry id.
    #[autosurgeon(hydrate = "lenient::items")]
    pub retired: BTreeMap<String, Retired>,
    /// Who writes with each Automerge actor (hex), as in a deal's document.
    #[autosurgeon(hydrate = "lenient::items")]
    pub actors: BTreeMap<String, Writer>,
    /// The logo printed on PDFs: a PNG or JPEG file of at most 1 MiB, checked when set (and
    /// again when printed: a peer may write anything here).
    #[autosurgeon(hydrate = "logo_bytes")]
    pub logo: Option<autosurgeon::bytes::ByteVec>,
}

/// The logo's bytes, or none when a peer wrote something else there (or nothing).
fn logo_bytes<D: autosurgeon::ReadDoc>(
    doc: &D,
    obj: &automerge::ObjId,
    prop: autosurgeon::Prop<'_>,
) -> Result<Option<autosurgeon::bytes::ByteVec>, autosurgeon::HydrateError> {
    use automerge::{ScalarValue, Value};
    Ok(match doc.get(obj, automerge::Prop::from(&prop)) {
        Ok(Some((Value::Scalar(s), _))) => match s.as_ref() {
            ScalarValue::Bytes(b) => Some(b.clone().into()),
            _ => None,
        },
        _ => None,
    })
}

#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct ProductLine {
    #[autosurgeon(hydrate = "lenient::percent")]
    pub min_margin_pct: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Executive {
    /// Who added them, for the record.
    #[autosurgeon(hydrate = "lenient::string")]
    pub added_by: String,
}

#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct TemplateRecord {
    #[autosurgeon(hydrate = "lenient::string")]
    pub name: String,
    #[autosurgeon(hydrate = "lenient::string")]
    pub product_line: String,
    /// The template as a `scopepact/v1` file with its `template` marker; read again (strictly,
    /// bounded) each time it is used.
    #[autosurgeon(hydrate = "lenient::string")]
    pub body: String,
    #[autosurgeon(hydrate = "lenient::string")]
    pub saved_by: String,
    #[autosurgeon(hydrate = "lenient::string")]
    pub saved_at: String,
}

#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Retired {
    #[autosurgeon(hydrate = "lenient::string")]
    pub by: String,
    #[autosurgeon(hydrate = "lenient::string")]
    pub at: String,
    #[autosurgeon(hydrate = "lenient::string")]
    pub reason: String,
}

#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Writer {
    #[autosurgeon(hydrate = "lenient::string")]
    pub name: String,
    #[autosurgeon(hydrate = "lenient::string")]
    pub email: String,
    #[autosurgeon(hydrate = "lenient::string")]
    pub device: String,
}

impl CompanyDoc {
    /// The minimum margin a deal of `product_line` starts with: the line's, else the default.
    pub fn min_margin_for(&self, product_line: &str) -> Option<f64> {
        self.product_lines
            .get(product_line.trim())
            .and_then(|line| line.min_margin_pct)
            .or(self.min_margin_pct)
    }
}

/// The document every device starts from: the same bytes everywhere.
pub fn genesis() -> Result<Automerge, CompanyError> {
    let mut doc = Automerge::new().with_actor(ActorId::from(vec![0u8; 16]));
    doc.transact_with::<_, _, autosurgeon::ReconcileError, _>(
        |_| {
            CommitOptions::default()
                .with_message("the company document".to_string())
                .with_time(0)
        },
        |tx| reconcile(tx, CompanyDoc::default()),
    )
    .map_err(|failure| CompanyError::Write(failure.error.to_string()))?;
    Ok(doc)
}

/// One change to the company document, as its history tells it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, specta::Type)]
pub struct CompanyChange {
    /// RFC 3339.
    pub at: String,
    /// Who, by the profile their Automerge actor writes as (empty when unknown: a peer that
    /// never said who it is).
    pub by: String,
    pub email: String,
    pub device: String,
    /// What was done: `set significant_value`, `save template`, `retire ENTRY`…
    pub what: String,
}

/// Every change since the document began, oldest first (the shared first change left out).
/// Bounded by the document itself: each change is one line.
pub fn history(doc: &Automerge) -> Vec<CompanyChange> {
    let model = read(doc);
    let genesis = ActorId::from(vec![0u8; 16]);
    doc.get_changes(&[])
        .into_iter()
        .filter(|change| *change.actor_id() != genesis)
        .map(|change| {
            let writer = model.actors.get(&change.actor_id().to_hex_string());
            CompanyChange {
                at: chrono::DateTime::from_timestamp(change.timestamp(), 0)
                    .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                    .unwrap_or_default(),
                by: writer.map(|w| w.name.clone()).unwrap_or_default(),
                email: writer.map(|w| w.email.clone()).unwrap_or_default(),
                device: writer.map(|w| w.device.clone()).unwrap_or_default(),
                what: change
                    .message()
                    .map(|m| m.chars().take(200).collect())
                    .unwrap_or_default(),
            }
        })
        .collect()
}

/// The model of the company document, read totally.
pub fn read(doc: &Automerge) -> CompanyDoc {
    autosurgeon::hydrate(doc).unwrap_or_default()
}

/// A change to the company document.
#[derive(Debug, Clone, PartialEq)]
pub enum CompanyEdit {
    /// An executive changes a setting.
    Set(Setting),
    /// Saves a template (a `scopepact/v1` body with its marker), replacing one of that name.
    SaveTemplate {
        body: String,
    },
    RemoveTemplate {
        name: String,
    },
    /// Operations stops suggesting a library entry, saying why.
    Retire {
        entry: String,
        reason: String,
    },
    /// Operations suggests a retired entry again.
    Restore {
        entry: String,
    },
}

/// Applies `edit` as `by`, at `now`, in one change written with `by`'s Automerge actor.
pub fn apply(
    doc: &mut Automerge,
    edit: &CompanyEdit,
    by: &Actor,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), CompanyError> {
    let before = read(doc);
    allowed(&before, edit, by)?;
    let mut model = before.clone();
    let at = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    change(&mut model, edit, by, &at)?;
    let actor = if by.automerge_actor.is_empty() {
        // Never the genesis actor: two devices writing with one actor would clash.
        ActorId::random()
    } else {
        ActorId::try_from(by.automerge_actor.as_str())
            .map_err(|e| CompanyError::Write(e.to_string()))?
    };
    model.actors.insert(
        actor.to_hex_string(),
        Writer {
            name: by.name.clone(),
            email: by.email.clone(),
            device: by.device.clone(),
        },
    );
    doc.set_actor(actor);
    doc.transact_with::<_, _, autosurgeon::ReconcileError, _>(
        |_| {
            CommitOptions::default()
                .with_message(describe(edit))
                .with_time(now.timestamp())
        },
        |tx| write_changed(tx, &before, &model),
    )
    .map_err(|failure| CompanyError::Write(failure.error.to_string()))?;
    Ok(())
}

/// Writes only what differs from `before`, entry by entry in the maps: re-putting values that
/// did not change would silently settle a concurrent edit made on another device.
fn write_changed(
    tx: &mut automerge::transaction::Transaction<'_>,
    before: &CompanyDoc,
    after: &CompanyDoc,
) -> Result<(), autosurgeon::ReconcileError> {
    use automerge::ROOT;
    use autosurgeon::reconcile_prop;
    if before.name != after.name {
        reconcile_prop(tx, ROOT, "name", &after.name)?;
    }
    if before.currency != after.currency {
        reconcile_prop(tx, ROOT, "currency", &after.currency)?;
    }
    if before.significant_value != after.significant_value {
        reconcile_prop(tx, ROOT, "significant_value", after.significant_value)?;
    }
    if before.min_margin_pct != after.min_margin_pct {
        reconcile_prop(tx, ROOT, "min_margin_pct", after.min_margin_pct)?;
    }
    if before.logo != after.logo {
        reconcile_prop(tx, ROOT, "logo", &after.logo)?;
    }
    write_entries(
        tx,
        "product_lines",
        &before.product_lines,
        &after.product_lines,
    )?;
    write_entries(tx, "executives", &before.executives, &after.executives)?;
    write_entries(tx, "templates", &before.templates, &after.templates)?;
    write_entries(tx, "retired", &before.retired, &after.retired)?;
    write_entries(tx, "actors", &before.actors, &after.actors)
}

/// The entries of the map at `key` that were added, changed or removed.
fn write_entries<T: Reconcile + PartialEq>(
    tx: &mut automerge::transaction::Transaction<'_>,
    key: &str,
    before: &BTreeMap<String, T>,
    after: &BTreeMap<String, T>,
) -> Result<(), autosurgeon::ReconcileError> {
    use automerge::transaction::Transactable;
    use automerge::{ObjType, ReadDoc, Value, ROOT};
    if before == after {
        return Ok(());
    }
    let map = match tx.get(ROOT, key)? {
        Some((Value::Object(ObjType::Map), map)) => map,
        _ => tx.put_object(ROOT, key, ObjType::Map)?,
    };
    for (id, value) in after {
        if before.get(id) != Some(value) {
            autosurgeon::reconcile_prop(tx, &map, id.as_str(), value)?;
        }
    }
    for id in before.keys().filter(|id| !after.contains_key(*id)) {
        tx.delete(&map, id.as_str())?;
    }
    Ok(())
}

/// The role rules: settings by an executive (one of the company's, once it names them),
/// retirements by operations, templates by anyone with a profile.
fn allowed(model: &CompanyDoc, edit: &CompanyEdit, by: &Actor) -> Result<(), CompanyError> {
    let Some(role) = by.role else {
        return Err(ScopeError::Refused(Refusal::NoProfile).into());
    };
    let needs = |needed: Role, action: RestrictedAction| -> Result<(), CompanyError> {
        if role == needed {
            return Ok(());
        }
        Err(ScopeError::Refused(Refusal::WrongRole {
            needed,
            action,
            actor: by.name.clone(),
            actual: role,
        })
        .into())
    };
    match edit {
        CompanyEdit::Set(_) => {
            needs(Role::Executive, RestrictedAction::ChangeSettings)?;
            let email = by.email.trim().to_lowercase();
            if !model.executives.is_empty() && !model.executives.contains_key(&email) {
                return Err(CompanyError::NotAnExecutive {
                    actor: by.name.clone(),
                    executives: model.executives.keys().cloned().collect(),
                });
            }
            Ok(())
        }
        CompanyEdit::Retire { .. } | CompanyEdit::Restore { .. } => {
            needs(Role::Operational, RestrictedAction::RetireLibraryEntry)
        }
        CompanyEdit::SaveTemplate { .. } | CompanyEdit::RemoveTemplate { .. } => Ok(()),
    }
}

fn change(
    model: &mut CompanyDoc,
    edit: &CompanyEdit,
    by: &Actor,
    at: &str,
) -> Result<(), CompanyError> {
    match edit {
        CompanyEdit::Set(setting) => setting.apply_to(model, by),
        CompanyEdit::SaveTemplate { body } => {
            let file = template::parse(body)?;
            let marker = file.template.clone().unwrap_or_default();
            model.templates.insert(
                template::key(&marker.name),
                TemplateRecord {
                    name: marker.name.trim().to_string(),
                    product_line: marker.product_line.trim().to_string(),
                    body: template::write(&file),
                    saved_by: by.name.clone(),
                    saved_at: at.to_string(),
                },
            );
        }
        CompanyEdit::RemoveTemplate { name } => {
            if model.templates.remove(&template::key(name)).is_none() {
                return Err(CompanyError::NoSuchTemplate(name.clone()));
            }
        }
        CompanyEdit::Retire { entry, reason } => {
            if reason.trim().is_empty() {
                return Err(ScopeError::invalid(
                    message!("field-reason"),
                    message!("company-retire-reason"),
                )
                .into());
            }
            model.retired.insert(
                entry.clone(),
                Retired {
                    by: by.name.clone(),
                    at: at.to_string(),
                    reason: reason.trim().to_string(),
                },
            );
        }
        CompanyEdit::Restore { entry } => {
            model.retired.remove(entry);
        }
    }
    Ok(())
}

/// The change's message in the document's history.
fn describe(edit: &CompanyEdit) -> String {
    match edit {
        CompanyEdit::Set(setting) => format!("set {}", setting.key()),
        CompanyEdit::SaveTemplate { .. } => "save template".into(),
        CompanyEdit::RemoveTemplate { name } => format!("remove template {name}"),
        CompanyEdit::Retire { entry, .. } => format!("retire {entry}"),
        CompanyEdit::Restore { entry } => format!("restore {entry}"),
    }
}

#[cfg(test)]
mod tests;
