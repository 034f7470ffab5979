//! The signed PDF: export (drawn from the manifest and sealed with a PAdES signature) time,
//! file size and page count for the sample and for a 300-commitment scope, both signed by the
//! two leads and the customer; one countersignature's time; verify time of the sealed file.
//!
//! `cargo bench -p scopepact-cli --bench pdf_export`
#![allow(clippy::unwrap_used)] // bench code: a failed unwrap is a failed run

use std::path::Path;
use std::time::{Duration, Instant};

use scopepact_pdf::Paper;
use scopepact_scope::edit::{AgreementList, CommitmentField, Edit, OverrideGate};
use scopepact_scope::interchange::{CommitmentKind, Role, ValidationStatus};
use scopepact_scope::refusal::SignerRole;
use scopepact_scope::signing::SignRequest;
use scopepact_workspace::Workspace;

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/press-line-retrofit.json"
);
const ANA: &str = "ana.ruiz@pressworks.example";
const JORG: &str = "j.mueller@pressworks.example";
const CARMEN: &str = "c.diaz@pressworks.example";

fn sign(ws: &mut Workspace, id: &str, role: SignerRole, customer: bool) {
    ws.sign(
        id,
        &SignRequest {
            role,
            name: customer.then(|| "Íñigo Fernández".to_string()),
            email: customer.then(|| "ifernandez@metanorte.example".to_string()),
            statement: String::new(),
            drawing: vec![vec![0.1, 0.6, 0.3, 0.2, 0.5, 0.7, 0.8, 0.3]],
        },
    )
    .unwrap();
}

/// The sample with `extra` more commitments, taken to signed by the team.
fn signed(data: &Path, extra: usize) -> String {
    let mut ws = Workspace::open(Some(data.to_path_buf())).unwrap();
    ws.add_profile("Ana Ruiz", ANA, Role::Commercial).unwrap();
    ws.add_profile("Jörg Müller", JORG, Role::Operational)
        .unwrap();
    ws.add_profile("Carmen Díaz", CARMEN, Role::Executive)
        .unwrap();
    let id = ws.import_file(Path::new(SAMPLE)).unwrap().to_string();
    ws.act_as(Some(ANA.into())).unwrap();
    for n in 0..extra {
        let (outcome, _) = ws
            .edit(
                &id,
                &Edit::AddCommitment {
                    title: format!("Station {n}: weld seam quality, Größe ±0,5 mm"),
                    kind: CommitmentKind::Specification,
                    after: None,
                },
            )
            .unwrap();
        ws.edit(
            &id,
            &Edit::UpdateCommitment {
                id: outcome.created_id.unwrap(),
                changes: vec![
                    CommitmentField::Description(
                        "Welded frame per EN ISO 3834-2, visual and ultrasonic inspection of \
                         every seam, witnessed by the customer's inspector."
                            .into(),
                    ),
                    CommitmentField::Price(Some(1500.0)),
                    CommitmentField::CostEstimate(Some(1100.0)),
                ],
            },
        )
        .unwrap();
    }
    ws.act_as(Some(JORG.into())).unwrap();
    let ids: Vec<String> = ws
        .view(&id)
        .unwrap()
        .commitments
        .iter()
        .filter(|c| c.validation.status == ValidationStatus::Pending)
        .map(|c| c.id.clone())
        .collect();
    for commitment in ids {
        ws.edit(
            &id,
            &Edit::ValidateCommitment {
                id: commitment,
                verdict: ValidationStatus::Feasible,
                note: None,
            },
        )
        .unwrap();
    }
    ws.act_as(Some(ANA.into())).unwrap();
    let a1 = ws.item_id_by_ref(&id, "A-01").unwrap();
    ws.edit(
        &id,
        &Edit::ResolveAmbiguity {
            id: a1,
            answer: "Drawings arrive on 2 Dec.".into(),
        },
    )
    .unwrap();
    let a2 = ws.item_id_by_ref(&id, "A-02").unwrap();
    ws.edit(
        &id,
        &Edit::TransferAmbiguity {
            id: a2,
            owner: "Jörg Müller".into(),
            due: "2027-01-15".into(),
        },
    )
    .unwrap();
    let e2 = ws.agreement_id(&id, AgreementList::Exclusion, 2).unwrap();
    ws.edit(
        &id,
        &Edit::Agree {
            list: AgreementList::Exclusion,
            id: e2,
        },
    )
    .unwrap();
    ws.act_as(Some(CARMEN.into())).unwrap();
    ws.edit(
        &id,
        &Edit::Override {
            gate: OverrideGate::Economics,
            reference: None,
            reason: "Strategic account".into(),
        },
    )
    .unwrap();
    ws.act_as(Some(ANA.into())).unwrap();
    sign(&mut ws, &id, SignerRole::CommercialLead, false);
    sign(&mut ws, &id, SignerRole::Customer, true);
    ws.act_as(Some(JORG.into())).unwrap();
    sign(&mut ws, &id, SignerRole::OperationalLead, false);
    id
}

fn median(mut runs: Vec<Duration>) -> f64 {
    runs.sort();
    runs[runs.len() / 2].as_secs_f64() * 1000.0
}

fn main() {
    println!(
        "{:<28} {:>7} {:>10} {:>14} {:>18} {:>14}",
        "document", "pages", "size KiB", "export ms p50", "countersign ms p50", "verify ms p50"
    );
    for (name, extra) in [("sample (7 commitments)", 0), ("300 commitments", 293)] {
        let dir = tempfile::tempdir().unwrap();
        let id = signed(dir.path(), extra);
        let mut ws = Workspace::open(Some(dir.path().to_path_buf())).unwrap();
        let mut bytes = vec![];
        let exports = (0..7)
            .map(|_| {
                let started = Instant::now();
                bytes = ws.export_pdf(&id, Paper::A4).unwrap();
                started.elapsed()
            })
            .collect();
        ws.act_as(Some(ANA.into())).unwrap();
        let mut countersigned = vec![];
        let countersigns = (0..7)
            .map(|_| {
                let started = Instant::now();
                countersigned = ws.countersign_pdf(&bytes).unwrap().0;
                started.elapsed()
            })
            .collect();
        let verifies = (0..7)
            .map(|_| {
                let started = Instant::now();
                scopepact_pdf::verify(&bytes).unwrap();
                started.elapsed()
            })
            .collect();
        scopepact_pdf::verify(&countersigned).unwrap();
        let path = dir.path().join("scope.pdf");
        std::fs::write(&path, &bytes).unwrap();
        let info = std::process::Command::new("pdfinfo")
            .arg(&path)
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default();
        let pages = info
            .lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .map(|p| p.trim().to_string())
            .unwrap_or_else(|| "?".into());
        println!(
            "{name:<28} {pages:>7} {:>10.1} {:>14.1} {:>18.1} {:>14.2}",
            bytes.len() as f64 / 1024.0,
            median(exports),
            median(countersigns),
            median(verifies)
        );
    }
}
