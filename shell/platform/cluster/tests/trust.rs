//! The bus is trusted: each test attacks it as a security officer (or a modified desktop)
//! would, against a real NATS server configured as `switchboard gateway nats-config` writes
//! it, a real gateway answering its authorization callout, and the machine's PostgreSQL.
//! Every refusal is observed as the server or the gateway says it (a permissions violation,
//! a refused connection, a refusal in words), never inferred from silence.

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use futures_util::StreamExt;
use switchboard_platform_cluster::{
    desktop::ClusterBackend,
    gateway::{Gateway, GatewaySettings},
    nats_server::NatsServer,
    records_wire::{RecordAnswer, RecordCall},
    wire::{Reply, Request, SESSION_HEADER, WireChannel, WireEvent, WireTarget},
};
use switchboard_sdk::Timestamp;
use switchboard_seam::records::{AgentRecords as _, ContactRecords as _, InteractionRecords as _};
use switchboard_seam::roles::{AgentPolicy, RolePolicies};
use switchboard_seam::{
    backend::{Backend, BackendError, BackendEvent},
    clock::{Clock, ManualClock, SystemClock},
};
use switchboard_store_postgres::PgStore;

mod common;

use common::{Desktop, TTL, database, enroll, password_of, scratch_schema};

/// A plain NATS client as an attacker holds it, with what the server said to it.
struct Raw {
    client: async_nats::Client,
    server_said: Arc<Mutex<Vec<String>>>,
}

impl Raw {
    /// Connects as `user` with `password` (no credentials when `None`).
    async fn connect(
        server: &NatsServer,
        credentials: Option<(&str, &str)>,
    ) -> Result<Self, async_nats::ConnectError> {
        let server_said: Arc<Mutex<Vec<String>>> = Arc::default();
        let said = server_said.clone();
        let options = match credentials {
            Some((user, password)) => async_nats::ConnectOptions::with_user_and_password(
                user.to_owned(),
                password.to_owned(),
            )
            .custom_inbox_prefix(format!("_INBOX_{user}")),
            None => async_nats::ConnectOptions::new(),
        }
        .event_callback(move |event| {
            let said = said.clone();
            async move {
                if let async_nats::Event::ServerError(e) = event {
                    said.lock()
                        .expect("lock")
                        .push(e.to_string().to_lowercase());
                }
            }
        });
        let client = options.connect(server.url()).await?;
        Ok(Self {
            client,
            server_said,
        })
    }

