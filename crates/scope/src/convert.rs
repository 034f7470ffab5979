//! Between the interchange format and the in-document model.

use autosurgeon::Text;

use crate::basis;
use crate::interchange as x;
use crate::model as m;
use crate::position;

mod deal;
pub(crate) use deal::deal_in;

pub(crate) fn role_in(r: x::Role) -> m::Role {
    match r {
        x::Role::Commercial => m::Role::Commercial,
        x::Role::Operational => m::Role::Operational,
        x::Role::Executive => m::Role::Executive,
    }
}
pub(crate) fn role_out(r: m::Role) -> x::Role {
    match r {
        m::Role::Commercial => x::Role::Commercial,
        m::Role::Operational => x::Role::Operational,
        m::Role::Executive => x::Role::Executive,
    }
}
pub(crate) fn kind_in(k: x::CommitmentKind) -> m::CommitmentKind {
    use x::CommitmentKind as X;
    match k {
        X::Product => m::CommitmentKind::Product,
        X::Service => m::CommitmentKind::Service,
        X::Specification => m::CommitmentKind::Specification,
        X::Delivery => m::CommitmentKind::Delivery,
        X::Acceptance => m::CommitmentKind::Acceptance,
        X::Warranty => m::CommitmentKind::Warranty,
        X::Training => m::CommitmentKind::Training,
        X::Other => m::CommitmentKind::Other,
    }
}
pub(crate) fn kind_out(k: m::CommitmentKind) -> x::CommitmentKind {
    use m::CommitmentKind as M;
    match k {
        M::Product => x::CommitmentKind::Product,
        M::Service => x::CommitmentKind::Service,
        M::Specification => x::CommitmentKind::Specification,
        M::Delivery => x::CommitmentKind::Delivery,
        M::Acceptance => x::CommitmentKind::Acceptance,
        M::Warranty => x::CommitmentKind::Warranty,
        M::Training => x::CommitmentKind::Training,
        M::Other => x::CommitmentKind::Other,
    }
}
pub(crate) fn verdict_in(s: x::ValidationStatus) -> m::ValidationStatus {
    match s {
        x::ValidationStatus::Pending => m::ValidationStatus::Pending,
        x::ValidationStatus::Feasible => m::ValidationStatus::Feasible,
        x::ValidationStatus::Conditional => m::ValidationStatus::Conditional,
        x::ValidationStatus::Infeasible => m::ValidationStatus::Infeasible,
    }
}
pub(crate) fn verdict_out(s: m::ValidationStatus) -> x::ValidationStatus {
    match s {
        m::ValidationStatus::Pending => x::ValidationStatus::Pending,
        m::ValidationStatus::Feasible => x::ValidationStatus::Feasible,
        m::ValidationStatus::Conditional => x::ValidationStatus::Conditional,
        m::ValidationStatus::Infeasible => x::ValidationStatus::Infeasible,
    }
}

fn num(n: Option<x::Number>) -> Option<f64> {
    n.map(|x::Number(v)| v)
}
fn number(n: Option<f64>) -> Option<x::Number> {
    n.map(x::Number)
}
pub(crate) fn person_in(p: &x::Person) -> m::Person {
    m::Person {
        name: p.name.clone(),
        email: p.email.clone(),
    }
}
pub(crate) fn person_out(p: &m::Person) -> x::Person {
    x::Person {
        name: p.name.clone(),
        email: p.email.clone(),
    }
}

pub(crate) fn customer_in(c: &x::Customer) -> m::Customer {
    m::Customer {
        name: c.name.clone(),
        site: c.site.clone(),
        contact: person_in(&c.contact),
    }
}
pub(crate) fn people_in(p: &x::People) -> m::People {
    m::People {
        commercial_lead: person_in(&p.commercial_lead),
        operational_lead: person_in(&p.operational_lead),
        customer_signatory: person_in(&p.customer_signatory),
        executive: person_in(&p.executive),
    }
}

