//! The joint handoff indicators over 5,000 documents in a real local store: computing them in
//! the core (from the stored facts, and from the documents themselves when the facts must be
//! derived again), the `scopepact kpis` command end to end, and the dashboard's time to render
//! in the real app (measured inside the WebView: IPC, indicators and the three charts drawn).
//!
//! ```sh
//! cargo build --workspace && xvfb-run -a cargo bench -p scopepact-e2e --bench kpis
//! ```
#![allow(clippy::unwrap_used)] // bench code: a failed unwrap is a failed run

use std::path::Path;
use std::time::{Duration, Instant};

use scopepact_e2e::{add_profile, repo_root, report, scopepact_in, App};
use scopepact_kpis::GroupBy;
use scopepact_scope::edit::{AttendeeRole, Edit, ReworkCause};
use scopepact_workspace::{Uuid, Workspace};

const DOCUMENTS: usize = 5_000;
const PAIRS: usize = 4;
const RUNS: usize = 20;

struct Pair {
    sales: (String, String),
    ops: (String, String),
}

fn pair(n: usize) -> Pair {
    Pair {
        sales: (
            format!("Ana Ruiz {n}"),
            format!("ana{n}@pressworks.example"),
        ),
        ops: (
            format!("Jörg Müller {n}"),
            format!("jorg{n}@pressworks.example"),
        ),
    }
}

/// The sample for one pair and customer, imported.
fn import(data: &Path, p: &Pair, customer: &str) -> String {
    let sample = repo_root().join("tests/fixtures/press-line-retrofit.json");
    let mut file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(sample).unwrap()).unwrap();
    file["people"]["commercial_lead"] = serde_json::json!({"name": p.sales.0, "email": p.sales.1});
    file["people"]["operational_lead"] = serde_json::json!({"name": p.ops.0, "email": p.ops.1});
    file["people"]["executive"] =
        serde_json::json!({"name": "Carmen Díaz", "email": "c.diaz@pressworks.example"});
    file["customer"]["name"] = customer.into();
    let path = data.join("deal.json");
    std::fs::write(&path, file.to_string()).unwrap();
    scopepact_in(data, &["import", path.to_str().unwrap()])
        .trim()
        .to_string()
}

fn ready(data: &Path, p: &Pair, id: &str) {
    for c in ["C-01", "C-04", "C-06", "C-07"] {
        scopepact_in(
            data,
            &["--as", &p.ops.1, "validate", id, c, "--verdict", "feasible"],
        );
    }
    scopepact_in(
        data,
        &["ambiguity", "resolve", id, "A-01", "--answer", "Drawings."],
    );
    scopepact_in(
        data,
        &[
            "ambiguity",
            "transfer",
            id,
            "A-02",
            "--owner",
            &p.ops.0,
            "--due",
            "2027-01-15",
        ],
    );
    scopepact_in(data, &["--as", &p.sales.1, "agree", id, "exclusion", "2"]);
    scopepact_in(
        data,
        &[
            "--as",
            "c.diaz@pressworks.example",
            "override",
            id,
            "--gate",
            "economics",
            "--reason",
            "Strategic",
        ],
    );
}

fn sign(data: &Path, p: &Pair, id: &str) {
    scopepact_in(data, &["--as", &p.sales.1, "sign", id]);
    scopepact_in(data, &["--as", &p.ops.1, "sign", id]);
    scopepact_in(
        data,
        &[
            "--as",
            &p.sales.1,
            "sign",
            id,
            "--role",
            "customer",
            "--customer-name",
            "Íñigo Fernández",
            "--customer-email",
            "ifernandez@metanorte.example",
        ],
    );
}

fn meeting(data: &Path, p: &Pair, id: &str, customer_present: bool) {
    let mut ws = Workspace::open(Some(data.to_path_buf())).unwrap();
    ws.act_as(Some(p.sales.1.clone())).unwrap();
    for (name, role, present) in [
        (&p.sales.0, AttendeeRole::CommercialLead, true),
        (&p.ops.0, AttendeeRole::OperationalLead, true),
        (
            &"Íñigo Fernández".to_string(),
            AttendeeRole::Customer,
            customer_present,
        ),
    ] {
        let edit = Edit::SetAttendee {
            id: None,
            name: name.clone(),
            email: String::new(),
            role,
            present,
        };
        ws.edit(id, &edit).unwrap();
    }
    let held = chrono_today();
    ws.edit(id, &Edit::RecordMeetingHeld { at: held }).unwrap();
}

fn close(data: &Path, p: &Pair, id: &str) {
    let mut ws = Workspace::open(Some(data.to_path_buf())).unwrap();
    ws.act_as(Some(p.ops.1.clone())).unwrap();
    for (cause, ambiguity, cost) in [
        (ReworkCause::Ambiguity, Some("A-02"), 3000.0),
        (ReworkCause::Execution, None, 800.0),
    ] {
        let edit = Edit::AddRework {
            date: chrono_today(),
            commitments: vec!["C-03".into()],
            cause,
            ambiguity: ambiguity.map(String::from),
            cost: Some(cost),
            hours: Some(12.0),
            description: "Brackets remade".into(),
        };
        ws.edit(id, &edit).unwrap();
    }
    let edit = Edit::RecordSatisfaction {
        score: 8,
        comment: String::new(),
        date: chrono_today(),
    };
    ws.edit(id, &edit).unwrap();
}

