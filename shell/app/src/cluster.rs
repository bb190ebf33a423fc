//! The binary on the cluster platform: `switchboard gateway` (no window: PostgreSQL, routing,
//! the provider webhook in front of the gateway) and a desktop whose platform and records are
//! the gateway's, reached over NATS only.

use std::{sync::Arc, time::Duration};

use anyhow::Context as _;
use switchboard_core::media::MediaLimits;
use switchboard_core::{
    backend::Backend,
    clock::{Clock as _, SystemClock},
    config::{ClusterConfig, Config},
    seam::secret::Secret,
};
use switchboard_platform_cluster::{
    bus_trust::{DesktopBus, GatewayBus, ServerPlace, write_deployment},
    desktop::ClusterBackend,
    gateway::{
        Gateway, GatewayChat, GatewayRooms, GatewaySettings, GatewayWebhook, PagesLink,
        ProviderLink,
    },
    passwords,
};
use switchboard_store_postgres::AuditEntry;

use switchboard_edge::{
    ChatPageServer, ChatPageSettings, MediaSources, WebhookServer, WebhookSettings,
    chat_widget_origin, provider::twilio::TwilioApi,
};
use switchboard_seam::{records::Records, roles::RolePolicies};
use switchboard_store_postgres::PgStore;

/// The cluster section, or why there is none.
pub fn cluster_of<'a>(config: &'a Config, config_name: &str) -> anyhow::Result<&'a ClusterConfig> {
    config.cluster.as_ref().with_context(|| {
        format!(
            "{config_name} has no [cluster] section: give the NATS server with --platform \
             nats://host:port, or add [cluster] nats = \"nats://host:port\""
        )
    })
}

fn presence(cluster: &ClusterConfig) -> Duration {
    Duration::from_secs(cluster.presence_seconds.max(1).into())
}

/// A desktop's platform and records: the gateway's, over NATS. Fails naming the server when it
/// cannot be reached.
pub fn desktop(cluster: &ClusterConfig) -> anyhow::Result<(Arc<dyn Backend>, Arc<dyn Records>)> {
    let bus = DesktopBus {
        url: cluster.nats.clone(),
        ca_file: cluster.ca_file.as_ref().map(std::path::PathBuf::from),
    };
    let backend = ClusterBackend::connect_to(bus, &cluster.prefix, presence(cluster))
        .with_context(|| format!("joining the contact center at {}", cluster.nats))?;
    let records = Arc::new(backend.records());
    Ok((Arc::new(backend), records))
}

/// Longest a call to the provider's API may take.
const PROVIDER_CALL_LIMIT: Duration = Duration::from_secs(10);

/// Connections a gateway keeps to PostgreSQL: webhook commits overlap and are grouped.
const GATEWAY_CONNECTIONS: usize = 8;

fn open_records(cluster: &ClusterConfig, connections: usize) -> anyhow::Result<PgStore> {
    let database = cluster.database.as_deref().context(
        "the gateway's database is needed: --database 'host=… dbname=…' or [cluster] database",
    )?;
    PgStore::connect_pool(database, &cluster.schema, connections)
        .with_context(|| format!("opening the records in schema {}", cluster.schema))
}

/// Sets an agent's password from the first line of the standard input.
pub fn set_password(cluster: &ClusterConfig, agent: &str) -> anyhow::Result<()> {
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .context("reading the password from the standard input")?;
    let password = Secret::new(line.trim_end_matches(['\n', '\r']));
    let store = open_records(cluster, 1)?;
    passwords::enroll(&store, agent, &password, SystemClock.now())
        .with_context(|| format!("setting {agent}'s password"))?;
    audit(
        &store,
        "password_set",
        agent,
        "password set or reset from the command line",
    );
    println!("{agent}'s password is set");
    Ok(())
}

/// Disables an agent (their desktop is signed out within seconds and cannot connect again),
/// or lets them sign in again.
pub fn set_disabled(cluster: &ClusterConfig, agent: &str, disabled: bool) -> anyhow::Result<()> {
    let store = open_records(cluster, 1)?;
    store
        .set_agent_disabled(agent, disabled, SystemClock.now())
        .with_context(|| {
            format!(
                "{} {agent}",
                if disabled { "disabling" } else { "enabling" }
            )
        })?;
    if disabled {
        audit(&store, "disabled", agent, "disabled from the command line");
        println!("{agent} is disabled: signed out within seconds, and refused until enabled");
    } else {
        audit(&store, "enabled", agent, "enabled from the command line");
        println!("{agent} may sign in again");
    }
    Ok(())
}

/// Prints the newest lines of the audit trail.
pub fn print_audit(cluster: &ClusterConfig, agent: Option<&str>, lines: i64) -> anyhow::Result<()> {
    let store = open_records(cluster, 1)?;
    let trail = store
        .audit_trail(agent, lines)
        .context("reading the audit trail")?;
    for entry in trail.iter().rev() {
        let at = jiff::Timestamp::from_millisecond(entry.at.0)
            .map(|t| t.to_string())
            .unwrap_or_else(|_| entry.at.0.to_string());
        println!(
            "{at}  {:<16} {:<12} {:<16} {}",
            entry.kind,
            entry.agent.as_deref().unwrap_or("-"),
            entry.client.as_deref().unwrap_or("-"),
            entry.detail
        );
    }
    Ok(())
}

fn audit(store: &PgStore, kind: &str, agent: &str, detail: &str) {
    if let Err(e) = store.audit(&AuditEntry::new(
        SystemClock.now(),
        kind,
        Some(agent),
        detail,
    )) {
        tracing::error!("the audit trail: {e}");
    }
}

