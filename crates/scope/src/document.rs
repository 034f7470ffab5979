//! Operations on one scope document held in Automerge. Every function here is pure: bytes in
//! memory in, bytes in memory out; persistence belongs to the store.

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{Automerge, ChangeHash, ReadDoc, ROOT};
use autosurgeon::{hydrate, reconcile, Text};

use crate::convert;
use crate::edit::{CommitmentField, Edit, EditOutcome, HeaderField};
use crate::error::ScopeError;
use crate::interchange as x;
use crate::model::{self as m, ScopeDoc};
use crate::position;

/// A new, empty scope document with this title.
pub fn new_document(title: &str) -> Result<Automerge, ScopeError> {
    let title = required_text("title", title)?;
    let model = ScopeDoc {
        model_version: m::MODEL_VERSION,
        title,
        ..Default::default()
    };
    let mut doc = Automerge::new();
    commit(&mut doc, "create document", |d| {
        *d = model;
        Ok(())
    })?;
    Ok(doc)
}

/// A new document holding everything a `scopepact/v1` file says.
pub fn from_file(file: &x::Document) -> Result<Automerge, ScopeError> {
    file.check()?;
    let model = convert::model_from_file(file);
    let mut doc = Automerge::new();
    commit(&mut doc, "import file", |d| {
        *d = model;
        Ok(())
    })?;
    let heads = doc.get_heads();
    record_import_base(&mut doc, heads)?;
    Ok(doc)
}

pub fn read(doc: &Automerge) -> Result<ScopeDoc, ScopeError> {
    Ok(hydrate(doc)?)
}

pub fn to_file(doc: &Automerge) -> Result<x::Document, ScopeError> {
    Ok(convert::file_from_model(&read(doc)?))
}

/// Applies one user edit as one Automerge change.
pub fn apply(doc: &mut Automerge, edit: &Edit) -> Result<EditOutcome, ScopeError> {
    let mut outcome = EditOutcome::default();
    match edit {
        Edit::UpdateHeader { changes } => {
            let names: Vec<&str> = changes.iter().map(header_field_name).collect();
            commit(doc, &format!("header: {}", names.join(", ")), |d| {
                changes
                    .iter()
                    .try_for_each(|change| apply_header(d, change))
            })?;
        }
        Edit::AddCommitment { title, kind, after } => {
            let title = required_text("title", title)?;
            let id = m::new_item_id();
            commit(doc, "add commitment", |d| {
                let order: Vec<String> = d
                    .commitments_in_order()
                    .iter()
                    .map(|(id, _)| (*id).clone())
                    .collect();
                let index = match after {
                    Some(after) => order
                        .iter()
                        .position(|i| i == after)
                        .map(|i| i + 1)
                        .ok_or_else(|| ScopeError::NoSuchItem {
                            what: "commitment",
                            id: after.clone(),
                        })?,
                    None => order.len(),
                };
                let position = position_at(d, &order, index);
                let item = m::Commitment {
                    position,
                    reference: next_reference(
                        d.commitments.values().map(|c| c.reference.as_str()),
                        "C",
                    ),
                    kind: convert::kind_in(*kind),
                    title,
                    description: Text::with_value(""),
                    ..Default::default()
                };
                d.commitments.insert(id.clone(), item);
                Ok(())
            })?;
            outcome.created_id = Some(id);
        }
        Edit::UpdateCommitment { id, changes } => {
            let names: Vec<&str> = changes.iter().map(commitment_field_name).collect();
            commit(
                doc,
                &format!("commitment {id}: {}", names.join(", ")),
                |d| {
                    let others: Vec<String> = d
                        .commitments
                        .iter()
                        .filter(|(k, _)| *k != id)
                        .map(|(_, c)| c.reference.clone())
                        .collect();
                    let item = d
                        .commitments
                        .get_mut(id)
                        .ok_or_else(|| ScopeError::NoSuchItem {
                            what: "commitment",
                            id: id.clone(),
                        })?;
                    changes
                        .iter()
                        .try_for_each(|change| apply_commitment(item, change, &others))
                },
            )?;
        }
        Edit::MoveCommitment { id, to_index } => {
            commit(doc, &format!("move commitment {id}"), |d| {
                if !d.commitments.contains_key(id) {
                    return Err(ScopeError::NoSuchItem {
                        what: "commitment",
                        id: id.clone(),
                    });
                }
                let order: Vec<String> = d
                    .commitments_in_order()
                    .iter()
                    .map(|(i, _)| (*i).clone())
                    .filter(|i| i != id)
                    .collect();
                let index = (*to_index as usize).min(order.len());
                let position = position_at(d, &order, index);
                if let Some(item) = d.commitments.get_mut(id) {
                    item.position = position;
                }
                Ok(())
            })?;
        }
        Edit::DeleteCommitment { id } => {
            commit(doc, &format!("delete commitment {id}"), |d| {
                d.commitments
                    .remove(id)
                    .map(|_| ())
                    .ok_or_else(|| ScopeError::NoSuchItem {
                        what: "commitment",
                        id: id.clone(),
                    })
            })?;
        }
    }
    Ok(outcome)
}