/// Writes the file's commitment into `target`, leaving the position alone. Text is updated by
/// diff so concurrent typing elsewhere merges instead of being replaced.
pub(crate) fn commitment_into(c: &x::Commitment, target: &mut m::Commitment) {
    target.reference = c.reference.clone();
    target.kind = kind_in(c.kind);
    target.title = c.title.clone();
    if target.description.as_str() != c.description {
        target.description = Text::with_value(&c.description);
    }
    target.quantity = num(c.quantity);
    target.unit = c.unit.clone();
    target.parameters = c.parameters.iter().map(parameter_in).collect();
    target.delivery = m::Delivery {
        lead_time_weeks: num(c.delivery.lead_time_weeks),
        date: c.delivery.date.clone(),
    };
    target.acceptance = c.acceptance.clone();
    target.price = num(c.price);
    target.cost_estimate = num(c.cost_estimate);
    target.author = role_in(c.author);
    target.validation = m::Validation {
        status: verdict_in(c.validation.status),
        by: c.validation.by.clone(),
        at: c.validation.at.clone(),
        condition: c.validation.condition.clone(),
        reason: c.validation.reason.clone(),
        ..Default::default()
    };
    // The file's verdict is for the content it comes with.
    if target.validation.status != m::ValidationStatus::Pending {
        target.validation.basis = Some(basis::basis(target));
    }
}

pub(crate) fn parameter_in(p: &x::Parameter) -> m::Parameter {
    m::Parameter {
        name: p.name.clone(),
        value: p.value.clone(),
        unit: p.unit.clone(),
        tolerance: p.tolerance.clone(),
    }
}
pub(crate) fn parameter_out(p: &m::Parameter) -> x::Parameter {
    x::Parameter {
        name: p.name.clone(),
        value: p.value.clone(),
        unit: p.unit.clone(),
        tolerance: p.tolerance.clone(),
    }
}

pub(crate) fn severity_in(s: x::Severity) -> m::Severity {
    match s {
        x::Severity::Blocking => m::Severity::Blocking,
        x::Severity::NonBlocking => m::Severity::NonBlocking,
    }
}

pub(crate) fn severity_out(s: m::Severity) -> x::Severity {
    match s {
        m::Severity::Blocking => x::Severity::Blocking,
        m::Severity::NonBlocking => x::Severity::NonBlocking,
    }
}

pub(crate) fn ambiguity_status_out(s: m::AmbiguityStatus) -> x::AmbiguityStatus {
    match s {
        m::AmbiguityStatus::Open => x::AmbiguityStatus::Open,
        m::AmbiguityStatus::Resolved => x::AmbiguityStatus::Resolved,
        m::AmbiguityStatus::Transferred => x::AmbiguityStatus::Transferred,
    }
}

pub(crate) fn ambiguity_into(a: &x::Ambiguity, target: &mut m::Ambiguity) {
    target.reference = a.reference.clone();
    target.question = a.question.clone();
    target.raised_by = a.raised_by.clone();
    target.commitments = a.commitments.clone();
    target.severity = severity_in(a.severity);
    target.owner = a.owner.clone();
    target.due = a.due.clone();
    target.status = match a.status {
        x::AmbiguityStatus::Open => m::AmbiguityStatus::Open,
        x::AmbiguityStatus::Resolved => m::AmbiguityStatus::Resolved,
        x::AmbiguityStatus::Transferred => m::AmbiguityStatus::Transferred,
    };
    target.answer = a.answer.clone();
}

pub(crate) fn agreement_in(a: &x::Agreement, position: String) -> m::Agreement {
    m::Agreement {
        position,
        text: a.text.clone(),
        author: role_in(a.author),
        agreed_by: a.agreed_by.map(role_in),
        agreed_by_name: a.agreed_by_name.clone(),
        agreed_text: a.agreed_by.map(|_| a.text.clone()),
    }
}

pub(crate) fn override_in(o: &x::Override) -> m::Override {
    m::Override {
        gate: match o.gate {
            x::OverrideGate::Economics => m::OverrideGate::Economics,
            x::OverrideGate::Ambiguity => m::OverrideGate::Ambiguity,
        },
        reference: o.reference.clone(),
        reason: o.reason.clone(),
        by: o.by.clone(),
        at: o.at.clone(),
        revenue: num(o.revenue),
        cost: num(o.cost),
    }
}

