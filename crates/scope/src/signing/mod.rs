//! Co-signature (DESIGN §5). A signature covers a payload naming the document, its heads and
//! the SHA-256 of its canonical content; it holds while that hash is the content's and no
//! amendment voided it. When every required signature holds the scope is sealed.

use scopepact_messages::message;
use std::collections::{BTreeMap, BTreeSet};

mod amendment;
mod changes;

pub use changes::{post_signature_changes, PostSignatureChange};

use automerge::Automerge;
use scopepact_signing::{sha256_hex, Payload, PAYLOAD_FORMAT};

use crate::convert;
use crate::edit::{Actor, Edit, Stage};
use crate::error::not_owned;
use crate::error::ScopeError;
use crate::interchange::Role;
use crate::model::{self as m, ScopeDoc};
use crate::record::Change;
use crate::refusal::{Refusal, SignerRole};
use crate::status::Status;
use crate::validation::gate;

/// SHA-256 of the canonical scope content: the interchange file of the document (header,
/// commitments with their verdicts, ambiguities, assumptions, exclusions, overrides), which
/// leaves out signatures, bookkeeping, the transfer meeting and what came after the handoff.
pub fn content_sha256(doc: &ScopeDoc) -> String {
    sha256_hex(canonical_content(doc).as_bytes())
}

/// The canonical content itself, as the bytes its hash covers (what a signed PDF embeds).
pub fn canonical_content(doc: &ScopeDoc) -> String {
    let mut scope = convert::file_from_model(doc);
    // What happens after the signature cannot be part of what was signed.
    scope.meeting = None;
    scope.rework.clear();
    scope.satisfaction = None;
    serde_json::to_string(&scope).unwrap_or_default()
}

/// The document's heads, sorted hex.
pub fn heads_hex(am: &Automerge) -> Vec<String> {
    let mut heads: Vec<String> = am.get_heads().iter().map(|h| h.to_string()).collect();
    heads.sort();
    heads
}

pub fn role_out(role: m::SignerRole) -> SignerRole {
    match role {
        m::SignerRole::CommercialLead => SignerRole::CommercialLead,
        m::SignerRole::OperationalLead => SignerRole::OperationalLead,
        m::SignerRole::Customer => SignerRole::Customer,
    }
}

pub fn role_in(role: SignerRole) -> m::SignerRole {
    match role {
        SignerRole::CommercialLead => m::SignerRole::CommercialLead,
        SignerRole::OperationalLead => m::SignerRole::OperationalLead,
        SignerRole::Customer => m::SignerRole::Customer,
    }
}

/// The signatures a deal needs: both leads, and the customer's when it is significant.
pub fn required(doc: &ScopeDoc) -> Vec<SignerRole> {
    let mut roles = vec![SignerRole::CommercialLead, SignerRole::OperationalLead];
    if doc.deal.is_significant() {
        roles.push(SignerRole::Customer);
    }
    roles
}

/// The payload a stored signature claims to cover.
pub fn payload_of(record: &m::SignatureRecord) -> Payload {
    Payload {
        format: PAYLOAD_FORMAT.into(),
        document_id: record.document_id.clone(),
        heads: record.heads.clone(),
        content_sha256: record.content_sha256.clone(),
        signer: record.signer.clone(),
        email: record.email.clone(),
        role: role_out(record.role).as_str().into(),
        public_key: record.public_key.clone(),
        witness: record.witness.clone(),
        time: record.time.clone(),
        statement: record.statement.clone(),
        drawing_sha256: record.drawing_sha256.clone(),
    }
}

/// The record a signed payload makes, as the document would keep it; `None` when the payload
/// names no signer role.
pub fn record_of(
    payload: &Payload,
    signature: &str,
    drawing: &[Vec<f64>],
) -> Option<m::SignatureRecord> {
    let role = SignerRole::parse(&payload.role)?;
    Some(record(
        payload,
        role,
        drawing.to_vec(),
        signature.to_string(),
    ))
}