/// What `import --into` did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub commitments_added: usize,
    pub commitments_updated: usize,
    pub ambiguities_added: usize,
    pub ambiguities_updated: usize,
}

/// Reconciles a newer version of a file into a document that lives on.
///
/// The file is written onto a fork of the document taken at the last import, then the fork is
/// merged back: fields the file did not change produce no operation, so edits made meanwhile
/// survive; fields both changed become an Automerge conflict that the app shows, never a silent
/// overwrite. Items match by `ref`; items missing from the file are kept, not deleted.
pub fn import_into(doc: &mut Automerge, file: &x::Document) -> Result<ImportReport, ScopeError> {
    file.check()?;
    let current = read(doc)?;
    let mut base: Vec<ChangeHash> = current
        .import_base
        .iter()
        .filter_map(|h| h.parse().ok())
        .collect();
    if base.is_empty() || base.iter().any(|h| doc.get_change_by_hash(h).is_none()) {
        base = doc.get_heads();
    }
    let mut fork = doc.fork_at(&base)?;
    let mut report = ImportReport::default();
    commit(&mut fork, "import file into document", |d| {
        d.title = file.title.clone();
        d.customer = convert::customer_in(&file.customer);
        d.deal = convert::deal_in(&file.deal);
        d.people = convert::people_in(&file.people);

        let mut previous: Option<String> = None;
        for c in &file.commitments {
            let existing = d
                .commitments
                .iter()
                .find(|(_, e)| e.reference == c.reference)
                .map(|(k, _)| k.clone());
            let id = match existing {
                Some(id) => {
                    report.commitments_updated += 1;
                    id
                }
                None => {
                    report.commitments_added += 1;
                    let order: Vec<String> = d
                        .commitments_in_order()
                        .iter()
                        .map(|(i, _)| (*i).clone())
                        .collect();
                    // Right after the item that precedes it in the file, so file order holds.
                    let index = previous
                        .as_ref()
                        .and_then(|p| order.iter().position(|i| i == p))
                        .map_or(0, |i| i + 1);
                    let item = m::Commitment {
                        position: position_at(d, &order, index),
                        description: Text::with_value(""),
                        ..Default::default()
                    };
                    let id = m::new_item_id();
                    d.commitments.insert(id.clone(), item);
                    id
                }
            };
            if let Some(item) = d.commitments.get_mut(&id) {
                convert::commitment_into(c, item);
            }
            previous = Some(id);
        }
        for a in &file.ambiguities {
            let existing = d
                .ambiguities
                .iter()
                .find(|(_, e)| e.reference == a.reference)
                .map(|(k, _)| k.clone());
            let id = match existing {
                Some(id) => {
                    report.ambiguities_updated += 1;
                    id
                }
                None => {
                    report.ambiguities_added += 1;
                    let last = d
                        .ambiguities_in_order()
                        .last()
                        .map(|(_, l)| l.position.clone());
                    let id = m::new_item_id();
                    let item = m::Ambiguity {
                        position: position::between(last.as_deref(), None),
                        ..Default::default()
                    };
                    d.ambiguities.insert(id.clone(), item);
                    id
                }
            };
            if let Some(item) = d.ambiguities.get_mut(&id) {
                convert::ambiguity_into(a, item);
            }
        }
        merge_agreements(&mut d.assumptions, &file.assumptions);
        merge_agreements(&mut d.exclusions, &file.exclusions);
        Ok(())
    })?;
    doc.merge(&mut fork)?;
    record_import_base(doc, fork.get_heads())?;
    Ok(report)
}

