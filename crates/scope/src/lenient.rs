//! Total reading: every field of the model is read by one of these functions, which never fail.
//!
//! A document holds whatever its peers wrote: ScopePact, a stock automerge-repo peer (strings as
//! text, whole numbers as integers), or a broken or hostile one (a price written as `"abc"`, a
//! title removed, a list where a map belongs). A value that does not read as what the model
//! needs, or that breaks the format's rules ([`crate::rules`]), is read as the field's empty
//! value and noted as damage, with where it is and who wrote it; the rest of the document reads
//! on. [`collecting`] gathers the damage of one read.
//!
//! The damage goes through a thread-local list because autosurgeon's hydrate functions take
//! only the document, the object and the property.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use automerge::{ObjId, ObjType, ScalarValue, Value};
use autosurgeon::{Hydrate, HydrateError, Prop, ReadDoc, Text};

use crate::edit::PathStep;
use crate::rules;

/// One value that did not read.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// From the document's root to the value.
    pub path: Vec<PathStep>,
    /// What the model needs there, for people (`an amount of zero or more`).
    pub expected: &'static str,
    /// What is there instead (`"abc"`, `a list`, `nothing`).
    pub found: String,
    /// The operation that wrote it (counter, actor hex), when there is one.
    pub written_by: Option<(u64, String)>,
}

