use super::*;

const SAMPLE: &str = include_str!("../../../../tests/fixtures/press-line-retrofit.json");

#[test]
fn sample_parses_and_serialises_to_the_same_json() {
    let doc = Document::parse(SAMPLE).unwrap();
    let original: serde_json::Value = serde_json::from_str(SAMPLE).unwrap();
    assert_eq!(serde_json::to_value(&doc).unwrap(), original);
}

#[test]
fn syntax_error_reports_line_and_column() {
    let err = Document::parse("{\n  \"format\": \"scopepact/v1\",\n  \"title\": \n}").unwrap_err();
    let text = err.to_string();
    assert!(text.contains("line 4"), "{text}");
    assert!(text.contains("column"), "{text}");
}

#[test]
fn type_error_names_the_json_path() {
    let text = SAMPLE.replacen("\"price\": 148000", "\"price\": \"a lot\"", 1);
    let err = Document::parse(&text).unwrap_err().to_string();
    assert!(err.contains("$.commitments[1].price"), "{err}");
}

#[test]
fn unknown_field_is_refused() {
    let text = SAMPLE.replacen(
        "\"title\": \"Quick",
        "\"titel\": \"x\", \"title\": \"Quick",
        1,
    );
    let err = Document::parse(&text).unwrap_err().to_string();
    assert!(
        err.contains("$.commitments[1]") && err.contains("titel"),
        "{err}"
    );
}

#[test]
fn semantic_rules_name_the_path() {
    let cases = [
        (
            SAMPLE.replacen("scopepact/v1", "scopepact/v9", 1),
            "$.format",
        ),
        (
            SAMPLE.replacen("2026-12-18", "18/12/2026", 1),
            "$.deal.target_close",
        ),
        (
            SAMPLE.replacen("\"ref\": \"C-02\"", "\"ref\": \"C-01\"", 1),
            "$.commitments[1].ref",
        ),
        (
            SAMPLE.replacen("\"C-01\", \"C-04\"", "\"C-01\", \"C-99\"", 1),
            "$.ambiguities[0].commitments[1]",
        ),
        (
            SAMPLE.replacen("\"price\": 96000", "\"price\": -5", 1),
            "$.commitments[2].price",
        ),
        (SAMPLE.replacen("\"EUR\"", "\"euro\"", 1), "$.deal.currency"),
        (
            SAMPLE.replacen("2026-11-20T10:14:00Z", "yesterday", 1),
            "$.commitments[1].validation.at",
        ),
    ];
    for (text, path) in cases {
        let err = Document::parse(&text).unwrap_err().to_string();
        assert!(err.contains(path), "expected {path} in: {err}");
    }
}

#[test]
fn text_after_the_document_is_refused() {
    for text in [
        format!("{SAMPLE}GARBAGE"),
        format!("{SAMPLE}{SAMPLE}"),
        format!("{} []", SAMPLE.trim_end()),
    ] {
        let err = Document::parse(&text).unwrap_err().to_string();
        assert!(err.contains("trailing characters"), "{err}");
    }
    // Whitespace after it is fine.
    Document::parse(&format!("{SAMPLE}\n\n")).unwrap();
}

#[test]
fn dates_must_be_exactly_yyyy_mm_dd() {
    for bad in ["2027-2-3", "27-01-01", "+99999-01-01", "-2027-01-01"] {
        let text = SAMPLE.replacen("2026-12-18", bad, 1);
        let err = Document::parse(&text).unwrap_err().to_string();
        assert!(err.contains("$.deal.target_close"), "{bad}: {err}");
    }
}

#[test]
fn limits_are_refused_with_where_they_were_passed() {
    let long = "x".repeat(crate::rules::MAX_TEXT_BYTES + 1);
    let text = SAMPLE.replacen("\"title\": \"Quick", &format!("\"title\": \"{long}"), 1);
    let err = Document::parse(&text).unwrap_err().to_string();
    assert!(
        err.contains("$.commitments[1].title") && err.contains("at most 100000"),
        "{err}"
    );
    let many: Vec<String> = (0..=crate::rules::MAX_ITEMS)
        .map(|i| format!(r#"{{"ref":"C-{i}","title":"t"}}"#))
        .collect();
    let text = format!(
        r#"{{"format":"scopepact/v1","title":"Big","commitments":[{}]}}"#,
        many.join(",")
    );
    let err = Document::parse(&text).unwrap_err().to_string();
    assert!(
        err.contains("$.commitments") && err.contains("at most 10000"),
        "{err}"
    );
}

#[test]
fn the_collaborative_text_of_a_document_is_bounded() {
    let description = "d".repeat(99_000);
    let many: Vec<String> = (0..11)
        .map(|i| format!(r#"{{"ref":"C-{i}","title":"t","description":"{description}"}}"#))
        .collect();
    let text = format!(
        r#"{{"format":"scopepact/v1","title":"Big","commitments":[{}]}}"#,
        many.join(",")
    );
    let err = Document::parse(&text).unwrap_err().to_string();
    assert!(err.contains("at most 1000000 bytes"), "{err}");
}

#[test]
fn minimal_document_is_accepted() {
    let doc = Document::parse(r#"{"format":"scopepact/v1","title":"Minimal"}"#).unwrap();
    assert!(doc.commitments.is_empty());
}