    /// Waits until the server says a permissions violation naming `subject`.
    async fn refused(&self, subject: &str) -> bool {
        let deadline = Instant::now() + Duration::from_secs(5);
        let wanted = subject.to_lowercase();
        while Instant::now() < deadline {
            let said = self.server_said.lock().expect("lock").clone();
            if said
                .iter()
                .any(|s| s.contains("permissions violation") && s.contains(&wanted))
            {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        false
    }

    /// A request as a desktop makes it, naming `session`.
    async fn ask(
        &self,
        subject: String,
        session: Option<&str>,
        body: &impl serde::Serialize,
    ) -> Result<Vec<u8>, String> {
        let mut headers = async_nats::HeaderMap::new();
        if let Some(session) = session {
            headers.insert(SESSION_HEADER, session);
        }
        let body = serde_json::to_vec(body).expect("encoded");
        let asked = self
            .client
            .request_with_headers(subject, headers, body.into());
        match tokio::time::timeout(Duration::from_secs(3), asked).await {
            Ok(Ok(answer)) => Ok(answer.payload.to_vec()),
            Ok(Err(e)) => Err(e.to_string()),
            Err(_) => Err("no answer".into()),
        }
    }

    /// Signs `agent` in with a raw request; the session and the channels granted.
    async fn sign_in(
        &self,
        prefix: &str,
        agent: &str,
        channels: Vec<WireChannel>,
    ) -> (String, Vec<WireChannel>, Vec<String>) {
        let answer = self
            .ask(
                format!("{prefix}.gw.{agent}.sign_in"),
                None,
                &Request::SignIn {
                    role: "supervisor".into(),
                    display_name: agent.into(),
                    channels,
                    wire_version: switchboard_platform_cluster::wire::WIRE_VERSION,
                },
            )
            .await
            .expect("answered");
        match serde_json::from_slice(&answer).expect("a reply") {
            Reply::SignedIn {
                session,
                channels,
                permissions,
                ..
            } => (session, channels, permissions),
            other => panic!("not signed in: {other:?}"),
        }
    }
}

fn refusal(answer: &[u8]) -> String {
    match serde_json::from_slice::<Reply>(answer) {
        Ok(Reply::Refused { reason } | Reply::SignInRefused { reason }) => reason,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn record_refusal(answer: &[u8]) -> String {
    match serde_json::from_slice::<RecordAnswer>(answer) {
        Ok(RecordAnswer::Failed { error }) => format!("{error:?}"),
        other => panic!("expected a refused record call, got {other:?}"),
    }
}

struct Deployment {
    _dir: tempfile::TempDir,
    server: NatsServer,
    gateway: Gateway,
    prefix: String,
    schema: String,
    runtime: tokio::runtime::Runtime,
}

impl Deployment {
    fn start(what: &str, settings: GatewaySettings, clock: Arc<dyn Clock>) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let server = NatsServer::start(dir.path().join("nats")).expect("nats-server");
        let schema = scratch_schema(what);
        let store = PgStore::connect(&database(), &schema).expect("store");
        let prefix = format!("tr{}{}", std::process::id(), &schema[schema.len() - 4..]);
        let gateway =
            Gateway::start_with(&server.gateway_bus(), &prefix, store, clock, TTL, settings)
                .expect("gateway");
        enroll(&gateway, &["ada", "marc"]);
        Self {
            _dir: dir,
            server,
            gateway,
            prefix,
            schema,
            runtime: tokio::runtime::Runtime::new().expect("runtime"),
        }
    }

    fn open() -> Self {
        Self::start(
            "open",
            GatewaySettings {
                roles: RolePolicies::unrestricted(),
                ..GatewaySettings::default()
            },
            Arc::new(SystemClock),
        )
    }

    fn raw(&self, agent: &str) -> Raw {
        let password = password_of(agent);
        self.runtime
            .block_on(Raw::connect(&self.server, Some((agent, password.expose()))))
            .expect("connected as the agent")
    }

    fn audit(&self) -> Vec<String> {
        self.gateway
            .store()
            .audit_trail(None, 100)
            .expect("audit")
            .into_iter()
            .map(|e| format!("{} {} {}", e.kind, e.agent.unwrap_or_default(), e.detail))
            .collect()
    }
}

impl Drop for Deployment {
    fn drop(&mut self) {
        if let Ok(store) = PgStore::connect(&database(), &self.schema) {
            let _ = store.drop_schema();
        }
    }
}

#[test]
fn nobody_connects_without_credentials_and_a_wrong_password_is_refused_and_audited() {
    let deployment = Deployment::open();
    let rt = &deployment.runtime;
    assert!(
        rt.block_on(Raw::connect(&deployment.server, None)).is_err(),
        "a client without credentials is let in"
    );
    assert!(
        rt.block_on(Raw::connect(
            &deployment.server,
            Some(("ada", "not-her-password"))
        ))
        .is_err(),
        "a wrong password is let in"
    );
    assert!(
        rt.block_on(Raw::connect(
            &deployment.server,
            Some(("mallory", "whatever-1"))
        ))
        .is_err(),
        "an unknown agent is let in"
    );
    assert!(
        rt.block_on(Raw::connect(&deployment.server, Some((">", "whatever-1"))))
            .is_err()
    );
    let audit = deployment.audit();
    assert!(
        audit
            .iter()
            .any(|line| line == "sign_in_refused ada wrong password for ada"),
        "{audit:?}"
    );
    assert!(
        audit
            .iter()
            .any(|line| line.starts_with("sign_in_refused  a connection without credentials")),
        "{audit:?}"
    );
    assert!(audit.iter().all(|line| !line.contains("not-her-password")));
    // The right password is let in, and said so.
    assert!(
        deployment
            .runtime
            .block_on(Raw::connect(
                &deployment.server,
                Some(("ada", password_of("ada").expose()))
            ))
            .is_ok()
    );
    assert!(
        deployment
            .audit()
            .iter()
            .any(|line| line == "sign_in ada let in")
    );
}

#[test]
fn signed_in_as_ada_a_client_reaches_nothing_of_marcs_nor_the_bus() {
    let deployment = Deployment::open();
    let prefix = deployment.prefix.clone();
    let marc = Desktop::sign_in(&deployment.server.url(), &prefix, "marc");
    let ada = deployment.raw("ada");
    let rt = &deployment.runtime;

    // Subscriptions beyond Ada's own are refused by the server.
    for subject in [
        format!("{prefix}.agent.marc.events"),
        ">".to_owned(),
        format!("{prefix}.>"),
        format!("{prefix}.gw.>"),
        format!("{prefix}.pages"),
        "_INBOX.>".to_owned(),
        "_INBOX_marc.>".to_owned(),
        "$JS.API.>".to_owned(),
        "$KV.>".to_owned(),
        "$SYS.REQ.USER.AUTH".to_owned(),
    ] {
        let _subscription = rt.block_on(ada.client.subscribe(subject.clone()));
        assert!(
            rt.block_on(ada.refused(&subject)),
            "Ada may subscribe to {subject}"
        );
    }

    // Marc's requests cannot be published from Ada's connection: sign out, Not Ready,
    // records, send, and what goes to customers' pages.
    for verb in ["sign_out", "ready", "records", "send"] {
        let subject = format!("{prefix}.gw.marc.{verb}");
        let body = serde_json::to_vec(&Request::SignOut).expect("encoded");
        rt.block_on(ada.client.publish(subject.clone(), body.into()))
            .expect("sent to the server");
        assert!(rt.block_on(ada.refused(&subject)), "{subject}");
    }
    let pages = format!("{prefix}.pages");
    rt.block_on(ada.client.publish(pages.clone(), "{}".into()))
        .expect("sent to the server");
    assert!(rt.block_on(ada.refused(&pages)));

    // No JetStream: the presence bucket cannot be read or written.
    let bucket = format!("{}_presence", prefix.replace('.', "_"));
    let read = rt.block_on(async {
        let jetstream = async_nats::jetstream::new(ada.client.clone());
        jetstream.get_key_value(bucket).await.map(|_| ())
    });
    assert!(read.is_err(), "Ada reached the presence bucket");

    // Marc is still signed in and served.
    assert!(
        marc.backend.records().favourites("marc").is_ok(),
        "Marc was signed out by Ada's attempts"
    );
}

#[test]
fn a_request_of_another_session_is_refused_and_the_agent_keeps_their_own() {
    let deployment = Deployment::open();
    let prefix = deployment.prefix.clone();
    let ada_desktop = Desktop::sign_in(&deployment.server.url(), &prefix, "ada");
    let rt = &deployment.runtime;

    // A second connection of Ada's replays what her desktop sends, without her session (or
    // with a made-up one): the gateway answers not_signed_in and does nothing.
    let replayer = deployment.raw("ada");
    for session in [None, Some("S-made-up")] {
        let answer = rt
            .block_on(replayer.ask(
                format!("{prefix}.gw.ada.sign_out"),
                session,
                &Request::SignOut,
            ))
            .expect("answered");
        assert!(
            matches!(
                serde_json::from_slice::<Reply>(&answer),
                Ok(Reply::NotSignedIn { .. })
            ),
            "{}",
            String::from_utf8_lossy(&answer)
        );
        let call = RecordCall::Favourites {
            agent: "ada".into(),
        };
        let answer = rt
            .block_on(replayer.ask(format!("{prefix}.gw.ada.records"), session, &call))
            .expect("answered");
        assert!(record_refusal(&answer).contains("NotSignedIn"));
    }
    // Marc's connection cannot even publish Ada's request.
    let marc = deployment.raw("marc");
    let subject = format!("{prefix}.gw.ada.sign_out");
    let body = serde_json::to_vec(&Request::SignOut).expect("encoded");
    rt.block_on(marc.client.publish(subject.clone(), body.into()))
        .expect("sent to the server");
    assert!(rt.block_on(marc.refused(&subject)));
    // Ada's own desktop goes on.
    assert!(ada_desktop.backend.records().favourites("ada").is_ok());
}

fn sms_role(permissions: &[&str]) -> AgentPolicy {
    AgentPolicy {
        role: "agent".into(),
        channels: vec!["sms-page".into()],
        capacity: [("sms-page".to_owned(), 1)].into_iter().collect(),
        offer_seconds: [("sms-page".to_owned(), 30)].into_iter().collect(),
        permissions: permissions.iter().map(|p| (*p).to_owned()).collect(),
        dispositions_required: vec!["sms-page".into()],
    }
}

#[test]
fn the_gateway_decides_the_role_and_refuses_what_it_does_not_grant() {
    let settings = GatewaySettings {
        // As the gateway binary reads them from the plugins' manifests.
        roles: RolePolicies::of([
            ("ada".to_owned(), sms_role(&[])),
            ("marc".to_owned(), sms_role(&["push-url"])),
        ])
        .with_channel_media([
            ("sms-page".to_owned(), vec!["sms".to_owned()]),
            ("chat".to_owned(), vec!["chat".to_owned()]),
        ]),
        ..GatewaySettings::default()
    };
    let deployment = Deployment::start("roles", settings, Arc::new(SystemClock));
    let prefix = deployment.prefix.clone();
    let rt = &deployment.runtime;
    let ada = deployment.raw("ada");
    let mut events = rt
        .block_on(ada.client.subscribe(format!("{prefix}.agent.ada.events")))
        .expect("her own events");

    // A modified desktop asks for a supervisor's role, no capacity limit, hour-long offers
    // and the chat channel: it gets the gateway's role.
    let asked = vec![
        WireChannel {
            channel: "sms-page".into(),
            media_types: vec!["sms".into(), "chat".into()],
            capacity: None,
            offer_timeout_seconds: 3600,
        },
        WireChannel {
            channel: "chat".into(),
            media_types: vec!["chat".into()],
            capacity: None,
            offer_timeout_seconds: 3600,
        },
    ];
    let (session, granted, permissions) = rt.block_on(ada.sign_in(&prefix, "ada", asked));
    assert_eq!(
        granted,
        vec![WireChannel {
            channel: "sms-page".into(),
            media_types: vec!["sms".into()],
            capacity: Some(1),
            offer_timeout_seconds: 30,
        }]
    );
    assert!(permissions.is_empty());
    let ask = |verb: &str, body: &dyn erased::Body| {
        rt.block_on(ada.ask(
            format!("{prefix}.gw.ada.{verb}"),
            Some(&session),
            &body.json(),
        ))
        .expect("answered")
    };

    // Each permission the role lacks is refused at the gateway, in words.
    let pushed = ask(
        "push_url",
        &Request::PushUrl {
            message_id: 1,
            interaction: "CHAT-x".into(),
        },
    );
    assert!(
        refusal(&pushed).contains("push-url"),
        "{}",
        refusal(&pushed)
    );
    let im = ask(
        "start_conversation",
        &Request::StartConversation {
            target: WireTarget {
                kind: "agent".into(),
                id: "marc".into(),
                name: "Marc".into(),
            },
            media_type: "im".into(),
            case_data: Vec::new(),
            consulting: None,
        },
    );
    assert!(refusal(&im).contains("internal-im"));
    for (call, permission) in [
        (
            RecordCall::SetCaseValue {
                interaction: "SMS-x".into(),
                key: "order".into(),
                value: "1".into(),
            },
            "edit-case-data",
        ),
        (
            RecordCall::AssignContact {
                interaction: "SMS-x".into(),
                contact_id: 1,
            },
            "assign-contact",
        ),
        (
            RecordCall::RecordPushedUrl {
                list: "ada".into(),
                url: "https://example.com".into(),
                now: 0,
            },
            "push-url",
        ),
    ] {
        let answer = ask("records", &call);
        assert!(record_refusal(&answer).contains(permission), "{permission}");
    }

    // Done without the disposition the role requires is refused at the gateway.
    deployment
        .gateway
        .receive_sms(switchboard_edge::InboundSms {
            from: "+33612345678".into(),
            to: "+15550100".into(),
            body: "Bonjour".into(),
            message_sid: None,
            ..Default::default()
        })
        .expect("stored");
    let ready = ask(
        "ready",
        &Request::Ready {
            media_types: vec!["sms".into()],
            ready: true,
        },
    );
    assert!(matches!(serde_json::from_slice(&ready), Ok(Reply::Done)));
    let (offer_id, interaction) = rt.block_on(async {
        loop {
            let message = tokio::time::timeout(Duration::from_secs(5), events.next())
                .await
                .expect("an offer in time")
                .expect("events go on");
            if let Ok(WireEvent::Offer(offer)) = serde_json::from_slice(&message.payload) {
                let offer = serde_json::to_value(&offer).expect("json");
                break (
                    offer["offer_id"].as_str().expect("id").to_owned(),
                    offer["interaction"]["id"].as_str().expect("id").to_owned(),
                );
            }
        }
    });
    let accepted = ask(
        "answer",
        &Request::Answer {
            offer_id,
            accept: true,
        },
    );
    assert!(matches!(serde_json::from_slice(&accepted), Ok(Reply::Done)));
    let close = Request::Close {
        interaction: interaction.clone(),
    };
    assert!(refusal(&ask("close", &close)).contains("disposition"));
    let raw_close = RecordCall::CloseInteraction {
        id: interaction.clone(),
        done: true,
        at: 0,
    };
    assert!(record_refusal(&ask("records", &raw_close)).contains("disposition"));
    let disposed = ask(
        "records",
        &RecordCall::SetDisposition {
            id: interaction.clone(),
            code: "resolved".into(),
            now: 0,
        },
    );
    assert!(matches!(
        serde_json::from_slice(&disposed),
        Ok(RecordAnswer::Done { .. })
    ));
    assert!(matches!(
        serde_json::from_slice(&ask("close", &close)),
        Ok(Reply::Done)
    ));
    let audit = deployment.audit();
    assert!(
        audit
            .iter()
            .any(|l| l.starts_with("refused ada ada's role does not allow pushing a link")),
        "{audit:?}"
    );
}

#[test]
fn an_sms_conversation_starts_only_with_the_permission_and_to_the_contacts_own_number() {
    let session_mode = |permissions: &[&str]| AgentPolicy {
        role: "agent".into(),
        channels: vec!["sms-session".into()],
        permissions: permissions.iter().map(|p| (*p).to_owned()).collect(),
        ..AgentPolicy::default()
    };
    let settings = GatewaySettings {
        session_number: Some("+15550150".into()),
        roles: RolePolicies::of([
            ("ada".to_owned(), session_mode(&[])),
            ("marc".to_owned(), session_mode(&["outbound-sms"])),
        ])
        .with_channel_media([("sms-session".to_owned(), vec!["sms-session".to_owned()])]),
        ..GatewaySettings::default()
    };
    let deployment = Deployment::start("outbound", settings, Arc::new(SystemClock));
    let prefix = deployment.prefix.clone();
    let rt = &deployment.runtime;
    let switchboard_edge::Received::Opened(first) = deployment
        .gateway
        .receive_sms(switchboard_edge::InboundSms {
            from: "+33612345678".into(),
            to: "+15550150".into(),
            body: "Bonjour".into(),
            message_sid: None,
            ..Default::default()
        })
        .expect("stored")
    else {
        panic!("a new conversation");
    };
    let contact = deployment
        .gateway
        .store()
        .contact_of_interaction(&first)
        .expect("read")
        .expect("the sender's contact")
        .id;
    let session_channel = || {
        vec![WireChannel {
            channel: "sms-session".into(),
            media_types: vec!["sms-session".into()],
            capacity: None,
            offer_timeout_seconds: 30,
        }]
    };
    let start = |to: &str, media_type: &str, contact_id: i64| Request::StartOutbound {
        contact_id,
        address: to.into(),
        media_type: media_type.into(),
    };

    // Ada's role does not grant outbound SMS: refused in words, and audited.
    let ada = deployment.raw("ada");
    let (ada_session, _, _) = rt.block_on(ada.sign_in(&prefix, "ada", session_channel()));
    let asked = rt
        .block_on(ada.ask(
            format!("{prefix}.gw.ada.start_outbound"),
            Some(&ada_session),
            &start("+33612345678", "sms-session", contact),
        ))
        .expect("answered");
    assert!(
        refusal(&asked).contains("outbound-sms"),
        "{}",
        refusal(&asked)
    );

    // Marc may, but only to a number of the contact's own, only SMS, only a real contact.
    let marc = deployment.raw("marc");
    let (marc_session, _, _) = rt.block_on(marc.sign_in(&prefix, "marc", session_channel()));
    let ask = |request: Request| {
        rt.block_on(marc.ask(
            format!("{prefix}.gw.marc.start_outbound"),
            Some(&marc_session),
            &request,
        ))
        .expect("answered")
    };
    let elsewhere = ask(start("+33699999999", "sms-session", contact));
    assert!(
        refusal(&elsewhere).contains("is not an address of"),
        "{}",
        refusal(&elsewhere)
    );
    let nobody = ask(start("+33612345678", "sms-session", contact + 1000));
    assert!(
        refusal(&nobody).contains("no contact"),
        "{}",
        refusal(&nobody)
    );
    let other_media = ask(start("+33612345678", "fax", contact));
    assert!(
        refusal(&other_media).contains("cannot start fax"),
        "{}",
        refusal(&other_media)
    );
    // Nor a web chat without a chat channel (and never a room the records do not tie to them).
    let no_chat = ask(start("chat:CH-anyone", "chat", contact));
    assert!(
        refusal(&no_chat).contains("channel carrying chat"),
        "{}",
        refusal(&no_chat)
    );
    // Written as the agent typed it, the contact's number is theirs.
    let started = ask(start("+33 6 12 34 56 78", "sms-session", contact));
    let Ok(Reply::Started { interaction }) = serde_json::from_slice(&started) else {
        panic!("started: {}", String::from_utf8_lossy(&started));
    };
    let row = deployment
        .gateway
        .store()
        .interaction(&interaction)
        .expect("read")
        .expect("stored");
    assert_eq!(
        (
            row.agent_id.as_deref(),
            row.contact_address.as_str(),
            row.our_address.as_str()
        ),
        (Some("marc"), "+33612345678", "+15550150")
    );
    let audit = deployment.audit();
    assert!(
        audit
            .iter()
            .any(|l| l.starts_with("refused marc +33699999999 is not an address of")),
        "{audit:?}"
    );
}

#[test]
fn the_sixth_wrong_password_waits_and_then_the_right_one_is_let_in() {
    let clock = Arc::new(ManualClock::new(Timestamp(1_000_000)));
    let deployment = Deployment::start(
        "throttle",
        GatewaySettings {
            roles: RolePolicies::unrestricted(),
            ..GatewaySettings::default()
        },
        clock.clone(),
    );
    let rt = &deployment.runtime;
    let try_as = |password: &str| {
        rt.block_on(Raw::connect(&deployment.server, Some(("ada", password))))
            .is_ok()
    };
    for n in 0..5 {
        assert!(!try_as(&format!("guess-{n}")));
    }
    // The sixth try waits, even with the right password.
    let right = password_of("ada");
    assert!(!try_as(right.expose()), "let in without waiting");
    let audit = deployment.audit();
    assert!(
        audit
            .iter()
            .any(|l| l.contains("too many failed sign-ins for ada: try again in 1 s")),
        "{audit:?}"
    );
    clock.advance_seconds(2);
    assert!(try_as(right.expose()), "the right password after the wait");
}

#[test]
fn a_disabled_agents_desktop_is_signed_out_within_5_s_and_cannot_connect_again() {
    let deployment = Deployment::open();
    let prefix = deployment.prefix.clone();
    let ada = Desktop::sign_in(&deployment.server.url(), &prefix, "ada");
    deployment
        .gateway
        .store()
        .set_agent_disabled("ada", true, Timestamp(0))
        .expect("disabled");
    let reason = ada
        .wait_for(Duration::from_secs(5), |event| match event {
            BackendEvent::SignedOut { reason } => Some(reason),
            _ => None,
        })
        .expect("signed out within 5 s");
    assert!(reason.contains("disabled"), "{reason}");
    let again = ClusterBackend::connect(&deployment.server.url(), &prefix, TTL).expect("desktop");
    let session = switchboard_seam::backend::AgentSession {
        agent: "ada".into(),
        display_name: "Ada".into(),
        role: "agent".into(),
        channels: Vec::new(),
        password: Some(password_of("ada")),
    };
    assert!(matches!(
        again.sign_in(&session),
        Err(BackendError::SignInRefused(_))
    ));
    assert!(
        deployment
            .audit()
            .iter()
            .any(|l| l == "sign_in_refused ada ada is disabled by an administrator")
    );
}

/// Requests and record calls as one kind of body (the tests send both).
mod erased {
    pub trait Body {
        fn json(&self) -> serde_json::Value;
    }

    impl<T: serde::Serialize> Body for T {
        fn json(&self) -> serde_json::Value {
            serde_json::to_value(self).expect("json")
        }
    }
}

/// A certificate authority and a certificate for 127.0.0.1 it signed, made with `openssl` as
/// the README's small contact center makes them: `(ca.pem, server.pem, server.key)`.
fn test_certificates(
    dir: &std::path::Path,
) -> (std::path::PathBuf, std::path::PathBuf, std::path::PathBuf) {
    let run = |args: &[&str]| {
        let status = std::process::Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .expect("openssl runs");
        assert!(status.success(), "openssl {args:?}");
    };
    std::fs::write(
        dir.join("san.ext"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\n",
    )
    .expect("extensions");
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    run(&[
        &["req", "-x509"][..],
        &ec,
        &[
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "2",
            "-subj",
            "/CN=switchboard-test-ca",
        ],
    ]
    .concat());
    run(&[
        &["req"][..],
        &ec,
        &[
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
            "-subj",
            "/CN=127.0.0.1",
        ],
    ]
    .concat());
    run(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        "2",
        "-extfile",
        "san.ext",
    ]);
    (
        dir.join("ca.pem"),
        dir.join("server.pem"),
        dir.join("server.key"),
    )
}

#[test]
fn desktops_and_gateways_speak_tls_to_the_server_and_plain_clients_are_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (ca, cert, key) = test_certificates(dir.path());
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let server = NatsServer::start_with_tls(port, dir.path().join("nats"), Some((cert, key)))
        .expect("nats-server with TLS");
    let url = format!("tls://127.0.0.1:{port}");
    let mut bus = server.gateway_bus_at(&url);
    bus.ca_file = Some(ca.clone());
    let schema = scratch_schema("tls");
    let store = PgStore::connect(&database(), &schema).expect("store");
    let prefix = format!("tls{}", std::process::id());
    let gateway = Gateway::start(&bus, &prefix, store, Arc::new(SystemClock), TTL)
        .expect("the gateway connects over TLS");
    enroll(&gateway, &["ada"]);

    let desktop = ClusterBackend::connect_to(
        switchboard_platform_cluster::bus_trust::DesktopBus {
            url: url.clone(),
            ca_file: Some(ca),
        },
        &prefix,
        TTL,
    )
    .expect("desktop");
    desktop
        .sign_in(&switchboard_seam::backend::AgentSession {
            agent: "ada".into(),
            display_name: "Ada".into(),
            role: "agent".into(),
            channels: Vec::new(),
            password: Some(password_of("ada")),
        })
        .expect("Ada signs in over TLS");
    assert!(desktop.records().favourites("ada").is_ok());

    // Without TLS, or trusting another authority, nobody gets in.
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let plain = runtime.block_on(
        async_nats::ConnectOptions::with_user_and_password(
            "ada".into(),
            password_of("ada").expose().into(),
        )
        .connect(server.url()),
    );
    assert!(plain.is_err(), "a plain connection was let in");
    let untrusted = runtime.block_on(
        async_nats::ConnectOptions::with_user_and_password(
            "ada".into(),
            password_of("ada").expose().into(),
        )
        .require_tls(true)
        .connect(url.as_str()),
    );
    assert!(
        untrusted.is_err(),
        "a server the system does not trust was believed"
    );
    drop((desktop, gateway));
    PgStore::connect(&database(), &schema)
        .expect("store")
        .drop_schema()
        .expect("dropped");
}

#[test]
fn a_history_shows_another_agents_conversation_only_once_it_is_finished() {
    use switchboard_seam::records::{
        ContactRecords as _, HistoryRecords as _, InteractionRecords as _,
    };
    let deployment = Deployment::open();
    let prefix = deployment.prefix.clone();
    let marc = Desktop::sign_in(&deployment.server.url(), &prefix, "marc");
    // Ada is signed in for instant messages only: the SMS goes to Marc.
    let ada = Desktop::sign_in_on(
        &deployment.server.url(),
        &prefix,
        "ada",
        &[("internal-im", "im", 30)],
    );
    deployment
        .gateway
        .receive_sms(switchboard_edge::InboundSms {
            from: "+33612345699".into(),
            to: "+15550100".into(),
            body: "Mon code secret est 4242".into(),
            message_sid: None,
            ..Default::default()
        })
        .expect("stored");
    let offer = marc
        .next_offer(Duration::from_secs(5))
        .expect("offered to Marc");
    marc.backend
        .answer_offer("marc", &offer.offer_id, true)
        .expect("accepted");
    let interaction = offer.interaction.id.clone();
    let contact = deployment
        .gateway
        .store()
        .contact_of_interaction(&interaction)
        .expect("read")
        .expect("a contact")
        .id;

    // While Marc writes with the customer, Ada's history and search show nothing of it.
    let records = ada.backend.records();
    assert!(records.history(contact, 10).expect("history").is_empty());
    assert!(
        records
            .search_history(contact, "secret", 10)
            .expect("search")
            .is_empty(),
        "Ada read Marc's open conversation"
    );
    // Marc's own history shows it.
    assert_eq!(
        marc.backend
            .records()
            .history(contact, 10)
            .expect("history")
            .len(),
        1
    );
    // Nor does the history Ada's own interaction with the same customer opens with.
    marc.backend
        .set_ready("marc", &["sms".to_owned()], false)
        .expect("Marc not ready");
    let switchboard_edge::Received::Opened(adas) = deployment
        .gateway
        .receive_sms(switchboard_edge::InboundSms {
            from: "+33612345699".into(),
            to: "+15550100".into(),
            body: "Autre question".into(),
            message_sid: None,
            ..Default::default()
        })
        .expect("stored")
    else {
        panic!("a new interaction");
    };
    deployment
        .gateway
        .store()
        .set_interaction_state(
            &adas,
            switchboard_seam::records::InteractionState::Accepted,
            Some("ada"),
        )
        .expect("Ada's");
    let opening = records
        .opening(&switchboard_seam::records::OpeningAsked {
            interaction: adas.clone(),
            agent: "ada".into(),
            recent_since: Timestamp(0),
            pushed_urls: 10,
        })
        .expect("one read across the network")
        .expect("opened");
    let listed: Vec<&str> = opening
        .history
        .iter()
        .map(|h| h.interaction.as_str())
        .collect();
    assert!(listed.contains(&adas.as_str()), "{listed:?}");
    assert!(
        !listed.contains(&interaction.as_str()),
        "Ada's opening shows Marc's open conversation: {listed:?}"
    );
    // Finished, it is the contact's history for everyone.
    marc.backend.close(&interaction).expect("closed");
    let found = records
        .search_history(contact, "secret", 10)
        .expect("search");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].interaction, interaction);
}