/// SHA-256 of a drawing's strokes, as signed.
pub fn drawing_sha256(drawing: &[Vec<f64>]) -> Option<String> {
    (!drawing.is_empty()).then(|| sha256_hex(&serde_json::to_vec(drawing).unwrap_or_default()))
}

/// Why a stored signature does not hold, or `None` when it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Lapse {
    /// The content changed since it was signed.
    ContentChanged,
    /// An amendment voided it.
    Amended,
    /// The signature does not verify (altered record, or made with another key).
    Invalid,
}

fn voided(doc: &ScopeDoc) -> BTreeSet<&str> {
    doc.amendments
        .values()
        .flat_map(|a| a.voids.iter().map(String::as_str))
        .collect()
}

/// Whether a record is a correct signature over what it claims, leaving content aside.
fn authentic(record: &m::SignatureRecord) -> bool {
    scopepact_signing::verify(&payload_of(record), &record.signature).is_ok()
        && drawing_sha256(&record.drawing) == record.drawing_sha256
}

/// Each signature's lapse against the content `current` (its hash).
pub fn lapses(doc: &ScopeDoc, current: &str) -> BTreeMap<String, Option<Lapse>> {
    let voided = voided(doc);
    doc.signatures
        .iter()
        .map(|(id, record)| {
            let lapse = if !authentic(record) {
                Some(Lapse::Invalid)
            } else if voided.contains(id.as_str()) {
                Some(Lapse::Amended)
            } else if record.content_sha256 != current {
                Some(Lapse::ContentChanged)
            } else {
                None
            };
            (id.clone(), lapse)
        })
        .collect()
}

/// Roles whose signature holds for the current content.
pub fn holding(doc: &ScopeDoc) -> BTreeSet<SignerRole> {
    if doc.signatures.is_empty() {
        return BTreeSet::new();
    }
    let current = content_sha256(doc);
    let lapses = lapses(doc, &current);
    doc.signatures
        .iter()
        .filter(|(id, _)| lapses.get(*id) == Some(&None))
        .map(|(_, r)| role_out(r.role))
        .collect()
}

/// Every required signature holds.
/// The status as far as signing tells it: signed (sealed), amended after a signature, or what
/// validation says before any signature. The handoff refines "signed" (see
/// [`crate::handoff::stage`]).
pub fn stage(doc: &ScopeDoc) -> Status {
    if !doc.signatures.is_empty() {
        if sealed(doc) {
            return Status::Signed;
        }
        if last_seal(doc).is_some() {
            return Status::AmendedAfterSignature;
        }
    }
    gate::stage(doc)
}

pub fn sealed(doc: &ScopeDoc) -> bool {
    if doc.signatures.is_empty() {
        return false;
    }
    let holding = holding(doc);
    required(doc).iter().all(|r| holding.contains(r))
}

/// When the scope was sealed: the time of the last holding signature, while it is sealed.
pub fn sealed_at(doc: &ScopeDoc) -> Option<String> {
    if doc.signatures.is_empty() {
        return None;
    }
    let lapses = lapses(doc, &content_sha256(doc));
    let holding: Vec<&m::SignatureRecord> = doc
        .signatures
        .iter()
        .filter(|(id, _)| lapses.get(*id) == Some(&None))
        .map(|(_, r)| r)
        .collect();
    let roles: BTreeSet<SignerRole> = holding.iter().map(|r| role_out(r.role)).collect();
    if !required(doc).iter().all(|r| roles.contains(r)) {
        return None;
    }
    holding.iter().map(|r| r.time.clone()).max()
}