/// Assumptions and exclusions have no ref: they match on their text.
fn merge_agreements(
    items: &mut std::collections::BTreeMap<String, m::Agreement>,
    file: &[x::Agreement],
) {
    for a in file {
        match items.values_mut().find(|e| e.text == a.text) {
            Some(existing) => {
                existing.author = convert::role_in(a.author);
                existing.agreed_by = a.agreed_by.map(convert::role_in);
            }
            None => {
                let last = m::ordered(items, |i| &i.position)
                    .last()
                    .map(|(_, l)| l.position.clone());
                items.insert(
                    m::new_item_id(),
                    convert::agreement_in(a, position::between(last.as_deref(), None)),
                );
            }
        }
    }
}

fn record_import_base(doc: &mut Automerge, heads: Vec<ChangeHash>) -> Result<(), ScopeError> {
    let hex: Vec<String> = heads.iter().map(|h| h.to_string()).collect();
    commit(doc, "record import base", |d| {
        d.import_base = hex;
        Ok(())
    })
}

/// Hydrates the model, lets `change` modify it, reconciles the difference as one change.
fn commit(
    doc: &mut Automerge,
    message: &str,
    change: impl FnOnce(&mut ScopeDoc) -> Result<(), ScopeError>,
) -> Result<(), ScopeError> {
    let mut model: ScopeDoc = if doc.get(&ROOT, "model_version")?.is_some() {
        hydrate(doc)?
    } else {
        ScopeDoc::default()
    };
    change(&mut model)?;
    let options = CommitOptions::default()
        .with_message(message.to_string())
        .with_time(chrono::Utc::now().timestamp());
    let mut tx = doc.transaction();
    reconcile(&mut tx, &model)?;
    if tx.pending_ops() > 0 {
        tx.commit_with(options);
    } else {
        tx.rollback();
    }
    Ok(())
}

/// The position that puts an item at `index` of `order` (ids in display order, without it).
fn position_at(d: &ScopeDoc, order: &[String], index: usize) -> String {
    let pos = |i: usize| {
        order
            .get(i)
            .and_then(|id| d.commitments.get(id))
            .map(|c| c.position.as_str())
    };
    let before = if index == 0 { None } else { pos(index - 1) };
    position::between(before, pos(index))
}

/// `C-08` after `C-01`..`C-07`: one more than the largest number in use, two digits at least.
pub fn next_reference<'a>(existing: impl Iterator<Item = &'a str>, prefix: &str) -> String {
    let start = format!("{prefix}-");
    let max = existing
        .filter_map(|r| r.strip_prefix(&start))
        .filter_map(|n| n.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    format!("{prefix}-{:02}", max + 1)
}

fn required_text(field: &str, value: &str) -> Result<String, ScopeError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(ScopeError::InvalidValue {
            field: field.into(),
            message: "must not be empty".into(),
        });
    }
    Ok(trimmed.to_string())
}

fn amount(field: &str, value: Option<f64>) -> Result<Option<f64>, ScopeError> {
    match value {
        Some(v) if !v.is_finite() || v < 0.0 => Err(ScopeError::InvalidValue {
            field: field.into(),
            message: format!("must be zero or more, not {v}"),
        }),
        _ => Ok(value),
    }
}

fn date(field: &str, value: &Option<String>) -> Result<Option<String>, ScopeError> {
    let value = value
        .as_ref()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty());
    if let Some(v) = &value {
        if chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").is_err() {
            return Err(ScopeError::InvalidValue {
                field: field.into(),
                message: format!("\"{v}\" is not a date of the form YYYY-MM-DD"),
            });
        }
    }
    Ok(value)
}

