//! Where a document stands in its lifecycle, from what each stage recorded: validation's gate,
//! the signatures and the handoff. The only module that reads every stage to name the status.

use crate::handoff;
use crate::model::ScopeDoc;
use crate::status::Status;

/// The document's status: the last stage that has something to say says it.
pub fn status(doc: &ScopeDoc) -> Status {
    handoff::stage(doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::model_from_file;
    use crate::interchange::Document;
    use crate::model::ScopeDoc;
    use crate::model::{AmbiguityStatus, ValidationStatus};
    use crate::validation::gate::{economics, gate, GateCode};

    fn sample() -> ScopeDoc {
        model_from_file(
            &Document::parse(include_str!(
                "../../../tests/fixtures/press-line-retrofit.json"
            ))
            .unwrap(),
        )
    }

    #[test]
    fn sample_gate_matches_the_samples_readme() {
        let doc = sample();
        assert_eq!(status(&doc), Status::InValidation);
        let reasons = gate(&doc);
        let refs: Vec<(GateCode, Option<String>)> = reasons
            .iter()
            .map(|r| (r.code, r.reference.clone()))
            .collect();
        assert_eq!(
            refs,
            vec![
                (GateCode::ValidationPending, Some("C-01".into())),
                (GateCode::ValidationPending, Some("C-04".into())),
                (GateCode::ValidationPending, Some("C-06".into())),
                (GateCode::ValidationPending, Some("C-07".into())),
                (GateCode::BlockingAmbiguityOpen, Some("A-01".into())),
                (GateCode::AmbiguityOpen, Some("A-02".into())),
                (GateCode::ExclusionNotAgreed, Some("2".into())),
                (GateCode::MarginBelowThreshold, None),
            ]
        );
        let e = economics(&doc);
        assert_eq!((e.revenue, e.cost), (1_240_000.0, 1_100_000.0));
        assert!((e.margin_pct.unwrap() - 11.29).abs() < 0.01);
        assert!(reasons.last().unwrap().message.contains("11.3 %"));
    }

    #[test]
    fn missing_header_is_draft() {
        let mut doc = sample();
        doc.people.operational_lead.name.clear();
        assert_eq!(status(&doc), Status::Draft);
        doc = sample();
        doc.commitments.clear();
        assert_eq!(status(&doc), Status::Draft);
    }

    #[test]
    fn infeasible_commitment_stops_the_deal() {
        let mut doc = sample();
        let c = doc.commitments.values_mut().next().unwrap();
        c.validation.status = ValidationStatus::Infeasible;
        assert_eq!(status(&doc), Status::StoppedAtValidation);
    }

    #[test]
    fn every_condition_met_is_ready_to_sign_and_toxic_yes_is_stopped() {
        let mut doc = sample();
        for c in doc.commitments.values_mut() {
            c.validation.status = ValidationStatus::Feasible;
        }
        for a in doc.ambiguities.values_mut() {
            a.status = AmbiguityStatus::Resolved;
        }
        for e in doc.exclusions.values_mut() {
            e.agreed_by = Some(crate::model::Role::Commercial);
        }
        // Every commitment judged but the margin is below threshold: the toxic yes.
        assert_eq!(status(&doc), Status::StoppedAtValidation);
        doc.deal.margin_threshold_pct = Some(10.0);
        assert_eq!(gate(&doc), vec![]);
        assert_eq!(status(&doc), Status::ReadyToSign);
    }

    #[test]
    fn agreement_by_the_author_side_does_not_count() {
        let mut doc = sample();
        for e in doc.exclusions.values_mut() {
            e.agreed_by = Some(e.author);
        }
        assert!(
            gate(&doc)
                .iter()
                .any(|r| r.code == GateCode::ExclusionNotAgreed
                    && r.reference.as_deref() == Some("1"))
        );
    }
}