pub(crate) fn override_out(o: &m::Override) -> x::Override {
    x::Override {
        gate: match o.gate {
            m::OverrideGate::Economics => x::OverrideGate::Economics,
            m::OverrideGate::Ambiguity => x::OverrideGate::Ambiguity,
        },
        reference: o.reference.clone(),
        reason: o.reason.clone(),
        by: o.by.clone(),
        at: o.at.clone(),
        revenue: number(o.revenue),
        cost: number(o.cost),
    }
}

/// A whole new model from a file: items get evenly spread positions in file order.
pub fn model_from_file(file: &x::Document) -> m::ScopeDoc {
    let mut doc = m::ScopeDoc {
        model_version: m::MODEL_VERSION,
        title: file.title.clone(),
        language: file
            .language
            .map(|l| l.as_str().to_string())
            .unwrap_or_default(),
        customer: customer_in(&file.customer),
        deal: deal_in(&file.deal),
        people: people_in(&file.people),
        ..Default::default()
    };
    for (c, pos) in file
        .commitments
        .iter()
        .zip(position::spread(file.commitments.len()))
    {
        let mut item = m::Commitment {
            position: pos,
            description: Text::with_value(""),
            ..Default::default()
        };
        commitment_into(c, &mut item);
        doc.commitments.insert(m::new_item_id(), item);
    }
    for (a, pos) in file
        .ambiguities
        .iter()
        .zip(position::spread(file.ambiguities.len()))
    {
        let mut item = m::Ambiguity {
            position: pos,
            ..Default::default()
        };
        ambiguity_into(a, &mut item);
        doc.ambiguities.insert(m::new_item_id(), item);
    }
    for (a, pos) in file
        .assumptions
        .iter()
        .zip(position::spread(file.assumptions.len()))
    {
        doc.assumptions
            .insert(m::new_item_id(), agreement_in(a, pos));
    }
    for (a, pos) in file
        .exclusions
        .iter()
        .zip(position::spread(file.exclusions.len()))
    {
        doc.exclusions
            .insert(m::new_item_id(), agreement_in(a, pos));
    }
    for o in &file.overrides {
        doc.overrides.insert(m::new_item_id(), override_in(o));
    }
    handoff_in(file, &mut doc);
    doc
}

pub fn file_from_model(doc: &m::ScopeDoc) -> x::Document {
    let mut file = raw_file_from_model(doc);
    within_the_format(&mut file);
    file
}