/// Some content was once signed by every required role (authentic signatures on one hash).
/// Such a scope that is not sealed now was amended, or changed after signature by a merge.
/// Returns the signatures of that sealed content (the latest set).
pub fn last_seal(doc: &ScopeDoc) -> Option<Vec<&m::SignatureRecord>> {
    let mut by_content: BTreeMap<&str, Vec<&m::SignatureRecord>> = BTreeMap::new();
    for record in doc.signatures.values().filter(|r| authentic(r)) {
        by_content
            .entry(&record.content_sha256)
            .or_default()
            .push(record);
    }
    let required = required(doc);
    by_content
        .into_values()
        .filter(|records| {
            let roles: BTreeSet<SignerRole> = records.iter().map(|r| role_out(r.role)).collect();
            required.iter().all(|r| roles.contains(r))
        })
        .max_by(|a, b| latest(a).cmp(&latest(b)))
}

fn latest(records: &[&m::SignatureRecord]) -> String {
    records
        .iter()
        .map(|r| r.time.clone())
        .max()
        .unwrap_or_default()
}

/// What a person asks to sign.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, specta::Type)]
pub struct SignRequest {
    pub role: SignerRole,
    /// For a customer: the customer's typed name and email; for a lead, left empty (the
    /// profile's are used).
    pub name: Option<String>,
    pub email: Option<String>,
    pub statement: String,
    /// Pointer strokes, each a flat list of x, y pairs in 0–1 of the pad.
    pub drawing: Vec<Vec<f64>>,
}

/// The statement each role signs unless another is given.
pub fn default_statement(role: SignerRole, language: crate::interchange::Language) -> &'static str {
    use crate::interchange::Language::{En, Es};
    match (role, language) {
        (SignerRole::CommercialLead, En) => {
            "I commit the company to the scope above, as validated by operations."
        }
        (SignerRole::OperationalLead, En) => {
            "I commit operations to deliver the scope above, as validated."
        }
        (SignerRole::Customer, En) => "I accept the scope above as what we agreed.",
        (SignerRole::CommercialLead, Es) => {
            "Comprometo a la empresa con el alcance anterior, validado por operaciones."
        }
        (SignerRole::OperationalLead, Es) => {
            "Comprometo a operaciones a entregar el alcance anterior, tal como se validó."
        }
        (SignerRole::Customer, Es) => "Acepto el alcance anterior como lo acordado.",
    }
}

/// Checks that `by` may give the signature asked for now, and returns the payload to sign with
/// the key `public_key` (hex) at `time`.
pub fn prepare(
    document_id: &str,
    am: &Automerge,
    doc: &ScopeDoc,
    by: &Actor,
    request: &SignRequest,
    public_key: &str,
    time: &str,
) -> Result<Payload, ScopeError> {
    let role = crate::refusal::acting_role(by)?;
    check_can_sign(doc, request.role)?;
    let (signer, email, witness) = match request.role {
        SignerRole::CommercialLead | SignerRole::OperationalLead => {
            lead_signs(doc, by, role, request)?
        }
        SignerRole::Customer => customer_signs(by, request)?,
    };
    check_drawing(&request.drawing)?;
    let statement = if request.statement.trim().is_empty() {
        default_statement(
            request.role,
            crate::interchange::Language::parse(&doc.language).unwrap_or_default(),
        )
        .to_string()
    } else {
        request.statement.trim().to_string()
    };
    Ok(Payload {
        format: PAYLOAD_FORMAT.into(),
        document_id: document_id.into(),
        heads: heads_hex(am),
        content_sha256: content_sha256(doc),
        signer,
        email,
        role: request.role.as_str().into(),
        public_key: public_key.into(),
        witness,
        time: time.into(),
        statement,
        drawing_sha256: drawing_sha256(&request.drawing),
    })
}

/// The gate holds and this signature is still needed.
fn check_can_sign(doc: &ScopeDoc, role: SignerRole) -> Result<(), ScopeError> {
    let state = stage(doc);
    if !matches!(state, Status::ReadyToSign | Status::AmendedAfterSignature)
        || !gate::gate(doc).is_empty()
    {
        return Err(ScopeError::Refused(Refusal::NotReadyToSign {
            status: state,
        }));
    }
    if !required(doc).contains(&role) || holding(doc).contains(&role) {
        return Err(ScopeError::Refused(Refusal::SignatureNotNeeded { role }));
    }
    Ok(())
}

