//! `switchboard`: the agent desktop. Parses the command line, opens the store, starts the
//! embedded platform (and demo traffic with `--demo`) or joins a cluster, loads the plugins and
//! opens the window. `switchboard gateway` runs a cluster's gateway without a window.

mod cluster;
mod provider;

use std::{path::PathBuf, sync::Arc, time::Duration};

use anyhow::Context as _;
use clap::Parser;
use switchboard_core::{
    clock::Clock as _,
    clock::SystemClock,
    config::{self, Config},
    desk::Desk,
    i18n::choose_language,
    paths,
    plugin_host::PluginCatalog,
};
use switchboard_edge::ConnectionLimits;
use switchboard_platform_embedded::{DemoTraffic, EmbeddedPlatform, PlatformSettings};
use switchboard_store_sqlite::Store;
use switchboard_ui::ShellApp;

/// Switchboard: a desktop workspace for contact-center agents.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    /// Run something else than the desktop.
    #[command(subcommand)]
    mode: Option<Mode>,
    /// The contact-center platform: `embedded` (in this process, the default) or a cluster's
    /// NATS server, `nats://host:port` (overrides [cluster] nats in the configuration).
    #[arg(long, global = true)]
    platform: Option<String>,
    /// Send realistic demo traffic (inbound SMS from demo contacts).
    #[arg(long)]
    demo: bool,
    /// Sign in as this agent at start.
    #[arg(long)]
    agent: Option<String>,
    /// Configuration file (TOML). Without it: the per-user configuration
    /// (~/.config/switchboard/switchboard.toml) if present, else the embedded default.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Data folder (database); the per-user data folder when absent.
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// Plugins folder; `plugins/` next to the executable when absent.
    #[arg(long)]
    plugins_dir: Option<PathBuf>,
    /// Port of the SMS webhook on 127.0.0.1 (overrides the configuration).
    #[arg(long)]
    webhook_port: Option<u16>,
    /// Port of the customer chat page on 127.0.0.1 (overrides the configuration).
    #[arg(long)]
    chat_port: Option<u16>,
    /// UI language: en or fr (overrides the configuration and the system locale).
    #[arg(long)]
    language: Option<String>,
    /// Print how long each start-up phase took (configuration, store, plugins, platform,
    /// desk and dictionaries, first frame)
    #[arg(long)]
    timing: bool,
    /// Print the plugins found, loaded and refused, then exit.
    #[arg(long)]
    list_plugins: bool,
    /// Exit as soon as the first frame is drawn (to time the start-up against a bare window:
    /// `cargo run --release --example bare_window -- --quit-after-first-frame`).
    #[arg(long, hide = true)]
    quit_after_first_frame: bool,
}