/// What a read model holds always fits the format, but for values a damaged document reads as
/// empty where the format wants something: those are written so the file imports again (a
/// verdict or a state missing its companion is written as pending or open, a record missing
/// what defines it is left out). The damage itself stays listed on the document.
fn within_the_format(file: &mut x::Document) {
    if file.title.trim().is_empty() {
        file.title = "Untitled scope".into();
    }
    for c in &mut file.commitments {
        if c.title.trim().is_empty() {
            c.title = "Untitled commitment".into();
        }
        let v = &c.validation;
        let blank = |s: &Option<String>| s.as_deref().is_none_or(|s| s.trim().is_empty());
        if (v.status == x::ValidationStatus::Conditional && blank(&v.condition))
            || (v.status == x::ValidationStatus::Infeasible && blank(&v.reason))
            || v.at
                .as_deref()
                .is_some_and(|at| !crate::rules::is_timestamp(at))
        {
            c.validation = x::Validation::default();
        }
    }
    for a in &mut file.ambiguities {
        let incomplete = match a.status {
            x::AmbiguityStatus::Resolved => a.answer.as_deref().is_none_or(|s| s.trim().is_empty()),
            x::AmbiguityStatus::Transferred => {
                a.owner.trim().is_empty() || a.due.is_none() || a.severity == x::Severity::Blocking
            }
            x::AmbiguityStatus::Open => false,
        };
        if incomplete {
            a.status = x::AmbiguityStatus::Open;
        }
    }
    for list in [&mut file.assumptions, &mut file.exclusions] {
        for item in list.iter_mut() {
            if item.text.trim().is_empty() {
                item.text = "(no text)".into();
            }
        }
    }
    let ambiguities: std::collections::BTreeSet<String> = file
        .ambiguities
        .iter()
        .map(|a| a.reference.clone())
        .collect();
    file.overrides.retain(|o| {
        !o.reason.trim().is_empty()
            && match o.gate {
                x::OverrideGate::Ambiguity => o
                    .reference
                    .as_ref()
                    .is_some_and(|r| ambiguities.contains(r)),
                x::OverrideGate::Economics => true,
            }
    });
    if let Some(meeting) = &mut file.meeting {
        meeting.attendees.retain(|a| !a.name.trim().is_empty());
        meeting
            .action_items
            .retain(|a| !a.text.trim().is_empty() && !a.owner.trim().is_empty());
    }
    file.rework.retain(|r| {
        crate::rules::is_date(&r.date)
            && !r.description.trim().is_empty()
            && match (r.cause, &r.ambiguity) {
                (x::ReworkCause::Ambiguity, Some(a)) => ambiguities.contains(a),
                (x::ReworkCause::Ambiguity, None) => false,
                (_, other) => other.is_none(),
            }
    });
    if file
        .satisfaction
        .as_ref()
        .is_some_and(|s| !crate::rules::is_date(&s.date))
    {
        file.satisfaction = None;
    }
}

pub(crate) fn raw_file_from_model(doc: &m::ScopeDoc) -> x::Document {
    x::Document {
        format: x::FORMAT.into(),
        template: None,
        title: doc.title.clone(),
        language: x::Language::parse(&doc.language),
        customer: x::Customer {
            name: doc.customer.name.clone(),
            site: doc.customer.site.clone(),
            contact: person_out(&doc.customer.contact),
        },
        deal: deal::deal_out(&doc.deal),
        people: x::People {
            commercial_lead: person_out(&doc.people.commercial_lead),
            operational_lead: person_out(&doc.people.operational_lead),
            customer_signatory: person_out(&doc.people.customer_signatory),
            executive: person_out(&doc.people.executive),
        },
        commitments: doc
            .commitments_in_order()
            .into_iter()
            .map(|(_, c)| commitment_out(c))
            .collect(),
        ambiguities: doc
            .ambiguities_in_order()
            .into_iter()
            .map(|(_, a)| x::Ambiguity {
                reference: a.reference.clone(),
                question: a.question.clone(),
                raised_by: a.raised_by.clone(),
                commitments: a.commitments.clone(),
                severity: severity_out(a.severity),
                owner: a.owner.clone(),
                due: a.due.clone(),
                status: ambiguity_status_out(a.status),
                answer: a.answer.clone(),
            })
            .collect(),
        assumptions: doc
            .assumptions_in_order()
            .into_iter()
            .map(|(_, a)| agreement_out(a))
            .collect(),
        exclusions: doc
            .exclusions_in_order()
            .into_iter()
            .map(|(_, a)| agreement_out(a))
            .collect(),
        overrides: doc.overrides_in_order().map(override_out).collect(),
        meeting: meeting_out(&doc.meeting),
        rework: rework_out(doc),
        satisfaction: doc.satisfaction.as_ref().map(|s| x::Satisfaction {
            score: u8::try_from(s.score.clamp(0, 10)).unwrap_or(0),
            comment: s.comment.clone(),
            date: s.date.clone(),
            by: s.by.clone(),
        }),
    }
}

