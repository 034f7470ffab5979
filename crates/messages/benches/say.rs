//! What the catalogue costs: the first message a process says (every `.ftl` file of both
//! languages parsed into bundles) and each message after that. Prints its figures.
//! `cargo bench -p scopepact-messages --bench say`

use std::time::Instant;

use scopepact_messages::{message, say, Language, Message};

fn main() {
    let refusal = message!(
        "refusal-wrong_role",
        needed = message!("role-operational"),
        action = message!("action-validate"),
        actor = "Ana Ruiz",
        actual = message!("role-commercial")
    );
    let started = Instant::now();
    let first = say(Language::Es, &refusal);
    let cold = started.elapsed();
    println!("first message (both languages' bundles built): {cold:?} — {first}");

    let invalid = message!(
        "value-invalid",
        field = message!("field-price"),
        problem = message!("value-negative", value = "-5")
    );
    let plural = message!("cli-edited", doc = "d", status = "in_validation", left = 3);
    for (name, message) in [
        ("refusal with 3 nested", &refusal),
        ("invalid value", &invalid),
        ("plural", &plural),
    ] {
        for language in Language::ALL {
            let rounds = 20_000;
            let started = Instant::now();
            let mut bytes = 0;
            for _ in 0..rounds {
                bytes += say(language, message).len();
            }
            let each = started.elapsed() / rounds;
            println!(
                "{name:<22} {:>2}: {each:?} per message ({bytes} bytes said)",
                language.as_str()
            );
        }
    }
    let unknown = Message::dynamic("no-such-message".to_string());
    println!("an unknown id says itself: {}", say(Language::En, &unknown));
}
