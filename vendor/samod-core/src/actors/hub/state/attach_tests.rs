//! Which document actors learn of which connections: joined once per handshake, told of a
//! close only where attached, and, when attaching on demand, attached only where asked.

use std::collections::HashMap;

use automerge::{Automerge, sync::SyncDoc};
use rand::{SeedableRng, rngs::StdRng};

use crate::{
    CommandResult, ConnectionId, DocumentActorId, DocumentId, LoaderState, PeerId, SamodLoader,
    UnixTimestamp,
    actors::{
        hub::{Hub, HubEvent, HubResults},
        messages::HubToDocMsgPayload,
    },
    io::{IoResult, StorageResult, StorageTask},
    network::{ListenerConfig, wire_protocol::WireMessage},
};

struct Server {
    hub: Hub,
    rng: StdRng,
    now: UnixTimestamp,
    listener: crate::ListenerId,
}

impl Server {
    fn new(on_demand: bool) -> Server {
        let now = UnixTimestamp::from_millis(1000);
        let mut rng = StdRng::seed_from_u64(7);
        let mut loader = SamodLoader::new(PeerId::from("server"));
        let mut hub = loop {
            match loader.step(&mut rng, now) {
                LoaderState::Loaded(hub) => break *hub,
                LoaderState::NeedIo(tasks) => {
                    for task in tasks {
                        let payload = match task.action {
                            StorageTask::Load { .. } => StorageResult::Load { value: None },
                            StorageTask::LoadRange { .. } => StorageResult::LoadRange {
                                values: HashMap::new(),
                            },
                            StorageTask::Put { .. } => StorageResult::Put,
                            StorageTask::Delete { .. } => StorageResult::Delete,
                        };
                        loader.provide_io_result(IoResult {
                            task_id: task.task_id,
                            payload,
                        });
                    }
                }
            }
        };
        hub.set_attach_on_demand(on_demand);
        let registration = HubEvent::add_listener(ListenerConfig {
            url: "ws://example.com".parse().unwrap(),
        });
        let mut results = hub.handle_event(&mut rng, now, registration.event);
        let Some(CommandResult::AddListener { listener_id }) =
            results.completed_commands.remove(&registration.command_id)
        else {
            panic!("no listener");
        };
        Server {
            hub,
            rng,
            now,
            listener: listener_id,
        }
    }

    fn event(&mut self, event: HubEvent) -> HubResults {
        self.hub.handle_event(&mut self.rng, self.now, event)
    }

    fn document(&mut self) -> (DocumentActorId, DocumentId) {
        let results = self.event(HubEvent::create_document(Automerge::new()).event);
        let spawned = &results.spawn_actors[0];
        (spawned.actor_id(), spawned.document_id().clone())
    }

    /// A connection from `peer`, handshake done; returns it with what the handshake caused.
    fn connect(&mut self, peer: &str) -> (ConnectionId, HubResults) {
        let create = HubEvent::create_listener_connection(self.listener, None);
        let mut results = self.event(create.event);
        let Some(CommandResult::CreateConnection { connection_id }) =
            results.completed_commands.remove(&create.command_id)
        else {
            panic!("no connection");
        };
        let join = WireMessage::Join {
            sender_id: peer.into(),
            supported_protocol_versions: vec!["1".into()],
            metadata: None,
        };
        let results = self.receive(connection_id, join);
        (connection_id, results)
    }

    fn receive(&mut self, connection: ConnectionId, msg: WireMessage) -> HubResults {
        self.event(HubEvent::receive(connection, msg.encode()).event)
    }

    /// `peer` asks for `document` over `connection`, as automerge-repo's `find` does.
    fn request(&mut self, connection: ConnectionId, peer: &str, document: &DocumentId) -> HubResults {
        let data = Automerge::new()
            .generate_sync_message(&mut automerge::sync::State::new())
            .map(|m| m.encode())
            .unwrap_or_default();
        self.receive(
            connection,
            WireMessage::Request {
                document_id: document.clone(),
                sender_id: peer.into(),
                target_id: "server".into(),
                data,
            },
        )
    }
}

