//! The joint handoff indicators over the local documents.

use crate::output::say;
use clap::Subcommand;
use scopepact_messages::{message, Message};
use scopepact_workspace::WorkspaceError;

use crate::output::print;
use crate::Session;

#[derive(Subcommand)]
pub enum Commands {
    /// The joint handoff indicators over every local document (synced ones included).
    Kpis {
        /// First day of the period, YYYY-MM-DD (default: the beginning).
        #[arg(long)]
        from: Option<String>,
        /// Last day of the period, YYYY-MM-DD, inclusive (default: no end).
        #[arg(long)]
        to: Option<String>,
        /// A month (2027-02), a quarter (2027-Q1) or a year (2027), instead of --from/--to.
        #[arg(long, conflicts_with_all = ["from", "to"])]
        period: Option<String>,
        /// Group by pair of leads (commercial × operational), by customer, or all together.
        #[arg(long, default_value = "all")]
        by: String,
        /// An array with one object per group; the names are documented in the README.
        #[arg(long, conflicts_with = "csv")]
        json: bool,
        /// One CSV row per group.
        #[arg(long)]
        csv: bool,
    },
}

pub fn run(cx: &Session, command: Commands) -> Result<(), WorkspaceError> {
    match command {
        Commands::Kpis {
            from,
            to,
            period,
            by,
            json,
            csv,
        } => {
            let by: scopepact_kpis::GroupBy = by.parse().map_err(WorkspaceError::from)?;
            let groups = match period {
                Some(name) => {
                    let period =
                        scopepact_kpis::Period::named(&name).map_err(WorkspaceError::from)?;
                    cx.open()?.kpis_for(period, by)?
                }
                None => cx.open()?.kpis(from.as_deref(), to.as_deref(), by)?,
            };
            if json {
                print(&format!(
                    "{}\n",
                    serde_json::to_string_pretty(&groups).unwrap_or_default()
                ))
            } else if csv {
                print(&scopepact_kpis::to_csv(&groups))
            } else {
                print(&kpi_report(&groups))
            }
        }
    }
}

/// The indicators for people: one block per group.
pub(crate) fn kpi_report(groups: &[scopepact_kpis::GroupKpis]) -> String {
    let mut out = String::new();
    if groups.is_empty() {
        out.push_str(&say(&message!("cli-kpi-nothing")));
        out.push('\n');
    }
    for g in groups {
        let stopped_value = match g.stopped_value {
            Some(v) => format!("{v:.0}"),
            None => g
                .stopped_value_by_currency
                .iter()
                .map(|(c, v)| format!("{v:.0} {c}"))
                .collect::<Vec<_>>()
                .join(" + "),
        };
        let lines = kpi_lines(g, stopped_value);
        out.push_str(&format!("{}\n", g.group));
        for (label, value) in lines {
            let label = say(&label);
            out.push_str(&format!("  {label:<44} {value}\n"));
        }
    }
    out
}

/// Each figure of a group, with its label, as the report lines them up.
fn kpi_lines(g: &scopepact_kpis::GroupKpis, stopped_value: String) -> [(Message, String); 10] {
    let ratio = |v: Option<f64>| v.map_or("–".to_string(), |n| format!("{n:.2}"));
    let share = |v: Option<f64>| v.map_or("–".to_string(), |n| format!("{:.0} %", n * 100.0));
    let days = |v: Option<f64>| v.map_or("–".to_string(), |n| format!("{n:.1} d"));
    [
        (message!("cli-kpi-deals"), g.deals.to_string()),
        (
            message!("cli-kpi-stopped"),
            say(&message!(
                "cli-kpi-stopped-value",
                deals = g.stopped_at_validation,
                value = stopped_value
            )),
        ),
        (message!("cli-kpi-signed"), g.signed_deals.to_string()),
        (
            message!("cli-kpi-transferred"),
            ratio(g.ambiguities_transferred_per_signed_deal),
        ),
        (
            message!("cli-kpi-handed-off"),
            g.handed_off_deals.to_string(),
        ),
        (
            message!("cli-kpi-rework"),
            say(&message!(
                "cli-kpi-rework-value",
                entries = ratio(g.rework_entries_per_handed_off_deal),
                hours = ratio(g.rework_hours_per_handed_off_deal),
                cost = ratio(g.rework_cost_per_handed_off_deal)
            )),
        ),
        (
            message!("cli-kpi-rework-share"),
            share(g.rework_share_from_transferred_ambiguities),
        ),
        (
            message!("cli-kpi-satisfaction"),
            say(&message!(
                "cli-kpi-satisfaction-value",
                average = ratio(g.avg_customer_satisfaction),
                answers = g.satisfaction_responses
            )),
        ),
        (
            message!("cli-kpi-cycle"),
            format!(
                "{} → {} → {}",
                days(g.median_days_draft_to_ready),
                days(g.median_days_ready_to_signed),
                days(g.median_days_signed_to_handed_off)
            ),
        ),
        (
            message!("cli-kpi-attendance"),
            say(&message!(
                "cli-kpi-attendance-value",
                share = share(g.full_attendance_share),
                held = g.meetings_held
            )),
        ),
    ]
}