thread_local! {
    static DAMAGE: RefCell<Option<Vec<Found>>> = const { RefCell::new(None) };
    /// Collaborative text read so far in this read, in bytes.
    static SHARED_TEXT: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Runs `read` and returns what it read with the damage found on the way.
pub(crate) fn collecting<T>(read: impl FnOnce() -> T) -> (T, Vec<Found>) {
    let outer = DAMAGE.with(|d| d.borrow_mut().replace(vec![]));
    let outer_text = SHARED_TEXT.with(|t| t.replace(0));
    let value = read();
    let found = DAMAGE.with(|d| std::mem::replace(&mut *d.borrow_mut(), outer));
    SHARED_TEXT.with(|t| t.set(outer_text));
    (value, found.unwrap_or_default())
}

/// How many values were found damaged so far in this read (to tell whether an item was).
fn damage_count() -> usize {
    DAMAGE.with(|d| d.borrow().as_ref().map_or(0, Vec::len))
}

/// What one read of a document found damaged. It lives beside the model but is never written
/// back: it is not in the document, it is what reading the document found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Damaged(pub Vec<Found>);

impl Hydrate for Damaged {
    fn hydrate<D: ReadDoc>(_: &D, _: &ObjId, _: Prop<'_>) -> Result<Self, HydrateError> {
        Ok(Damaged::default())
    }
}

impl autosurgeon::Reconcile for Damaged {
    type Key<'a> = autosurgeon::reconcile::NoKey;
    fn reconcile<R: autosurgeon::Reconciler>(&self, _: R) -> Result<(), R::Error> {
        Ok(())
    }
}

fn path_of<D: ReadDoc>(doc: &D, obj: &ObjId, prop: &Prop<'_>) -> Vec<PathStep> {
    let mut path: Vec<PathStep> = doc
        .parents(obj)
        .map(|parents| {
            parents
                .map(|p| match p.prop {
                    automerge::Prop::Map(k) => PathStep::Key(k),
                    automerge::Prop::Seq(i) => {
                        PathStep::Index(u32::try_from(i).unwrap_or(u32::MAX))
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    path.reverse();
    path.push(match prop {
        Prop::Key(k) => PathStep::Key(k.to_string()),
        Prop::Index(i) => PathStep::Index(*i),
    });
    path
}

fn describe(value: &Value<'_>) -> String {
    match value {
        Value::Object(ObjType::Map | ObjType::Table) => "a map".into(),
        Value::Object(ObjType::List) => "a list".into(),
        Value::Object(ObjType::Text) => "a text".into(),
        Value::Scalar(s) => {
            let text = match s.as_ref() {
                ScalarValue::Str(s) => format!("{:?}", s.as_str()),
                ScalarValue::Null => "null".into(),
                other => other.to_string(),
            };
            if text.len() > 80 {
                let mut end = 77;
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                format!("{}… ({} bytes)", &text[..end], text.len())
            } else {
                text
            }
        }
    }
}

/// Notes that the value at `obj`/`prop` is damaged.
fn damaged<D: ReadDoc>(doc: &D, obj: &ObjId, prop: &Prop<'_>, expected: &'static str) {
    let active = DAMAGE.with(|d| d.borrow().is_some());
    if !active {
        return;
    }
    let (found, written_by) = match doc.get(obj, prop) {
        Ok(Some((value, ObjId::Id(counter, actor, _)))) => {
            (describe(&value), Some((counter, actor.to_hex_string())))
        }
        Ok(Some((value, ObjId::Root))) => (describe(&value), None),
        _ => ("nothing".to_string(), None),
    };
    let path = path_of(doc, obj, prop);
    DAMAGE.with(|d| {
        if let Some(list) = d.borrow_mut().as_mut() {
            list.push(Found {
                path,
                expected,
                found,
                written_by,
            });
        }
    });
}

/// What a property holds, reduced to the forms these readers know.
enum Held {
    Missing,
    Null,
    Text(String),
    Number(f64),
    Bool(bool),
    Map(ObjId),
    List(ObjId),
    Other,
}

fn held<D: ReadDoc>(doc: &D, obj: &ObjId, prop: &Prop<'_>) -> Held {
    match doc.get(obj, prop) {
        Ok(None) => Held::Missing,
        Ok(Some((Value::Object(ObjType::Text), id))) => {
            doc.text(&id).map_or(Held::Other, Held::Text)
        }
        Ok(Some((Value::Object(ObjType::Map | ObjType::Table), id))) => Held::Map(id),
        Ok(Some((Value::Object(ObjType::List), id))) => Held::List(id),
        Ok(Some((Value::Scalar(value), _))) => match value.as_ref() {
            ScalarValue::Null => Held::Null,
            ScalarValue::Str(s) => Held::Text(s.to_string()),
            ScalarValue::F64(f) => Held::Number(*f),
            ScalarValue::Int(i) => Held::Number(*i as f64),
            ScalarValue::Uint(u) => Held::Number(*u as f64),
            ScalarValue::Boolean(b) => Held::Bool(*b),
            _ => Held::Other,
        },
        Err(_) => Held::Other,
    }
}

/// A string within the text limit, written as a scalar (ScopePact) or as text (JavaScript peers).
pub fn string<D: ReadDoc>(doc: &D, obj: &ObjId, prop: Prop<'_>) -> Result<String, HydrateError> {
    Ok(match held(doc, obj, &prop) {
        Held::Text(s) if rules::is_text(&s) => s,
        _ => {
            damaged(doc, obj, &prop, "a text of at most 100,000 bytes");
            String::new()
        }
    })
}

/// A string that must not be empty (a title, a ref).
pub fn required<D: ReadDoc>(doc: &D, obj: &ObjId, prop: Prop<'_>) -> Result<String, HydrateError> {
    Ok(match held(doc, obj, &prop) {
        Held::Text(s) if rules::is_text(&s) && !s.trim().is_empty() => s,
        _ => {
            damaged(doc, obj, &prop, "a text that is not empty");
            String::new()
        }
    })
}

/// An optional string: missing or null is `None`.
pub fn optional_string<D: ReadDoc>(
    doc: &D,
    obj: &ObjId,
    prop: Prop<'_>,
) -> Result<Option<String>, HydrateError> {
    optional_text(doc, obj, prop, "a text or nothing", |_| true)
}

fn optional_text<D: ReadDoc>(
    doc: &D,
    obj: &ObjId,
    prop: Prop<'_>,
    expected: &'static str,
    valid: impl Fn(&str) -> bool,
) -> Result<Option<String>, HydrateError> {
    Ok(match held(doc, obj, &prop) {
        Held::Missing | Held::Null => None,
        Held::Text(s) if rules::is_text(&s) && valid(&s) => Some(s),
        _ => {
            damaged(doc, obj, &prop, expected);
            None
        }
    })
}

/// A date, `YYYY-MM-DD`, or nothing.
pub fn date<D: ReadDoc>(
    doc: &D,
    obj: &ObjId,
    prop: Prop<'_>,
) -> Result<Option<String>, HydrateError> {
    optional_text(
        doc,
        obj,
        prop,
        "a date (YYYY-MM-DD) or nothing",
        rules::is_date,
    )
}

/// A date that must be there (a rework entry's, a satisfaction score's).
pub fn required_date<D: ReadDoc>(
    doc: &D,
    obj: &ObjId,
    prop: Prop<'_>,
) -> Result<String, HydrateError> {
    Ok(match held(doc, obj, &prop) {
        Held::Text(s) if rules::is_date(&s) => s,
        _ => {
            damaged(doc, obj, &prop, "a date (YYYY-MM-DD)");
            String::new()
        }
    })
}

/// An RFC 3339 time, or nothing.
pub fn timestamp<D: ReadDoc>(
    doc: &D,
    obj: &ObjId,
    prop: Prop<'_>,
) -> Result<Option<String>, HydrateError> {
    optional_text(
        doc,
        obj,
        prop,
        "an RFC 3339 time or nothing",
        rules::is_timestamp,
    )
}

/// A date, a date and time, or RFC 3339, or nothing (a meeting's times).
pub fn moment<D: ReadDoc>(
    doc: &D,
    obj: &ObjId,
    prop: Prop<'_>,
) -> Result<Option<String>, HydrateError> {
    optional_text(
        doc,
        obj,
        prop,
        "a date or a date and time, or nothing",
        |s| crate::rules::moment_seconds(s).is_some(),
    )
}

/// A language code the scope is printed in (`en`, `es`), or empty.
pub fn language<D: ReadDoc>(doc: &D, obj: &ObjId, prop: Prop<'_>) -> Result<String, HydrateError> {
    Ok(match held(doc, obj, &prop) {
        Held::Text(s) if s.is_empty() || crate::interchange::Language::parse(&s).is_some() => s,
        Held::Missing => String::new(),
        _ => {
            damaged(doc, obj, &prop, "a language: en or es");
            String::new()
        }
    })
}

/// A currency code (`EUR`), or empty.
pub fn currency<D: ReadDoc>(doc: &D, obj: &ObjId, prop: Prop<'_>) -> Result<String, HydrateError> {
    Ok(match held(doc, obj, &prop) {
        Held::Text(s) if s.is_empty() || rules::is_currency(&s) => s,
        _ => {
            damaged(doc, obj, &prop, "a three-letter currency code such as EUR");
            String::new()
        }
    })
}

fn optional_figure<D: ReadDoc>(
    doc: &D,
    obj: &ObjId,
    prop: Prop<'_>,
    expected: &'static str,
    valid: impl Fn(f64) -> bool,
) -> Result<Option<f64>, HydrateError> {
    Ok(match held(doc, obj, &prop) {
        Held::Missing | Held::Null => None,
        Held::Number(n) if valid(n) => Some(n),
        _ => {
            damaged(doc, obj, &prop, expected);
            None
        }
    })
}

/// An optional figure, written as a float (ScopePact) or an integer (JavaScript peers writing a
/// whole number): missing or null is `None`.
pub fn optional_number<D: ReadDoc>(
    doc: &D,
    obj: &ObjId,
    prop: Prop<'_>,
) -> Result<Option<f64>, HydrateError> {
    optional_figure(doc, obj, prop, "a number or nothing", f64::is_finite)
}

/// An amount or quantity: zero or more, or nothing.
pub fn amount<D: ReadDoc>(
    doc: &D,
    obj: &ObjId,
    prop: Prop<'_>,
) -> Result<Option<f64>, HydrateError> {
    optional_figure(
        doc,
        obj,
        prop,
        "a number of zero or more, or nothing",
        rules::is_amount,
    )
}

/// A margin threshold in percent (−100 to 100), or nothing.
pub fn percent<D: ReadDoc>(
    doc: &D,
    obj: &ObjId,
    prop: Prop<'_>,
) -> Result<Option<f64>, HydrateError> {
    optional_figure(
        doc,
        obj,
        prop,
        "a percentage between -100 and 100, or nothing",
        rules::is_percent,
    )
}

/// A whole number.
pub fn integer<D: ReadDoc>(doc: &D, obj: &ObjId, prop: Prop<'_>) -> Result<i64, HydrateError> {
    Ok(match held(doc, obj, &prop) {
        Held::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => n as i64,
        _ => {
            damaged(doc, obj, &prop, "a whole number");
            0
        }
    })
}

pub fn flag<D: ReadDoc>(doc: &D, obj: &ObjId, prop: Prop<'_>) -> Result<bool, HydrateError> {
    Ok(match held(doc, obj, &prop) {
        Held::Bool(b) => b,
        Held::Missing => false,
        _ => {
            damaged(doc, obj, &prop, "true or false");
            false
        }
    })
}

/// One of a fixed set of names (an enum of unit variants), written as a scalar or as text.
pub fn keyword<D: ReadDoc, T: Hydrate + Default>(
    doc: &D,
    obj: &ObjId,
    prop: Prop<'_>,
) -> Result<T, HydrateError> {
    Ok(match held(doc, obj, &prop) {
        Held::Text(s) => T::hydrate_string(&s).ok(),
        _ => None,
    }
    .unwrap_or_else(|| {
        damaged(doc, obj, &prop, "one of the names this field takes");
        T::default()
    }))
}

/// [`keyword`], or nothing.
pub fn optional_keyword<D: ReadDoc, T: Hydrate>(
    doc: &D,
    obj: &ObjId,
    prop: Prop<'_>,
) -> Result<Option<T>, HydrateError> {
    Ok(match held(doc, obj, &prop) {
        Held::Missing | Held::Null => None,
        Held::Text(s) => match T::hydrate_string(&s) {
            Ok(value) => Some(value),
            Err(_) => {
                damaged(
                    doc,
                    obj,
                    &prop,
                    "one of the names this field takes, or nothing",
                );
                None
            }
        },
        _ => {
            damaged(
                doc,
                obj,
                &prop,
                "one of the names this field takes, or nothing",
            );
            None
        }
    })
}

/// Collaborative text; a plain string (an older or foreign writer) reads as its text. Past the
/// document's total ([`rules::MAX_SHARED_TEXT_BYTES`]) a text is damage.
pub fn text<D: ReadDoc>(doc: &D, obj: &ObjId, prop: Prop<'_>) -> Result<Text, HydrateError> {
    Ok(match held(doc, obj, &prop) {
        Held::Text(s)
            if rules::is_text(&s)
                && SHARED_TEXT.with(|t| t.get() + s.len()) <= rules::MAX_SHARED_TEXT_BYTES =>
        {
            SHARED_TEXT.with(|t| t.set(t.get() + s.len()));
            Text::hydrate(doc, obj, prop).unwrap_or_else(|_| Text::with_value(s))
        }
        Held::Missing => Text::default(),
        _ => {
            damaged(doc, obj, &prop, "a text of at most 100,000 bytes");
            Text::default()
        }
    })
}

/// A nested record (a struct of the model): when it is not a map, its empty value.
pub fn record<D: ReadDoc, T: Hydrate + Default>(
    doc: &D,
    obj: &ObjId,
    prop: Prop<'_>,
) -> Result<T, HydrateError> {
    Ok(match held(doc, obj, &prop) {
        Held::Map(_) => T::hydrate(doc, obj, prop).unwrap_or_else(|_| T::default()),
        Held::Missing => T::default(),
        _ => {
            damaged(doc, obj, &prop, "a map");
            T::default()
        }
    })
}

/// [`record`], or nothing when missing or null.
pub fn optional_record<D: ReadDoc, T: Hydrate + Default>(
    doc: &D,
    obj: &ObjId,
    prop: Prop<'_>,
) -> Result<Option<T>, HydrateError> {
    Ok(match held(doc, obj, &prop) {
        Held::Missing | Held::Null => None,
        Held::Map(_) => Some(T::hydrate(doc, obj, prop).unwrap_or_else(|_| T::default())),
        _ => {
            damaged(doc, obj, &prop, "a map or nothing");
            None
        }
    })
}

/// Items by id: each entry that is not a map is left out as damage; past [`rules::MAX_ITEMS`]
/// the rest is too.
pub fn items<D: ReadDoc, T: Hydrate>(
    doc: &D,
    obj: &ObjId,
    prop: Prop<'_>,
) -> Result<BTreeMap<String, T>, HydrateError> {
    Ok(items_except(doc, obj, prop, &BTreeSet::new()).0)
}

/// [`items`] leaving out the ids in `skip` (read neither for their values nor for damage), and
/// telling which items had damage inside them.
pub(crate) fn items_except<D: ReadDoc, T: Hydrate>(
    doc: &D,
    obj: &ObjId,
    prop: Prop<'_>,
    skip: &BTreeSet<String>,
) -> (BTreeMap<String, T>, BTreeSet<String>) {
    let mut items = BTreeMap::new();
    let mut with_damage = BTreeSet::new();
    let map = match held(doc, obj, &prop) {
        Held::Map(map) => map,
        Held::Missing => return (items, with_damage),
        _ => {
            damaged(doc, obj, &prop, "a map of items by id");
            return (items, with_damage);
        }
    };
    for (n, entry) in doc.map_range(&map, ..).enumerate() {
        let id = entry.key.to_string();
        if skip.contains(&id) {
            continue;
        }
        let key = Prop::Key(id.clone().into());
        if n >= rules::MAX_ITEMS {
            damaged(doc, &map, &key, "at most 10,000 items");
            break;
        }
        let before = damage_count();
        match held(doc, &map, &key) {
            Held::Map(_) => {
                if let Ok(item) = T::hydrate(doc, &map, key) {
                    items.insert(id.clone(), item);
                }
            }
            _ => damaged(doc, &map, &key, "an item (a map)"),
        }
        if damage_count() > before {
            with_damage.insert(id);
        }
    }
    (items, with_damage)
}

/// The list at `prop` read element by element with `element` (which notes the damage of an
/// element it leaves out); not a list is damage (`expected`) and reads as empty.
fn elements<D: ReadDoc, T>(
    doc: &D,
    obj: &ObjId,
    prop: Prop<'_>,
    expected: &'static str,
    mut element: impl FnMut(&ObjId, Prop<'static>) -> Option<T>,
) -> Vec<T> {
    let list = match held(doc, obj, &prop) {
        Held::List(list) => list,
        Held::Missing => return vec![],
        _ => {
            damaged(doc, obj, &prop, expected);
            return vec![];
        }
    };
    (0..doc.length(&list).min(rules::MAX_ITEMS))
        .filter_map(|index| element(&list, Prop::Index(u32::try_from(index).unwrap_or(u32::MAX))))
        .collect()
}

/// A list of records (a commitment's parameters): elements that are not maps are left out.
pub fn list<D: ReadDoc, T: Hydrate>(
    doc: &D,
    obj: &ObjId,
    prop: Prop<'_>,
) -> Result<Vec<T>, HydrateError> {
    Ok(elements(doc, obj, prop, "a list", |list, at| {
        match held(doc, list, &at) {
            Held::Map(_) => T::hydrate(doc, list, at).ok(),
            _ => {
                damaged(doc, list, &at, "a map");
                None
            }
        }
    }))
}

/// A list of strings (refs, heads, ids): elements that are not strings are left out.
pub fn strings<D: ReadDoc>(
    doc: &D,
    obj: &ObjId,
    prop: Prop<'_>,
) -> Result<Vec<String>, HydrateError> {
    Ok(elements(
        doc,
        obj,
        prop,
        "a list of texts",
        |list, at| match held(doc, list, &at) {
            Held::Text(s) if rules::is_text(&s) => Some(s),
            _ => {
                damaged(doc, list, &at, "a text");
                None
            }
        },
    ))
}

/// A drawn signature: strokes of numbers. A stroke that is not a list of numbers is damage.
pub fn strokes<D: ReadDoc>(
    doc: &D,
    obj: &ObjId,
    prop: Prop<'_>,
) -> Result<Vec<Vec<f64>>, HydrateError> {
    let list = match held(doc, obj, &prop) {
        Held::List(list) => list,
        Held::Missing => return Ok(vec![]),
        _ => {
            damaged(doc, obj, &prop, "a list of strokes");
            return Ok(vec![]);
        }
    };
    let mut strokes = vec![];
    let mut points = 0;
    for index in 0..doc.length(&list) {
        let at = Prop::Index(u32::try_from(index).unwrap_or(u32::MAX));
        let Held::List(stroke) = held(doc, &list, &at) else {
            damaged(doc, &list, &at, "a stroke (a list of numbers)");
            continue;
        };
        let length = doc.length(&stroke);
        points += length;
        if points > rules::MAX_DRAWING_POINTS {
            damaged(doc, &list, &at, "at most 20,000 points in a drawing");
            break;
        }
        let numbers: Option<Vec<f64>> = (0..length)
            .map(|i| {
                match held(
                    doc,
                    &stroke,
                    &Prop::Index(u32::try_from(i).unwrap_or(u32::MAX)),
                ) {
                    Held::Number(n) if n.is_finite() => Some(n),
                    _ => None,
                }
            })
            .collect();
        match numbers {
            Some(numbers) => strokes.push(numbers),
            None => damaged(doc, &list, &at, "a stroke (a list of numbers)"),
        }
    }
    Ok(strokes)
}

/// A customer satisfaction score, 0 to 10.
pub fn score<D: ReadDoc>(doc: &D, obj: &ObjId, prop: Prop<'_>) -> Result<i64, HydrateError> {
    Ok(match held(doc, obj, &prop) {
        Held::Number(n) if n.fract() == 0.0 && (0.0..=10.0).contains(&n) => n as i64,
        _ => {
            damaged(doc, obj, &prop, "a score from 0 to 10");
            0
        }
    })
}