fn apply_header(d: &mut ScopeDoc, change: &HeaderField) -> Result<(), ScopeError> {
    match change {
        HeaderField::Title(t) => d.title = required_text("title", t)?,
        HeaderField::CustomerName(v) => d.customer.name = v.trim().to_string(),
        HeaderField::CustomerSite(v) => d.customer.site = v.trim().to_string(),
        HeaderField::CustomerContact(p) => d.customer.contact = person_in(p),
        HeaderField::CrmRef(v) => d.deal.crm_ref = v.trim().to_string(),
        HeaderField::Value(v) => d.deal.value = amount("value", *v)?,
        HeaderField::Currency(c) => {
            let c = c.trim().to_uppercase();
            if !(c.is_empty() || c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase())) {
                return Err(ScopeError::InvalidValue {
                    field: "currency".into(),
                    message: format!("\"{c}\" is not a three-letter ISO 4217 code such as EUR"),
                });
            }
            d.deal.currency = c;
        }
        HeaderField::TargetClose(v) => d.deal.target_close = date("target_close", v)?,
        HeaderField::Significant(v) => d.deal.significant = *v,
        HeaderField::MarginThresholdPct(v) => {
            if let Some(p) = v {
                if !p.is_finite() || !(-100.0..=100.0).contains(p) {
                    return Err(ScopeError::InvalidValue {
                        field: "margin_threshold_pct".into(),
                        message: "must be between -100 and 100".into(),
                    });
                }
            }
            d.deal.margin_threshold_pct = *v;
        }
        HeaderField::CommercialLead(p) => d.people.commercial_lead = person_in(p),
        HeaderField::OperationalLead(p) => d.people.operational_lead = person_in(p),
        HeaderField::CustomerSignatory(p) => d.people.customer_signatory = person_in(p),
        HeaderField::Executive(p) => d.people.executive = person_in(p),
    }
    Ok(())
}

fn apply_commitment(
    item: &mut m::Commitment,
    change: &CommitmentField,
    other_refs: &[String],
) -> Result<(), ScopeError> {
    match change {
        CommitmentField::Reference(r) => {
            let r = required_text("ref", r)?;
            if other_refs.contains(&r) {
                return Err(ScopeError::InvalidValue {
                    field: "ref".into(),
                    message: format!("another commitment already has ref \"{r}\""),
                });
            }
            item.reference = r;
        }
        CommitmentField::Kind(k) => item.kind = convert::kind_in(*k),
        CommitmentField::Title(t) => item.title = required_text("title", t)?,
        CommitmentField::Description(text) => {
            if item.description.as_str() != text {
                item.description.update(text);
            }
        }
        CommitmentField::Quantity(q) => item.quantity = amount("quantity", *q)?,
        CommitmentField::Unit(u) => item.unit = u.trim().to_string(),
        CommitmentField::Parameters(ps) => {
            if ps.iter().any(|p| p.name.trim().is_empty()) {
                return Err(ScopeError::InvalidValue {
                    field: "parameters".into(),
                    message: "every technical parameter needs a name".into(),
                });
            }
            item.parameters = ps
                .iter()
                .map(|p| m::Parameter {
                    name: p.name.trim().to_string(),
                    value: p.value.trim().to_string(),
                    unit: p.unit.trim().to_string(),
                    tolerance: p.tolerance.trim().to_string(),
                })
                .collect();
        }
        CommitmentField::LeadTimeWeeks(w) => {
            item.delivery.lead_time_weeks = amount("lead_time_weeks", *w)?
        }
        CommitmentField::DeliveryDate(v) => item.delivery.date = date("delivery_date", v)?,
        CommitmentField::Acceptance(a) => item.acceptance = a.clone(),
        CommitmentField::Price(p) => item.price = amount("price", *p)?,
        CommitmentField::CostEstimate(c) => item.cost_estimate = amount("cost_estimate", *c)?,
        CommitmentField::Author(r) => item.author = convert::role_in(*r),
    }
    Ok(())
}

