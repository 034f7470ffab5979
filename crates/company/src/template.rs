//! Templates per product line: a `scopepact/v1` file with a `template` marker holding the
//! commitments a product line usually needs (kind, parameters, acceptance, typical price and
//! cost), its assumptions and exclusions, and the questions that usually become ambiguities.
//! A template holds no verdict, no answer, no customer and no figures of a deal: a deal made
//! from it starts with every commitment pending, whatever the file said.

use scopepact_scope::interchange::{self as x, AmbiguityStatus, TemplateMarker, Validation};

use crate::CompanyError;

/// The key a template is kept under: its name, trimmed and lowercase.
pub fn key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// Reads a template file strictly (the format's parser, its limits and rules): a file without
/// the marker is a deal, and refused.
pub fn parse(text: &str) -> Result<x::Document, CompanyError> {
    let file = x::Document::parse(text)?;
    if file.template.is_none() {
        return Err(CompanyError::NotATemplate);
    }
    Ok(blank(file))
}

/// The template as its file.
pub fn write(file: &x::Document) -> String {
    serde_json::to_string_pretty(file).unwrap_or_default()
}

/// A template made from a deal's file: what the deal committed, without the deal.
pub fn from_deal(deal: x::Document, name: &str, product_line: &str) -> x::Document {
    let mut file = blank(deal);
    file.template = Some(TemplateMarker {
        name: name.trim().to_string(),
        product_line: product_line.trim().to_string(),
    });
    file.title = name.trim().to_string();
    file
}

/// A deal's file from a template: its commitments pending, its questions open.
pub fn to_deal(template: &x::Document, title: &str) -> Result<x::Document, CompanyError> {
    let mut file = blank(template.clone());
    file.template = None;
    file.title = title.trim().to_string();
    file.check()?;
    Ok(file)
}

/// Leaves out everything that belongs to one deal.
fn blank(mut file: x::Document) -> x::Document {
    let currency = std::mem::take(&mut file.deal.currency);
    file.customer = x::Customer::default();
    file.deal = x::Deal {
        currency,
        ..x::Deal::default()
    };
    file.people = x::People::default();
    for c in &mut file.commitments {
        c.validation = Validation::default();
        c.delivery.date = None;
    }
    for a in &mut file.ambiguities {
        a.raised_by.clear();
        a.owner.clear();
        a.due = None;
        a.status = AmbiguityStatus::Open;
        a.answer = None;
    }
    for item in file
        .assumptions
        .iter_mut()
        .chain(file.exclusions.iter_mut())
    {
        item.agreed_by = None;
        item.agreed_by_name = None;
    }
    file.overrides.clear();
    file.meeting = None;
    file.rework.clear();
    file.satisfaction = None;
    file
}