/// (actor, what it was told) for each connection event sent to document actors.
fn told(results: &HubResults) -> Vec<(DocumentActorId, &'static str, ConnectionId)> {
    results
        .actor_messages
        .iter()
        .filter_map(|(actor, msg)| match &msg.0 {
            HubToDocMsgPayload::NewConnection { connection_id, .. } => {
                Some((*actor, "new", *connection_id))
            }
            HubToDocMsgPayload::HandleDocMessage { connection_id, .. } => {
                Some((*actor, "message", *connection_id))
            }
            HubToDocMsgPayload::ConnectionClosed { connection_id } => {
                Some((*actor, "closed", *connection_id))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn a_handshake_joins_the_connection_to_every_document_once() {
    let mut server = Server::new(false);
    let (a, _) = server.document();
    let (b, _) = server.document();
    let (conn, results) = server.connect("alice");
    let mut joined = told(&results);
    joined.sort_by_key(|(actor, _, _)| *actor);
    let mut expected = vec![(a, "new", conn), (b, "new", conn)];
    expected.sort_by_key(|(actor, _, _)| *actor);
    assert_eq!(joined, expected);
    // Later events join nothing again, and a second connection joins only itself.
    assert!(told(&server.event(HubEvent::tick())).is_empty());
    let (other, results) = server.connect("bob");
    assert_eq!(told(&results).len(), 2);
    assert!(told(&results).iter().all(|(_, _, c)| *c == other));
    // A document made now is given both connections when spawned.
    let results = server.event(HubEvent::create_document(Automerge::new()).event);
    let spawned = &results.spawn_actors[0];
    assert_eq!(spawned.initial_connections.len(), 2);
}

#[test]
fn on_demand_a_connection_joins_no_document_until_it_asks() {
    let mut server = Server::new(true);
    let (a, doc_a) = server.document();
    let (_b, _) = server.document();
    let (conn, results) = server.connect("alice");
    assert!(told(&results).is_empty(), "{:?}", told(&results));
    assert!(told(&server.event(HubEvent::tick())).is_empty());
    // Asking late: the document learns of the connection first, then gets the request.
    let results = server.request(conn, "alice", &doc_a);
    assert_eq!(told(&results), vec![(a, "new", conn), (a, "message", conn)]);
    // Once attached, further messages do not attach it again.
    let results = server.request(conn, "alice", &doc_a);
    assert_eq!(told(&results), vec![(a, "message", conn)]);
}

#[test]
fn on_demand_presence_attaches_like_a_request() {
    let mut server = Server::new(true);
    let (a, doc_a) = server.document();
    let (conn, _) = server.connect("alice");
    let results = server.receive(
        conn,
        WireMessage::Ephemeral {
            sender_id: "alice".into(),
            target_id: "server".into(),
            count: 1,
            session_id: "s".into(),
            document_id: doc_a,
            data: vec![1],
        },
    );
    assert_eq!(told(&results), vec![(a, "new", conn), (a, "message", conn)]);
}

#[test]
fn on_demand_a_document_spawned_by_a_request_gets_only_the_asker() {
    let mut server = Server::new(true);
    let (alice, _) = server.connect("alice");
    let (_bob, _) = server.connect("bob");
    let unknown = DocumentId::new(&mut StdRng::seed_from_u64(99));
    let results = server.request(alice, "alice", &unknown);
    let spawned = &results.spawn_actors[0];
    assert_eq!(
        spawned.initial_connections.keys().collect::<Vec<_>>(),
        vec![&alice]
    );
    // The spawn carries the request itself: nothing else is sent to the new actor.
    assert!(told(&results).is_empty());
}

#[test]
fn a_closed_connection_is_reported_only_to_its_documents() {
    let mut server = Server::new(true);
    let (a, doc_a) = server.document();
    let (b, _) = server.document();
    let (alice, _) = server.connect("alice");
    let (bob, _) = server.connect("bob");
    server.request(alice, "alice", &doc_a);
    let results = server.event(HubEvent::connection_lost(alice));
    assert_eq!(told(&results), vec![(a, "closed", alice)]);
    // Bob never used a document: his leaving concerns none.
    let results = server.event(HubEvent::connection_lost(bob));
    assert!(told(&results).is_empty());
    assert!(!told(&results).iter().any(|(actor, _, _)| *actor == b));
    assert!(server.hub.connections().is_empty());
}

#[test]
fn by_default_a_closed_connection_is_reported_to_every_document_it_joined() {
    let mut server = Server::new(false);
    let (a, _) = server.document();
    let (b, _) = server.document();
    let (alice, _) = server.connect("alice");
    let results = server.event(HubEvent::connection_lost(alice));
    let mut closed = told(&results);
    closed.sort_by_key(|(actor, _, _)| *actor);
    let mut expected = vec![(a, "closed", alice), (b, "closed", alice)];
    expected.sort_by_key(|(actor, _, _)| *actor);
    assert_eq!(closed, expected);
}