#[test]
fn an_administrator_disables_resets_and_reads_the_audit_trail_and_nobody_else_may() {
    use switchboard_seam::backend::{AccountAction, AccountAnswer};
    let mut admin = sms_role(&["admin"]);
    admin.dispositions_required.clear();
    let settings = GatewaySettings {
        roles: RolePolicies::of([
            ("ada".to_owned(), sms_role(&[])),
            ("marc".to_owned(), admin),
        ]),
        ..GatewaySettings::default()
    };
    let deployment = Deployment::start("accounts", settings, Arc::new(SystemClock));
    let prefix = deployment.prefix.clone();
    let ada = Desktop::sign_in(&deployment.server.url(), &prefix, "ada");
    let marc = Desktop::sign_in(&deployment.server.url(), &prefix, "marc");

    // Ada's role does not administer.
    match ada.backend.administer(AccountAction::Disable {
        agent: "marc".into(),
    }) {
        Err(BackendError::Refused(reason)) => assert!(reason.contains("admin"), "{reason}"),
        other => panic!("Ada administered: {other:?}"),
    }

    // Marc resets Ada's password and disables her: she is signed out and refused.
    marc.backend
        .administer(AccountAction::SetPassword {
            agent: "ada".into(),
            password: switchboard_seam::secret::Secret::new("a-new-password-1"),
        })
        .expect("password reset");
    marc.backend
        .administer(AccountAction::Disable {
            agent: "ada".into(),
        })
        .expect("disabled");
    assert!(
        ada.wait_for(Duration::from_secs(5), |event| match event {
            BackendEvent::SignedOut { reason } => Some(reason),
            _ => None,
        })
        .is_some(),
        "Ada signed out within 5 s"
    );
    marc.backend
        .administer(AccountAction::Enable {
            agent: "ada".into(),
        })
        .expect("enabled");
    let again = ClusterBackend::connect(&deployment.server.url(), &prefix, TTL).expect("desktop");
    let mut session = switchboard_seam::backend::AgentSession {
        agent: "ada".into(),
        display_name: "Ada".into(),
        role: "agent".into(),
        channels: Vec::new(),
        password: Some(password_of("ada")),
    };
    assert!(
        again.sign_in(&session).is_err(),
        "the old password still works"
    );
    session.password = Some(switchboard_seam::secret::Secret::new("a-new-password-1"));
    again.sign_in(&session).expect("the new password works");

    let trail = match marc.backend.administer(AccountAction::AuditTrail {
        agent: Some("ada".into()),
        limit: 20,
    }) {
        Ok(AccountAnswer::Audit(lines)) => lines,
        other => panic!("no audit trail: {other:?}"),
    };
    let said: Vec<String> = trail
        .iter()
        .map(|l| format!("{} {}", l.kind, l.detail))
        .collect();
    for expected in [
        "password_set password set by marc",
        "disabled disabled by marc",
        "enabled enabled by marc",
        "refused ada's role does not allow administering accounts (permission admin)",
    ] {
        assert!(said.iter().any(|s| s == expected), "{expected}: {said:?}");
    }
    assert!(trail.iter().all(|l| !l.detail.contains("a-new-password-1")));
}

