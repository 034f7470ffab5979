//! Readers that accept what stock automerge-repo peers write. JavaScript's Automerge stores a
//! string as collaborative text and a whole number as an integer, where ScopePact's model holds
//! plain strings and floating-point figures. Reading both forms means an edit from such a peer
//! (a script, another automerge-repo app) never makes a scope document unreadable.

use automerge::{ObjId, ObjType, ScalarValue, Value};
use autosurgeon::{HydrateError, Prop, ReadDoc};

/// What a property holds, reduced to the forms these readers know.
enum Found {
    Missing,
    Null,
    Text(String),
    Number(f64),
    Other,
}

fn found<D: ReadDoc>(doc: &D, obj: &ObjId, prop: &Prop<'_>) -> Result<Found, HydrateError> {
    Ok(match doc.get(obj, prop)? {
        None => Found::Missing,
        Some((Value::Object(ObjType::Text), id)) => Found::Text(doc.text(&id)?),
        Some((Value::Scalar(value), _)) => match value.as_ref() {
            ScalarValue::Null => Found::Null,
            ScalarValue::Str(s) => Found::Text(s.to_string()),
            ScalarValue::F64(f) => Found::Number(*f),
            ScalarValue::Int(i) => Found::Number(*i as f64),
            ScalarValue::Uint(u) => Found::Number(*u as f64),
            _ => Found::Other,
        },
        Some(_) => Found::Other,
    })
}

fn unexpected(prop: &Prop<'_>, expected: &str) -> HydrateError {
    HydrateError::unexpected(expected, format!("something else at {prop}"))
}

/// A string, written as a scalar (ScopePact) or as text (JavaScript peers).
pub fn string<D: ReadDoc>(doc: &D, obj: &ObjId, prop: Prop<'_>) -> Result<String, HydrateError> {
    match found(doc, obj, &prop)? {
        Found::Text(s) => Ok(s),
        _ => Err(unexpected(&prop, "a string")),
    }
}

/// An optional string: missing or null is `None`.
pub fn optional_string<D: ReadDoc>(
    doc: &D,
    obj: &ObjId,
    prop: Prop<'_>,
) -> Result<Option<String>, HydrateError> {
    match found(doc, obj, &prop)? {
        Found::Missing | Found::Null => Ok(None),
        Found::Text(s) => Ok(Some(s)),
        _ => Err(unexpected(&prop, "a string or null")),
    }
}

/// An optional figure, written as a float (ScopePact) or as an integer (JavaScript peers
/// writing a whole number): missing or null is `None`.
pub fn optional_number<D: ReadDoc>(
    doc: &D,
    obj: &ObjId,
    prop: Prop<'_>,
) -> Result<Option<f64>, HydrateError> {
    match found(doc, obj, &prop)? {
        Found::Missing | Found::Null => Ok(None),
        Found::Number(n) => Ok(Some(n)),
        _ => Err(unexpected(&prop, "a number or null")),
    }
}

/// One of a fixed set of names (an enum of unit variants), written as a scalar or as text.
pub fn keyword<D: ReadDoc, T: autosurgeon::Hydrate>(
    doc: &D,
    obj: &ObjId,
    prop: Prop<'_>,
) -> Result<T, HydrateError> {
    match doc.get(obj, &prop)? {
        Some((Value::Object(ObjType::Text), id)) => T::hydrate_string(&doc.text(&id)?),
        _ => T::hydrate(doc, obj, prop),
    }
}