/// The meeting as written out; `None` until something about it was recorded.
pub(crate) fn meeting_out(meeting: &m::Meeting) -> Option<x::Meeting> {
    let in_order = |positions: Vec<(&String, &String)>| {
        let mut ids: Vec<(String, String)> = positions
            .into_iter()
            .map(|(id, p)| (p.clone(), id.clone()))
            .collect();
        ids.sort();
        ids.into_iter().map(|(_, id)| id).collect::<Vec<_>>()
    };
    let out = x::Meeting {
        scheduled_at: meeting.scheduled_at.clone(),
        place: meeting.place.clone(),
        held_at: meeting.held_at.clone(),
        attendees: in_order(
            meeting
                .attendees
                .iter()
                .map(|(id, a)| (id, &a.position))
                .collect(),
        )
        .iter()
        .map(|id| {
            let a = &meeting.attendees[id];
            x::Attendee {
                name: a.name.clone(),
                email: a.email.clone(),
                role: attendee_role_out(a.role),
                present: a.present,
            }
        })
        .collect(),
        agenda: meeting.agenda.clone(),
        minutes: meeting.minutes.as_str().to_string(),
        decisions: in_order(
            meeting
                .decisions
                .iter()
                .map(|(id, d)| (id, &d.position))
                .collect(),
        )
        .iter()
        .map(|id| meeting.decisions[id].text.clone())
        .collect(),
        action_items: in_order(
            meeting
                .actions
                .iter()
                .map(|(id, a)| (id, &a.position))
                .collect(),
        )
        .iter()
        .map(|id| {
            let a = &meeting.actions[id];
            x::ActionItem {
                text: a.text.clone(),
                owner: a.owner.clone(),
                due: a.due.clone(),
                done: a.done,
            }
        })
        .collect(),
    };
    (out != x::Meeting::default()).then_some(out)
}

/// Rework entries by date, then by id so replicas write the same order.
pub(crate) fn rework_out(doc: &m::ScopeDoc) -> Vec<x::Rework> {
    let mut entries: Vec<(&String, &m::ReworkEntry)> = doc.rework.iter().collect();
    entries.sort_by(|a, b| (&a.1.date, a.0).cmp(&(&b.1.date, b.0)));
    entries
        .into_iter()
        .map(|(_, r)| x::Rework {
            date: r.date.clone(),
            commitments: r.commitments.clone(),
            cause: cause_out(r.cause),
            ambiguity: r.ambiguity.clone(),
            cost: number(r.cost),
            hours: number(r.hours),
            description: r.description.clone(),
            by: r.by.clone(),
        })
        .collect()
}

/// The meeting, rework and satisfaction of a file, into a fresh model.
fn handoff_in(file: &x::Document, doc: &mut m::ScopeDoc) {
    if let Some(meeting) = &file.meeting {
        let spread = |n: usize| position::spread(n).into_iter();
        doc.meeting = m::Meeting {
            scheduled_at: meeting.scheduled_at.clone(),
            place: meeting.place.clone(),
            held_at: meeting.held_at.clone(),
            attendees: meeting
                .attendees
                .iter()
                .zip(spread(meeting.attendees.len()))
                .map(|(a, position)| {
                    let attendee = m::Attendee {
                        position,
                        name: a.name.clone(),
                        email: a.email.clone(),
                        role: attendee_role_in(a.role),
                        present: a.present,
                    };
                    (m::new_item_id(), attendee)
                })
                .collect(),
            agenda: meeting.agenda.clone(),
            minutes: Text::with_value(meeting.minutes.as_str()),
            decisions: meeting
                .decisions
                .iter()
                .zip(spread(meeting.decisions.len()))
                .map(|(text, position)| {
                    let decision = m::Decision {
                        position,
                        text: text.clone(),
                    };
                    (m::new_item_id(), decision)
                })
                .collect(),
            actions: meeting
                .action_items
                .iter()
                .zip(spread(meeting.action_items.len()))
                .map(|(a, position)| {
                    let action = m::ActionItem {
                        position,
                        text: a.text.clone(),
                        owner: a.owner.clone(),
                        due: a.due.clone(),
                        done: a.done,
                    };
                    (m::new_item_id(), action)
                })
                .collect(),
        };
    }
    for r in &file.rework {
        let entry = m::ReworkEntry {
            date: r.date.clone(),
            commitments: r.commitments.clone(),
            cause: cause_in(r.cause),
            ambiguity: r.ambiguity.clone(),
            cost: num(r.cost),
            hours: num(r.hours),
            description: r.description.clone(),
            by: r.by.clone(),
        };
        doc.rework.insert(m::new_item_id(), entry);
    }
    doc.satisfaction = file.satisfaction.as_ref().map(|s| m::Satisfaction {
        score: i64::from(s.score),
        comment: s.comment.clone(),
        date: s.date.clone(),
        by: s.by.clone(),
    });
}

