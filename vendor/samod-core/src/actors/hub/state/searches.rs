use std::collections::{HashMap, HashSet};

use crate::{
    DialerId, DocSearchPhase, DocumentActorId,
    actors::hub::{
        dialer::{DialerState, DialerStatus},
        state::ActorInfo,
    },
};

pub(super) struct Searches {
    pub(super) phases: HashMap<DocumentActorId, DocSearchPhase>,
    pub(super) last_dialers: HashMap<DialerId, DialerStatus>,
    /// Actors whose search phase may differ from `phases`: added, or told a new phase, since
    /// the last `pop_state_updates`. Every other actor's phase is the one in `phases`, so
    /// only these need comparing (unless the dialers changed, which reports every actor).
    changed: HashSet<DocumentActorId>,
}

impl Searches {
    pub(super) fn new() -> Self {
        Self {
            phases: HashMap::new(),
            last_dialers: HashMap::new(),
            changed: HashSet::new(),
        }
    }

    pub(super) fn add_search(&mut self, actor: DocumentActorId, phase: DocSearchPhase) {
        self.phases.insert(actor, phase);
        self.changed.insert(actor);
    }

    /// The actor was added, or its search phase was set: compare it at the next pop.
    pub(super) fn phase_may_have_changed(&mut self, actor: DocumentActorId) {
        self.changed.insert(actor);
    }

    /// The actor is gone: nothing of it is kept.
    pub(super) fn forget(&mut self, actor: DocumentActorId) {
        self.phases.remove(&actor);
        self.changed.remove(&actor);
    }

    pub(super) fn pop_state_updates(
        &mut self,
        actors: &HashMap<DocumentActorId, ActorInfo>,
        dialers: &HashMap<DialerId, DialerState>,
    ) -> HashMap<DocumentActorId, DocSearchPhase> {
        let new_dialer_state = dialers
            .iter()
            .map(|(dialer_id, state)| (*dialer_id, state.status.clone()))
            .collect::<HashMap<DialerId, DialerStatus>>();
        let dialers_changed = self.last_dialers != new_dialer_state;
        self.last_dialers = new_dialer_state;

        let mut result = HashMap::new();
        let mut compare = |actor_id: &DocumentActorId, actor: &ActorInfo| {
            let last_phase = self.phases.get(actor_id);
            if last_phase != Some(&actor.search_phase) || dialers_changed {
                result.insert(*actor_id, actor.search_phase.clone());
                self.phases.insert(*actor_id, actor.search_phase.clone());
            }
        };
        // Walking every actor after every hub event made each event cost as much as the
        // documents loaded; only the actors that may have changed are compared now.
        let changed = std::mem::take(&mut self.changed);
        if dialers_changed {
            for (actor_id, actor) in actors {
                compare(actor_id, actor);
            }
        } else {
            for actor_id in &changed {
                if let Some(actor) = actors.get(actor_id) {
                    compare(actor_id, actor);
                }
            }
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{DocumentId, actors::hub::dialer::DialerState};

    fn actor(rng: &mut impl rand::Rng) -> (DocumentActorId, ActorInfo) {
        let id = DocumentActorId::new();
        (id, ActorInfo::new_with_id(id, DocumentId::new(rng)))
    }

    #[test]
    fn only_actors_whose_phase_changed_are_reported() {
        let mut rng = rand::rng();
        let mut searches = Searches::new();
        let mut actors = HashMap::new();
        let dialers = HashMap::new();
        let (a, info_a) = actor(&mut rng);
        let (b, info_b) = actor(&mut rng);
        actors.insert(a, info_a);
        actors.insert(b, info_b);
        searches.phase_may_have_changed(a);
        searches.phase_may_have_changed(b);

        let first = searches.pop_state_updates(&actors, &dialers);
        assert_eq!(first.len(), 2, "new actors are reported");
        assert!(searches.pop_state_updates(&actors, &dialers).is_empty());

        actors.get_mut(&a).unwrap().search_phase = DocSearchPhase::Ready;
        searches.phase_may_have_changed(a);
        let second = searches.pop_state_updates(&actors, &dialers);
        assert_eq!(second.get(&a), Some(&DocSearchPhase::Ready));
        assert_eq!(second.len(), 1, "the unchanged actor is not reported");

        // Only what the hub was told of is compared: a phase set without telling it is not
        // looked at (the hub tells it at the only place phases are set).
        actors.get_mut(&b).unwrap().search_phase = DocSearchPhase::Ready;
        assert!(searches.pop_state_updates(&actors, &dialers).is_empty());

        // Told again with the phase it already had: nothing to report.
        searches.phase_may_have_changed(a);
        assert!(searches.pop_state_updates(&actors, &dialers).is_empty());
    }

    #[test]
    fn a_change_of_dialers_reports_every_actor() {
        let mut rng = rand::rng();
        let mut searches = Searches::new();
        let mut actors = HashMap::new();
        let (a, info_a) = actor(&mut rng);
        let (b, info_b) = actor(&mut rng);
        actors.insert(a, info_a);
        actors.insert(b, info_b);
        searches.phase_may_have_changed(a);
        searches.phase_may_have_changed(b);
        searches.pop_state_updates(&actors, &HashMap::new());

        let mut dialers = HashMap::new();
        let dialer = DialerId::new();
        let url = url::Url::parse("ws://sync.example/").unwrap();
        dialers.insert(
            dialer,
            DialerState::new(dialer, url, crate::network::BackoffConfig::default()),
        );
        let updates = searches.pop_state_updates(&actors, &dialers);
        assert_eq!(updates.len(), 2);
        assert!(searches.pop_state_updates(&actors, &dialers).is_empty());
    }

    #[test]
    fn a_forgotten_actor_leaves_nothing() {
        let mut rng = rand::rng();
        let mut searches = Searches::new();
        let (a, _) = actor(&mut rng);
        searches.add_search(a, DocSearchPhase::Ready);
        searches.forget(a);
        assert!(searches.phases.is_empty());
        assert!(searches.changed.is_empty());
    }
}