fn person_in(p: &crate::view::Person) -> m::Person {
    m::Person {
        name: p.name.trim().to_string(),
        email: p.email.trim().to_string(),
    }
}

fn header_field_name(f: &HeaderField) -> &'static str {
    match f {
        HeaderField::Title(_) => "title",
        HeaderField::CustomerName(_) => "customer name",
        HeaderField::CustomerSite(_) => "customer site",
        HeaderField::CustomerContact(_) => "customer contact",
        HeaderField::CrmRef(_) => "CRM reference",
        HeaderField::Value(_) => "value",
        HeaderField::Currency(_) => "currency",
        HeaderField::TargetClose(_) => "target close",
        HeaderField::Significant(_) => "significant",
        HeaderField::MarginThresholdPct(_) => "margin threshold",
        HeaderField::CommercialLead(_) => "commercial lead",
        HeaderField::OperationalLead(_) => "operational lead",
        HeaderField::CustomerSignatory(_) => "customer signatory",
        HeaderField::Executive(_) => "executive",
    }
}

fn commitment_field_name(f: &CommitmentField) -> &'static str {
    match f {
        CommitmentField::Reference(_) => "ref",
        CommitmentField::Kind(_) => "kind",
        CommitmentField::Title(_) => "title",
        CommitmentField::Description(_) => "description",
        CommitmentField::Quantity(_) => "quantity",
        CommitmentField::Unit(_) => "unit",
        CommitmentField::Parameters(_) => "parameters",
        CommitmentField::LeadTimeWeeks(_) => "lead time",
        CommitmentField::DeliveryDate(_) => "delivery date",
        CommitmentField::Acceptance(_) => "acceptance",
        CommitmentField::Price(_) => "price",
        CommitmentField::CostEstimate(_) => "cost estimate",
        CommitmentField::Author(_) => "author",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interchange::CommitmentKind;

    const SAMPLE: &str = include_str!("../../../tests/fixtures/press-line-retrofit.json");

    fn sample_file() -> x::Document {
        x::Document::parse(SAMPLE).unwrap()
    }

    fn json(doc: &Automerge) -> serde_json::Value {
        serde_json::to_value(to_file(doc).unwrap()).unwrap()
    }

    #[test]
    fn sample_round_trips_through_automerge_and_bytes() {
        let doc = from_file(&sample_file()).unwrap();
        let reloaded = Automerge::load(&doc.save()).unwrap();
        let original: serde_json::Value = serde_json::from_str(SAMPLE).unwrap();
        assert_eq!(json(&reloaded), original);
    }

    fn id_of(doc: &Automerge, reference: &str) -> String {
        read(doc)
            .unwrap()
            .commitments
            .iter()
            .find(|(_, c)| c.reference == reference)
            .unwrap()
            .0
            .clone()
    }

    fn refs(doc: &Automerge) -> Vec<String> {
        read(doc)
            .unwrap()
            .commitments_in_order()
            .iter()
            .map(|(_, c)| c.reference.clone())
            .collect()
    }

    #[test]
    fn add_move_delete_commitments() {
        let mut doc = from_file(&sample_file()).unwrap();
        let after = id_of(&doc, "C-02");
        let created = apply(
            &mut doc,
            &Edit::AddCommitment {
                title: "Größe Ñandú ±0.02 mm".into(),
                kind: CommitmentKind::Specification,
                after: Some(after),
            },
        )
        .unwrap()
        .created_id
        .unwrap();
        assert_eq!(
            refs(&doc),
            ["C-01", "C-02", "C-08", "C-03", "C-04", "C-05", "C-06", "C-07"]
        );
        apply(
            &mut doc,
            &Edit::MoveCommitment {
                id: created.clone(),
                to_index: 0,
            },
        )
        .unwrap();
        assert_eq!(refs(&doc)[0], "C-08");
        apply(
            &mut doc,
            &Edit::MoveCommitment {
                id: created.clone(),
                to_index: 99,
            },
        )
        .unwrap();
        assert_eq!(refs(&doc).last().unwrap(), "C-08");
        apply(
            &mut doc,
            &Edit::DeleteCommitment {
                id: created.clone(),
            },
        )
        .unwrap();
        assert_eq!(refs(&doc).len(), 7);
        let err = apply(&mut doc, &Edit::DeleteCommitment { id: created }).unwrap_err();
        assert!(matches!(err, ScopeError::NoSuchItem { .. }));
    }

    #[test]
    fn invalid_edits_are_refused_and_change_nothing() {
        let mut doc = from_file(&sample_file()).unwrap();
        let heads = doc.get_heads();
        let id = id_of(&doc, "C-01");
        let bad = [
            CommitmentField::Title("  ".into()),
            CommitmentField::Price(Some(-1.0)),
            CommitmentField::DeliveryDate(Some("next week".into())),
            CommitmentField::Reference("C-02".into()),
        ];
        for change in bad {
            let edit = Edit::UpdateCommitment {
                id: id.clone(),
                changes: vec![CommitmentField::Unit("x".into()), change],
            };
            assert!(matches!(
                apply(&mut doc, &edit),
                Err(ScopeError::InvalidValue { .. })
            ));
        }
        let header = Edit::UpdateHeader {
            changes: vec![HeaderField::Currency("euros".into())],
        };
        assert!(apply(&mut doc, &header).is_err());
        assert_eq!(doc.get_heads(), heads);
    }

    #[test]
    fn description_edits_made_concurrently_both_survive() {
        let mut a = from_file(&sample_file()).unwrap();
        let mut b = a.fork();
        let id = id_of(&a, "C-02");
        let base = "Hydraulic die clamps and roller bolsters for dies up to 18 t.";
        let edit = |text: String| Edit::UpdateCommitment {
            id: id.clone(),
            changes: vec![CommitmentField::Description(text)],
        };
        apply(&mut a, &edit(format!("Two-sided {base}"))).unwrap();
        apply(&mut b, &edit(format!("{base} Includes spare seals."))).unwrap();
        a.merge(&mut b).unwrap();
        let merged = read(&a).unwrap().commitments[&id]
            .description
            .as_str()
            .to_string();
        assert_eq!(merged, format!("Two-sided {base} Includes spare seals."));
    }

    #[test]
    fn import_into_applies_file_changes_and_keeps_local_edits() {
        let mut doc = from_file(&sample_file()).unwrap();
        // Meanwhile, in the app: an untouched-by-the-file field is edited.
        let c3 = id_of(&doc, "C-03");
        apply(
            &mut doc,
            &Edit::UpdateCommitment {
                id: c3.clone(),
                changes: vec![CommitmentField::Acceptance("Edited in the app".into())],
            },
        )
        .unwrap();

        // The CRM exports a newer version: C-01 price changed, a new C-09 after C-02.
        let mut newer = sample_file();
        newer.commitments[0].price = Some(x::Number(915000.0));
        let mut added = newer.commitments[1].clone();
        added.reference = "C-09".into();
        added.title = "Spare parts package".into();
        newer.commitments.insert(2, added);

        let report = import_into(&mut doc, &newer).unwrap();
        assert_eq!(
            (report.commitments_added, report.commitments_updated),
            (1, 7)
        );
        let model = read(&doc).unwrap();
        assert_eq!(
            model.commitments[&id_of(&doc, "C-01")].price,
            Some(915000.0)
        );
        assert_eq!(model.commitments[&c3].acceptance, "Edited in the app");
        assert_eq!(
            refs(&doc),
            ["C-01", "C-02", "C-09", "C-03", "C-04", "C-05", "C-06", "C-07"]
        );

        // Importing the very same file again changes nothing and duplicates nothing.
        let before = json(&doc);
        import_into(&mut doc, &newer).unwrap();
        assert_eq!(json(&doc), before);
    }

    #[test]
    fn new_document_starts_as_draft() {
        let doc = new_document("  Línea 4  ").unwrap();
        let model = read(&doc).unwrap();
        assert_eq!(model.title, "Línea 4");
        assert_eq!(crate::status::status(&model), crate::status::Status::Draft);
        assert!(new_document(" ").is_err());
    }
}