pub(crate) fn agreement_out(a: &m::Agreement) -> x::Agreement {
    x::Agreement {
        text: a.text.clone(),
        author: role_out(a.author),
        // An agreement to an earlier wording no longer holds.
        agreed_by: a.agreed_by.filter(|_| basis::agreed(a)).map(role_out),
        agreed_by_name: a.agreed_by_name.clone().filter(|_| basis::agreed(a)),
    }
}

pub(crate) fn commitment_out(c: &m::Commitment) -> x::Commitment {
    x::Commitment {
        reference: c.reference.clone(),
        kind: kind_out(c.kind),
        title: c.title.clone(),
        description: c.description.as_str().to_string(),
        quantity: number(c.quantity),
        unit: c.unit.clone(),
        parameters: c.parameters.iter().map(parameter_out).collect(),
        delivery: x::Delivery {
            lead_time_weeks: number(c.delivery.lead_time_weeks),
            date: c.delivery.date.clone(),
        },
        acceptance: c.acceptance.clone(),
        price: number(c.price),
        cost_estimate: number(c.cost_estimate),
        author: role_out(c.author),
        validation: match basis::effective_verdict(c).0 {
            // A verdict given for other content no longer holds: the file says pending.
            m::ValidationStatus::Pending => x::Validation::default(),
            status => x::Validation {
                status: verdict_out(status),
                by: c.validation.by.clone(),
                at: c.validation.at.clone(),
                condition: c.validation.condition.clone(),
                reason: c.validation.reason.clone(),
            },
        },
    }
}

pub(crate) fn attendee_role_in(role: x::AttendeeRole) -> m::AttendeeRole {
    match role {
        x::AttendeeRole::CommercialLead => m::AttendeeRole::CommercialLead,
        x::AttendeeRole::OperationalLead => m::AttendeeRole::OperationalLead,
        x::AttendeeRole::Customer => m::AttendeeRole::Customer,
        x::AttendeeRole::Other => m::AttendeeRole::Other,
    }
}

pub(crate) fn attendee_role_out(role: m::AttendeeRole) -> x::AttendeeRole {
    match role {
        m::AttendeeRole::CommercialLead => x::AttendeeRole::CommercialLead,
        m::AttendeeRole::OperationalLead => x::AttendeeRole::OperationalLead,
        m::AttendeeRole::Customer => x::AttendeeRole::Customer,
        m::AttendeeRole::Other => x::AttendeeRole::Other,
    }
}

pub(crate) fn cause_in(cause: x::ReworkCause) -> m::ReworkCause {
    match cause {
        x::ReworkCause::Ambiguity => m::ReworkCause::Ambiguity,
        x::ReworkCause::ScopeChange => m::ReworkCause::ScopeChange,
        x::ReworkCause::Execution => m::ReworkCause::Execution,
        x::ReworkCause::Other => m::ReworkCause::Other,
    }
}

/// Also `.into()`, for the crates that read the model (the indicators).
impl From<m::ReworkCause> for x::ReworkCause {
    fn from(cause: m::ReworkCause) -> Self {
        cause_out(cause)
    }
}

pub(crate) fn cause_out(cause: m::ReworkCause) -> x::ReworkCause {
    match cause {
        m::ReworkCause::Ambiguity => x::ReworkCause::Ambiguity,
        m::ReworkCause::ScopeChange => x::ReworkCause::ScopeChange,
        m::ReworkCause::Execution => x::ReworkCause::Execution,
        m::ReworkCause::Other => x::ReworkCause::Other,
    }
}
