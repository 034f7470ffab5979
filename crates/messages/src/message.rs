use std::borrow::Cow;

use serde::{Deserialize, Serialize};

/// A message by id, with its arguments: what errors and refusals carry to the app and the
/// command line, which say it in the person's language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct Message {
    pub id: Cow<'static, str>,
    /// In the order given; an argument that is itself a message is said first, in the same
    /// language (a role, a status, a field's name).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<(Cow<'static, str>, Arg)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(untagged)]
pub enum Arg {
    Text(String),
    Number(f64),
    Message(Box<Message>),
}

impl Message {
    pub fn new(id: &'static str) -> Message {
        Message {
            id: Cow::Borrowed(id),
            args: vec![],
        }
    }

    /// A message whose id is made at run time (`status-ready_to_sign` from a status): only for
    /// ids the catalogue check can see listed (see `catalogue::tests`).
    pub fn dynamic(id: String) -> Message {
        Message {
            id: Cow::Owned(id),
            args: vec![],
        }
    }

    pub fn with(mut self, name: &'static str, value: impl Into<Arg>) -> Message {
        self.args.push((Cow::Borrowed(name), value.into()));
        self
    }
}

impl From<String> for Arg {
    fn from(text: String) -> Arg {
        Arg::Text(text)
    }
}

impl From<&str> for Arg {
    fn from(text: &str) -> Arg {
        Arg::Text(text.to_string())
    }
}

impl From<&String> for Arg {
    fn from(text: &String) -> Arg {
        Arg::Text(text.clone())
    }
}

impl From<Message> for Arg {
    fn from(message: Message) -> Arg {
        Arg::Message(Box::new(message))
    }
}

macro_rules! numbers {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(n: $t) -> Arg {
                Arg::Number(n as f64)
            }
        }
    )*};
}
numbers!(f64, f32, u8, u16, u32, u64, usize, i32, i64);

/// `message!("refusal-sealed")`, `message!("value-not-a-date", value = v)`: a message whose id
/// the catalogue check finds in the code.
#[macro_export]
macro_rules! message {
    ($id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::Message::new($id)$(.with(stringify!($name), $value))*
    };
}