#[derive(Debug, clap::Subcommand)]
enum Mode {
    /// A cluster's gateway, without a window: the records in PostgreSQL, routing, desktops'
    /// requests over NATS, and the SMS webhook (`--webhook-port`).
    #[command(args_conflicts_with_subcommands = true)]
    Gateway {
        /// What else to do instead of running the gateway.
        #[command(subcommand)]
        action: Option<GatewayAction>,
        /// PostgreSQL connection parameters (`host=… dbname=…` or `postgres://…`), overriding
        /// [cluster] database.
        #[arg(long)]
        database: Option<String>,
        /// Port of the SMS webhook on 127.0.0.1 (overrides the configuration).
        #[arg(long)]
        webhook_port: Option<u16>,
        /// Port of the customer chat page on 127.0.0.1 (overrides the configuration).
        #[arg(long)]
        chat_port: Option<u16>,
        /// Configuration file (TOML): roles, numbers, limits and [cluster].
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Disables an agent on the cluster: their desktop is signed out within seconds and the
    /// NATS server refuses them until `enable-agent`.
    DisableAgent {
        /// The agent's sign-in id.
        agent: String,
        /// Configuration file (TOML) with [cluster].
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Lets a disabled agent sign in again.
    EnableAgent {
        /// The agent's sign-in id.
        agent: String,
        /// Configuration file (TOML) with [cluster].
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Prints the newest lines of the cluster's audit trail (sign-ins, refusals, password
    /// changes, disabling), oldest first.
    Audit {
        /// Only about this agent.
        #[arg(long)]
        agent: Option<String>,
        /// How many lines.
        #[arg(long, default_value_t = 50)]
        lines: i64,
        /// Configuration file (TOML) with [cluster].
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Sets or resets an agent's password for the cluster (read from the first line of the
    /// standard input; only its Argon2 hash is stored, in PostgreSQL).
    SetPassword {
        /// The agent's sign-in id.
        agent: String,
        /// PostgreSQL connection parameters, overriding [cluster] database.
        #[arg(long)]
        database: Option<String>,
        /// Configuration file (TOML) with [cluster].
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Runs one plugin library for a shell that isolates it (started by the shell itself,
    /// which listens on the socket).
    #[command(hide = true)]
    PluginSandbox {
        /// The shell's socket.
        #[arg(long)]
        socket: PathBuf,
        /// The plugin library.
        #[arg(long)]
        library: PathBuf,
    },
}

/// The configuration and cluster of a mode without a window (`gateway`, `set-password`).
fn cluster_mode(
    cli: &Cli,
    mode_config: &Option<PathBuf>,
    database: &Option<String>,
) -> anyhow::Result<(Config, config::ClusterConfig)> {
    let given = mode_config.clone().or(cli.config.clone());
    let path = given.clone().unwrap_or_else(config::default_config_path);
    // A file named on the command line must exist; else the per-user file, else the default.
    let config = match given {
        Some(path) => Config::load(&path)?,
        None => Config::load_or_embedded(&path)?,
    };
    let name = path.display().to_string();
    let PlatformChoice::Cluster(mut cluster) =
        platform_choice(cli.platform.as_deref(), &config, &name)?
    else {
        anyhow::bail!(
            "this serves a cluster: give its NATS server with --platform nats://host:port"
        );
    };
    if database.is_some() {
        cluster.database = database.clone();
    }
    Ok((config, cluster))
}

/// What is logged: `RUST_LOG`, else warnings and the shell's own news. Whatever `RUST_LOG`
/// says, the NATS client never logs below debug: at trace it writes whole messages, and a
/// sign-in carries the agent's password.
fn log_filter() -> tracing_subscriber::EnvFilter {
    const DEFAULT: &str =
        "warn,switchboard=info,switchboard_core=info,switchboard_platform_cluster=info";
    let asked = std::env::var("RUST_LOG").unwrap_or_default();
    let filter = tracing_subscriber::EnvFilter::try_new(&asked)
        .ok()
        .filter(|_| !asked.trim().is_empty())
        .unwrap_or_else(|| DEFAULT.into());
    // Only trace writes payloads: cap the NATS client there, and leave lower levels as asked.
    if asked.to_lowercase().contains("trace")
        && let Ok(cap) = "async_nats=debug".parse()
    {
        filter.add_directive(cap)
    } else {
        filter
    }
}

/// What `switchboard gateway` does instead of running.
#[derive(Debug, clap::Subcommand)]
enum GatewayAction {
    /// Writes the deployment's bus keys (kept when they exist) and the NATS server's
    /// configuration into a folder: `nats-server -c DIR/nats-server.conf`, and gateways get
    /// `[cluster] keys = "DIR"`.
    NatsConfig {
        /// The folder to write into (the keys in it are readable by their owner alone).
        #[arg(long)]
        out: PathBuf,
        /// The address the NATS server listens on.
        #[arg(long, default_value = "127.0.0.1")]
        host: String,
        /// Its port.
        #[arg(long, default_value_t = 4222)]
        port: u16,
        /// JetStream's folder (default: `OUT/jetstream`).
        #[arg(long)]
        store_dir: Option<PathBuf>,
        /// TLS: the server's certificate (PEM); desktops and gateways then use `tls://`.
        #[arg(long, requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// TLS: the server's private key (PEM).
        #[arg(long, requires = "tls_cert")]
        tls_key: Option<PathBuf>,
    },
}

/// Which platform the command line and configuration choose.
enum PlatformChoice {
    Embedded,
    Cluster(config::ClusterConfig),
}

fn platform_choice(
    cli_platform: Option<&str>,
    config: &Config,
    config_name: &str,
) -> anyhow::Result<PlatformChoice> {
    match cli_platform {
        Some("embedded") => Ok(PlatformChoice::Embedded),
        Some(url) if url.starts_with("nats://") || url.starts_with("tls://") => {
            let mut cluster = config
                .cluster
                .clone()
                .unwrap_or_else(|| config::ClusterConfig::new(url));
            cluster.nats = url.to_owned();
            Ok(PlatformChoice::Cluster(cluster))
        }
        Some(other) => anyhow::bail!(
            "--platform {other}: give `embedded` or a NATS server as nats://host:port"
        ),
        None => Ok(match &config.cluster {
            Some(_) => PlatformChoice::Cluster(cluster::cluster_of(config, config_name)?.clone()),
            None => PlatformChoice::Embedded,
        }),
    }
}

fn main() -> anyhow::Result<()> {
    // The log goes to the standard error: the standard output is for what a command prints.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(log_filter())
        .init();
    let cli = Cli::parse();
    match &cli.mode {
        Some(Mode::Gateway {
            action:
                Some(GatewayAction::NatsConfig {
                    out,
                    host,
                    port,
                    store_dir,
                    tls_cert,
                    tls_key,
                }),
            ..
        }) => {
            let place = switchboard_platform_cluster::bus_trust::ServerPlace {
                host: host.clone(),
                port: *port,
                store_dir: store_dir.clone().unwrap_or_else(|| out.join("jetstream")),
                tls: tls_cert.clone().zip(tls_key.clone()),
            };
            return cluster::write_nats_config(out, &place);
        }
        Some(Mode::DisableAgent {
            agent,
            config: mode_config,
        }) => {
            let (_, cluster) = cluster_mode(&cli, mode_config, &None)?;
            return cluster::set_disabled(&cluster, agent, true);
        }
        Some(Mode::EnableAgent {
            agent,
            config: mode_config,
        }) => {
            let (_, cluster) = cluster_mode(&cli, mode_config, &None)?;
            return cluster::set_disabled(&cluster, agent, false);
        }
        Some(Mode::Audit {
            agent,
            lines,
            config: mode_config,
        }) => {
            let (_, cluster) = cluster_mode(&cli, mode_config, &None)?;
            return cluster::print_audit(&cluster, agent.as_deref(), *lines);
        }
        Some(Mode::Gateway {
            action: None,
            database,
            webhook_port,
            chat_port,
            config: mode_config,
        }) => {
            let (config, cluster) = cluster_mode(&cli, mode_config, database)?;
            let ports = cluster::GatewayPorts {
                webhook: webhook_port.unwrap_or(config.shell.webhook_port),
                chat: chat_port.unwrap_or(config.shell.chat_port),
            };
            let plugins_dir = cli
                .plugins_dir
                .clone()
                .unwrap_or_else(paths::default_plugins_dir);
            return cluster::run_gateway(&config, &cluster, ports, &plugins_dir);
        }
        Some(Mode::SetPassword {
            agent,
            database,
            config: mode_config,
        }) => {
            let (_, cluster) = cluster_mode(&cli, mode_config, database)?;
            return cluster::set_password(&cluster, agent);
        }
        Some(Mode::PluginSandbox { socket, library }) => {
            return switchboard_core::plugin_host::isolation::child::run(socket, library)
                .map_err(|e| anyhow::anyhow!("plugin {}: {e}", library.display()));
        }
        None => {}
    }
    let mut phases = Phases::start(cli.timing);

    let plugins_dir = cli
        .plugins_dir
        .clone()
        .unwrap_or_else(paths::default_plugins_dir);
    let mut catalog = PluginCatalog::scan(&plugins_dir);
    phases.done("plugins");
    let config_path = cli
        .config
        .clone()
        .unwrap_or_else(config::default_config_path);
    let config = match &cli.config {
        Some(path) => Config::load(path),
        None => Config::load_or_embedded(&config_path),
    };
    let config_name = if cli.config.is_some() || config_path.exists() {
        config_path.display().to_string()
    } else {
        "the built-in configuration (assets/config/switchboard.toml)".to_owned()
    };
    if cli.list_plugins {
        println!("Plugins folder: {}", plugins_dir.display());
        print!("{}", catalog.report_table());
        match &config {
            Ok(config) => {
                for note in
                    switchboard_core::plugin_host::coverage_notes(config, &config_name, &catalog)
                {
                    println!("note: {note}");
                }
                for id in &config.plugins.isolated {
                    match catalog.get(id) {
                        Some(_) => println!(
                            "note: plugin {id} runs in a process of its own ([plugins] isolated)"
                        ),
                        None => println!(
                            "note: [plugins] isolated names {id}, which no plugin library provides"
                        ),
                    }
                }
            }
            Err(e) => println!("note: the configuration cannot be read: {e}"),
        }
        return Ok(());
    }
    let config = config?;
    let config_text = std::fs::read_to_string(&config_path).ok();
    if let Some(refusal) = switchboard_core::plugin_host::unknown_channels(
        &config,
        &config_name,
        config_text.as_deref(),
        &catalog,
    ) {
        anyhow::bail!(refusal);
    }
    for note in switchboard_core::plugin_host::coverage_notes(&config, &config_name, &catalog) {
        tracing::warn!("{note}");
    }
    isolate_plugins(&mut catalog, &config)?;
    phases.done("configuration");
    if let PlatformChoice::Cluster(cluster) =
        platform_choice(cli.platform.as_deref(), &config, &config_name)?
    {
        if cli.demo {
            anyhow::bail!(
                "--demo runs on the embedded platform only: on a cluster, customers write to the \
                 gateway's webhook"
            );
        }
        let (backend, records) = cluster::desktop(&cluster)?;
        phases.done("platform");
        let language =
            choose_language(cli.language.as_deref().or(config.shell.language.as_deref()));
        let desk = Desk::new(config, records, Arc::new(SystemClock), backend, catalog);
        let app = ShellApp::new(desk, language);
        return open_window(app, &cli, config_path, phases);
    }
    let data_dir = cli.data_dir.clone().unwrap_or_else(paths::default_data_dir);
    let database = data_dir.join(if cli.demo {
        "demo.db"
    } else {
        "switchboard.db"
    });
    let store =
        Store::open(&database).with_context(|| format!("opening {}", database.display()))?;
    phases.done("store");
    let clock = Arc::new(SystemClock);
    let mut platform_settings =
        PlatformSettings::new(&config.shell.service_number, &config.shell.session_number);
    platform_settings.media_limits.max_bytes = u64::from(config.shell.max_media_kilobytes) * 1024;
    // file:// media is read from these folders only: the demo's photos, the repository's demo
    // media (the README's examples), and what the configuration adds.
    let demo_media = switchboard_platform_embedded::demo_media_folder();
    let _ = std::fs::create_dir_all(&demo_media);
    platform_settings = platform_settings.allow_media_folder(&demo_media);
    let shipped_media = std::path::Path::new("assets/demo/media");
    if shipped_media.is_dir() {
        platform_settings = platform_settings.allow_media_folder(shipped_media);
    }
    platform_settings.chat_starts_per_minute = config.shell.chat_starts_per_minute;
    platform_settings.webhook_posts_per_minute = config.shell.webhook_posts_per_minute;
    platform_settings.connections = connection_limits(&config.shell);
    if let Some(provider) = &config.provider {
        platform_settings.provider = Some(provider::settings(provider)?);
    }
    for site in &config.shell.chat_widget_sites {
        platform_settings = platform_settings.allow_chat_widget_on(site);
    }
    for folder in &config.shell.media_folders {
        platform_settings = platform_settings.allow_media_folder(std::path::Path::new(folder));
    }
    let platform =
        EmbeddedPlatform::with_settings(store.clone(), clock.clone(), platform_settings)?;
    // Routing, answers and receipts run on the platform's own thread, never the window's.
    let worker = platform
        .start_worker()
        .context("starting the platform's thread")?;
    let webhook_port = cli.webhook_port.unwrap_or(config.shell.webhook_port);
    // A server that cannot start is said in the log and, after sign-in, in the window, naming
    // the port, what it stops and where to change it.
    let mut startup_problems = Vec::new();
    let webhook = match platform.start_webhook(webhook_port) {
        Ok(server) => Some(server),
        Err(e) => {
            startup_problems.push(format!(
                "The SMS webhook could not start on port {webhook_port} ({e}): customers' SMS, MMS \
                 and messaging-app messages cannot arrive. Free the port or set webhook_port in \
                 {config_name}."
            ));
            None
        }
    };
    let chat_port = cli.chat_port.unwrap_or(config.shell.chat_port);
    let chat_page = match platform.start_chat_page(chat_port) {
        Ok(server) => {
            tracing::info!("customers chat at http://{}/", server.address());
            Some(server)
        }
        Err(e) => {
            startup_problems.push(format!(
                "The customer chat page could not start on port {chat_port} ({e}): customers \
                 cannot open web chats. Free the port or set chat_port in {config_name}."
            ));
            None
        }
    };
    for problem in &startup_problems {
        tracing::error!("{problem}");
    }
    if cli.demo {
        let script = switchboard_platform_embedded::demo_script();
        match switchboard_platform_embedded::seed_demo_history(&store, &script, clock.now()) {
            Ok(0) => {}
            Ok(written) => tracing::info!("demo history: {written} past interactions written"),
            Err(e) => tracing::warn!("demo history not written: {e}"),
        }
    }
    let demo = cli.demo.then(|| {
        DemoTraffic::start(
            platform.clone(),
            Duration::from_secs(2),
            Duration::from_secs(25),
        )
    });

    phases.done("platform");
    let language = choose_language(cli.language.as_deref().or(config.shell.language.as_deref()));
    let desk = Desk::new(config, Arc::new(store), clock, Arc::new(platform), catalog);
    let mut app = ShellApp::new(desk, language);
    phases.done("desk and dictionaries");
    for problem in startup_problems {
        app.desk.report_error(problem);
    }
    app.keep_alive(Box::new(worker));
    if let Some(server) = webhook {
        app.keep_alive(Box::new(server));
    }
    if let Some(server) = chat_page {
        app.keep_alive(Box::new(server));
    }
    if let Some(demo) = demo {
        app.keep_alive(Box::new(demo));
    }
    open_window(app, &cli, config_path, phases)
}

/// Signs the agent in when asked, and runs the window until it closes.
fn open_window(
    mut app: ShellApp,
    cli: &Cli,
    config_path: PathBuf,
    mut phases: Phases,
) -> anyhow::Result<()> {
    app.set_config_path(config_path);
    if let Some(agent) = &cli.agent {
        // On a cluster the password comes from SWITCHBOARD_PASSWORD (never the command line,
        // which other users can read); without it the sign-in screen asks.
        let password = std::env::var("SWITCHBOARD_PASSWORD").ok();
        app.sign_in_as(agent, password.as_deref());
    }

    let options = eframe::NativeOptions {
        viewport: eframe::egui::ViewportBuilder::default()
            .with_title("Switchboard")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([800.0, 500.0]),
        ..Default::default()
    };
    let quit_after_first_frame = cli.quit_after_first_frame;
    app.on_first_frame(Box::new(move || {
        phases.done("window and first frame");
        if quit_after_first_frame {
            std::process::exit(0);
        }
    }));
    eframe::run_native("Switchboard", options, Box::new(|_cc| Ok(Box::new(app))))
        .map_err(|e| anyhow::anyhow!("cannot open the window: {e}"))
}

/// Start-up phases, timed: printed with `--timing`, logged at debug level otherwise.
struct Phases {
    print: bool,
    started: std::time::Instant,
    last: std::time::Instant,
}

impl Phases {
    fn start(print: bool) -> Self {
        let now = std::time::Instant::now();
        Self {
            print,
            started: now,
            last: now,
        }
    }

    fn done(&mut self, phase: &str) {
        let now = std::time::Instant::now();
        let resident = resident_mib()
            .map(|mib| format!(", resident {mib:.1} MiB"))
            .unwrap_or_default();
        let line = format!(
            "start-up: {phase} {:.1} ms (total {:.1} ms{resident})",
            (now - self.last).as_secs_f64() * 1e3,
            (now - self.started).as_secs_f64() * 1e3
        );
        if self.print {
            println!("{line}");
        } else {
            tracing::debug!("{line}");
        }
        self.last = now;
    }
}

/// The process's resident memory, where the system says (`/proc/self/statm`, in pages).
fn resident_mib() -> Option<f64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: f64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096.0 / (1024.0 * 1024.0))
}

/// How many connections the servers customers reach (webhook, chat page) take, and how long
/// a request may take to arrive, from the configuration.
fn connection_limits(shell: &switchboard_core::config::ShellConfig) -> ConnectionLimits {
    ConnectionLimits {
        max_connections: shell.max_connections.max(1) as usize,
        header_timeout: Duration::from_secs(shell.request_header_seconds.max(1).into()),
        body_timeout: Duration::from_secs(shell.request_body_seconds.max(1).into()),
    }
}

/// Runs the plugins `[plugins] isolated` names in child processes of this same binary.
fn isolate_plugins(catalog: &mut PluginCatalog, config: &Config) -> anyhow::Result<()> {
    if config.plugins.isolated.is_empty() {
        return Ok(());
    }
    #[cfg(unix)]
    {
        let settings = switchboard_core::plugin_host::isolation::IsolationSettings {
            program: std::env::current_exe()
                .context("finding this program, to run isolated plugins with it")?,
            call_timeout: Duration::from_millis(config.plugins.call_timeout_milliseconds.into()),
        };
        for note in catalog.isolate(&config.plugins.isolated, &settings) {
            tracing::warn!("{note}");
        }
    }
    #[cfg(not(unix))]
    tracing::warn!("[plugins] isolated is not supported on this system; plugins run in-process");
    Ok(())
}