/// Signer, email and witness: a lead signs as the person the header names, in their own name.
type Signer = (String, String, Option<String>);

fn lead_signs(
    doc: &ScopeDoc,
    by: &Actor,
    role: Role,
    request: &SignRequest,
) -> Result<Signer, ScopeError> {
    match request.name.as_deref().map(str::trim) {
        Some(typed) if !typed.is_empty() && !typed.eq_ignore_ascii_case(by.name.trim()) => {
            return Err(ScopeError::invalid(
                message!("field-name"),
                message!("value-name-as-profile", name = &by.name),
            ))
        }
        _ => {}
    }
    let (person, needed) = match request.role {
        SignerRole::CommercialLead => (&doc.people.commercial_lead, Role::Commercial),
        _ => (&doc.people.operational_lead, Role::Operational),
    };
    if role != needed || !person.email.trim().eq_ignore_ascii_case(by.email.trim()) {
        return Err(ScopeError::Refused(Refusal::NotTheNamedLead {
            role: request.role,
            named: format!("{} <{}>", person.name, person.email),
            actor: by.name.clone(),
        }));
    }
    Ok((by.name.clone(), by.email.clone(), None))
}

/// The customer signs with a typed name and email, on a laptop of the team: its profile
/// witnesses.
fn customer_signs(by: &Actor, request: &SignRequest) -> Result<Signer, ScopeError> {
    let text = |value: &Option<String>, field| -> Result<String, ScopeError> {
        let value = value.as_deref().unwrap_or_default().trim().to_string();
        if value.is_empty() {
            return Err(ScopeError::invalid(field, message!("value-customer-typed")));
        }
        Ok(value)
    };
    let email = text(&request.email, message!("field-customer_email"))?;
    if !email.contains('@') {
        return Err(ScopeError::invalid(
            message!("field-customer_email"),
            message!("value-not-an-email", value = email),
        ));
    }
    let name = text(&request.name, message!("field-customer_name"))?;
    Ok((name, email, Some(by.name.clone())))
}

fn check_drawing(drawing: &[Vec<f64>]) -> Result<(), ScopeError> {
    if drawing
        .iter()
        .flatten()
        .any(|v| !v.is_finite() || !(0.0..=1.0).contains(v))
        || drawing.iter().any(|stroke| stroke.len() % 2 != 0)
    {
        return Err(ScopeError::invalid(
            message!("field-drawing"),
            message!("value-drawing-strokes"),
        ));
    }
    Ok(())
}

/// The record of a payload once signed.
pub fn record(
    payload: &Payload,
    role: SignerRole,
    drawing: Vec<Vec<f64>>,
    signature: String,
) -> m::SignatureRecord {
    m::SignatureRecord {
        document_id: payload.document_id.clone(),
        role: role_in(role),
        signer: payload.signer.clone(),
        email: payload.email.clone(),
        public_key: payload.public_key.clone(),
        witness: payload.witness.clone(),
        time: payload.time.clone(),
        statement: payload.statement.clone(),
        content_sha256: payload.content_sha256.clone(),
        heads: payload.heads.clone(),
        drawing,
        drawing_sha256: payload.drawing_sha256.clone(),
        signature,
    }
}

/// Applies a signing edit (an amendment: signatures themselves come through
/// [`crate::document::add_signature`], which checks the key's work first).
pub(crate) fn apply(
    d: &mut ScopeDoc,
    edit: &Edit,
    cx: &Change,
) -> Result<Option<String>, ScopeError> {
    match edit {
        Edit::StartAmendment { reason } => {
            amendment::start(d, reason, cx.by, cx.now).map(|()| None)
        }
        other => Err(not_owned(other, Stage::Signing)),
    }
}