#[test]
fn a_desktop_of_another_wire_version_is_told_both_versions_and_not_signed_in() {
    let deployment = Deployment::open();
    let prefix = deployment.prefix.clone();
    let ada = deployment.raw("ada");
    let rt = &deployment.runtime;
    let sign_in = |version: u32| {
        let request = Request::SignIn {
            role: "agent".into(),
            display_name: "Ada".into(),
            channels: Vec::new(),
            wire_version: version,
        };
        let answer = rt
            .block_on(ada.ask(format!("{prefix}.gw.ada.sign_in"), None, &request))
            .expect("answered");
        refusal(&answer)
    };
    let newer = sign_in(99);
    assert!(
        newer.contains("version 99")
            && newer.contains("2 to 2")
            && newer.contains("upgrade the gateway"),
        "{newer}"
    );
    let older = sign_in(1);
    assert!(older.contains("upgrade this desktop"), "{older}");
    // Not signed in: a request is answered not_signed_in.
    let answer = rt
        .block_on(ada.ask(
            format!("{prefix}.gw.ada.sign_out"),
            Some("S-none"),
            &Request::SignOut,
        ))
        .expect("answered");
    assert!(matches!(
        serde_json::from_slice::<Reply>(&answer),
        Ok(Reply::NotSignedIn { .. })
    ));
}