fn chrono_today() -> String {
    let out = std::process::Command::new("date")
        .arg("+%Y-%m-%d")
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Seven deals per pair, one per state the indicators tell apart, then copies of them (as sync
/// would bring) up to 5,000 documents.
fn populate(data: &Path) -> Vec<String> {
    add_profile(
        data,
        "Carmen Díaz",
        "c.diaz@pressworks.example",
        "executive",
    );
    let mut templates = vec![];
    for n in 0..PAIRS {
        let p = pair(n);
        add_profile(data, &p.sales.0, &p.sales.1, "commercial");
        add_profile(data, &p.ops.0, &p.ops.1, "operational");
        let customer = |k: usize| format!("Customer {}", n * 7 + k);
        templates.push(import(data, &p, &customer(0)));
        let stopped = import(data, &p, &customer(1));
        scopepact_in(
            data,
            &[
                "--as",
                &p.ops.1,
                "validate",
                &stopped,
                "C-02",
                "--verdict",
                "infeasible",
                "--note",
                "No.",
            ],
        );
        templates.push(stopped);
        let ready_only = import(data, &p, &customer(2));
        ready(data, &p, &ready_only);
        templates.push(ready_only);
        let signed = import(data, &p, &customer(3));
        ready(data, &p, &signed);
        sign(data, &p, &signed);
        templates.push(signed);
        let missing_customer = import(data, &p, &customer(4));
        ready(data, &p, &missing_customer);
        sign(data, &p, &missing_customer);
        meeting(data, &p, &missing_customer, false);
        templates.push(missing_customer);
        let handed_off = import(data, &p, &customer(5));
        ready(data, &p, &handed_off);
        sign(data, &p, &handed_off);
        meeting(data, &p, &handed_off, true);
        templates.push(handed_off);
        let closed = import(data, &p, &customer(6));
        ready(data, &p, &closed);
        sign(data, &p, &closed);
        meeting(data, &p, &closed, true);
        close(data, &p, &closed);
        templates.push(closed);
    }
    let mut store = scopepact_store::Store::open_dir(data).unwrap();
    let docs: Vec<_> = templates
        .iter()
        .map(|id| store.get(Uuid::parse_str(id).unwrap()).unwrap().clone())
        .collect();
    for n in templates.len()..DOCUMENTS {
        store.create(docs[n % docs.len()].clone()).unwrap();
    }
    templates
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

/// Waits for the dashboard to report its render time (it clears it when a load starts).
async fn rendered(app: &App) -> f64 {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let shown = app
            .client
            .execute(
                "return document.querySelector('[data-testid=dashboard]')?.getAttribute('data-render-ms')",
                vec![],
            )
            .await
            .unwrap();
        if let Some(value) = shown.as_str().and_then(|v| v.parse::<f64>().ok()) {
            return value;
        }
        assert!(Instant::now() < deadline, "the dashboard never rendered");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn choose(app: &App, value: &str) {
    app.client
        .execute(
            "const s = document.querySelector('[data-testid=kpi-by]'); \
             document.querySelector('[data-testid=dashboard]').removeAttribute('data-render-ms'); \
             s.value = arguments[0]; s.dispatchEvent(new Event('change'));",
            vec![value.into()],
        )
        .await
        .unwrap();
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let started = Instant::now();
    populate(&data);
    println!(
        "store: {DOCUMENTS} documents ({} distinct deals × copies), {PAIRS} pairs, built in {:.1} s",
        PAIRS * 7,
        started.elapsed().as_secs_f64()
    );

    {
        let mut ws = Workspace::open(Some(data.clone())).unwrap();
        let forget = scopepact_store::Store::open_dir(&data).unwrap();
        let mut derive = vec![];
        for _ in 0..3 {
            forget
                .connection()
                .execute("UPDATE documents SET facts = NULL", [])
                .unwrap();
            let t = Instant::now();
            ws.kpis(None, None, GroupBy::All).unwrap();
            derive.push(ms(t));
        }
        report("core: facts derived from every document, then KPIs", derive);
        for by in ["all", "pair", "customer"] {
            let samples = (0..RUNS)
                .map(|_| {
                    let t = Instant::now();
                    ws.kpis(None, None, by.parse::<GroupBy>().unwrap()).unwrap();
                    ms(t)
                })
                .collect();
            report(&format!("core: KPIs from stored facts, by {by}"), samples);
        }
    }
    let cli = (0..10)
        .map(|_| {
            let t = Instant::now();
            scopepact_in(&data, &["kpis", "--json", "--by", "pair"]);
            ms(t)
        })
        .collect();
    report(
        "`scopepact kpis --json --by pair` (debug build, whole process)",
        cli,
    );

    if std::env::var_os("DISPLAY").is_none() {
        println!("no display: the dashboard render is measured under xvfb-run");
        return;
    }
    let app = App::launch(&data, "kpi-bench").await.unwrap();
    app.wait_for("[data-testid=open-dashboard]")
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let first = rendered(&app).await;
    report(
        "dashboard: first render (IPC + KPIs + 3 charts)",
        vec![first],
    );
    let mut samples = vec![];
    for n in 0..RUNS {
        choose(&app, ["customer", "pair", "all"][n % 3]).await;
        samples.push(rendered(&app).await);
    }
    report("dashboard: re-render on a grouping change", samples);
    app.quit().await;
}