/// Writes a deployment's bus keys (kept when they exist) and its NATS server's configuration
/// into `out`.
pub fn write_nats_config(out: &std::path::Path, place: &ServerPlace) -> anyhow::Result<()> {
    let issuer = write_deployment(out, place)
        .with_context(|| format!("writing the NATS configuration into {}", out.display()))?;
    println!(
        "wrote {}/nats-server.conf (issuer {issuer}) and the keys beside it; start the server \
         with `nats-server -c {}/nats-server.conf` and give gateways `[cluster] keys = \"{}\"`",
        out.display(),
        out.display(),
        out.display()
    );
    Ok(())
}

/// How a gateway reaches the bus: the keys `switchboard gateway nats-config` wrote.
fn gateway_bus(cluster: &ClusterConfig) -> anyhow::Result<GatewayBus> {
    let keys = cluster.keys.as_deref().context(
        "the gateway needs the bus keys: run `switchboard gateway nats-config --out DIR` and \
         give [cluster] keys = \"DIR\"",
    )?;
    GatewayBus::from_dir(
        &cluster.nats,
        std::path::Path::new(keys),
        cluster.ca_file.as_ref().map(std::path::PathBuf::from),
    )
    .with_context(|| format!("reading the bus keys in {keys}"))
}

/// Every configured agent's role, as the gateway enforces it, with the media types of the
/// channel plugins found in `plugins_dir` (read from their manifests).
fn role_policies(config: &Config, plugins_dir: &std::path::Path) -> RolePolicies {
    let catalog = switchboard_core::plugin_host::PluginCatalog::scan(plugins_dir);
    let channel_media: Vec<(String, Vec<String>)> = catalog
        .available()
        .iter()
        .map(|plugin| {
            let media = plugin
                .manifest
                .media_types
                .iter()
                .map(|m| m.to_string())
                .collect();
            (plugin.id().to_owned(), media)
        })
        .collect();
    if channel_media.is_empty() {
        tracing::warn!(
            "gateway: no channel plugin in {}: a desktop's media types are taken as it names them",
            plugins_dir.display()
        );
    }
    RolePolicies::of(config.agent_policies()).with_channel_media(channel_media)
}

/// The ports a gateway serves customers on, 127.0.0.1 (0 picks a free one).
#[derive(Debug, Clone, Copy)]
pub struct GatewayPorts {
    /// The provider's SMS webhook.
    pub webhook: u16,
    /// The customer chat page and its WebSocket.
    pub chat: u16,
}

/// Runs a gateway until the process is stopped: the records in PostgreSQL, routing, desktops'
/// requests over NATS, the provider webhook and the customer chat page.
pub fn run_gateway(
    config: &Config,
    cluster: &ClusterConfig,
    ports: GatewayPorts,
    plugins_dir: &std::path::Path,
) -> anyhow::Result<()> {
    let rooms = GatewayRooms::default();
    let store = open_records(cluster, GATEWAY_CONNECTIONS)?;
    let provider = match &config.provider {
        Some(provider) => Some(crate::provider::settings(provider)?),
        None => None,
    };
    let gateway = Gateway::start_with(
        &gateway_bus(cluster)?,
        &cluster.prefix,
        store,
        Arc::new(SystemClock),
        presence(cluster),
        GatewaySettings {
            service_number: Some(config.shell.service_number.clone()),
            session_number: Some(config.shell.session_number.clone()),
            media: MediaSources {
                limits: MediaLimits {
                    max_bytes: u64::from(config.shell.max_media_kilobytes) * 1024,
                    ..MediaLimits::default()
                },
                // Media files only from the folders the administrator lists, as on the
                // embedded platform (canonical paths: the fetch compares resolved paths).
                folders: config
                    .shell
                    .media_folders
                    .iter()
                    .filter_map(|folder| std::fs::canonicalize(folder).ok())
                    .collect(),
                provider: provider.clone(),
            },
            return_after: Duration::from_secs(cluster.return_after_seconds.into()),
            directory: Some(config.directory_entries()),
            provider: provider.clone().map(|settings| {
                ProviderLink(Arc::new(TwilioApi::new(settings, PROVIDER_CALL_LIMIT)))
            }),
            pages: Some(PagesLink(Arc::new(rooms.clone()))),
            roles: role_policies(config, plugins_dir),
        },
    )
    .with_context(|| format!("starting the gateway on {}", cluster.nats))?;
    let gateway = Arc::new(gateway);
    let connections = crate::connection_limits(&config.shell);
    let settings = WebhookSettings {
        posts_per_minute: config.shell.webhook_posts_per_minute,
        connections,
        provider,
    };
    let webhook =
        WebhookServer::start_for(GatewayWebhook(gateway.clone()), settings, ports.webhook)
            .with_context(|| format!("starting the SMS webhook on port {}", ports.webhook))?;
    let door = GatewayChat::new(rooms, gateway, config.shell.chat_starts_per_minute);
    let page_settings = ChatPageSettings {
        connections,
        widget_origins: config
            .shell
            .chat_widget_sites
            .iter()
            .filter_map(|site| chat_widget_origin(site))
            .collect(),
    };
    let chat_page = ChatPageServer::start_for(door, page_settings, ports.chat)
        .with_context(|| format!("starting the customer chat page on port {}", ports.chat))?;
    println!(
        "gateway: deployment {} on {}; SMS webhook on http://{}/sms; customer chat page on http://{}/",
        cluster.prefix,
        cluster.nats,
        webhook.address(),
        chat_page.address()
    );
    loop {
        std::thread::park();
    }
}