#[test]
fn a_desktop_tells_the_agent_how_long_to_wait_after_five_refused_passwords() {
    let deployment = Deployment::open();
    let desktop = ClusterBackend::connect(&deployment.server.url(), &deployment.prefix, TTL)
        .expect("desktop");
    let clock = Arc::new(ManualClock::new(Timestamp(5_000_000)));
    desktop.set_clock(clock.clone());
    let session = |password: &str| switchboard_seam::backend::AgentSession {
        agent: "ada".into(),
        display_name: "Ada".into(),
        role: "agent".into(),
        channels: Vec::new(),
        password: Some(switchboard_seam::secret::Secret::new(password)),
    };
    let reasons: Vec<String> = (0..6)
        .map(
            |n| match desktop.sign_in(&session(&format!("guess-{n}-guess"))) {
                Err(BackendError::SignInRefused(reason)) => reason,
                other => panic!("a wrong password was not refused: {other:?}"),
            },
        )
        .collect();
    assert!(!reasons[3].contains("try again"), "{}", reasons[3]);
    assert!(reasons[4].contains("try again in 1 s"), "{}", reasons[4]);
    // The sixth is refused on the desktop without asking (it would be refused anyway).
    assert!(
        reasons[5].starts_with("too many refused sign-ins for ada: try again in"),
        "{}",
        reasons[5]
    );
    let asked = deployment
        .audit()
        .iter()
        .filter(|l| l.starts_with("sign_in_refused ada"))
        .count();
    assert_eq!(asked, 5, "the sixth try reached the gateway");
    // Once this desktop's wait is over it asks the gateway again.
    clock.advance_seconds(2);
    assert!(
        !matches!(desktop.sign_in(&session("guess-7-guess")), Err(BackendError::SignInRefused(ref r)) if r.starts_with("too many refused")),
        "still waiting after the wait"
    );
}
