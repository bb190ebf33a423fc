//! The shell's side of an isolated plugin: the child process, the socket to it, and the
//! plugin object the desk holds like any other. Each call waits at most the call time limit;
//! while it waits, the child's host calls run on the shell's host object. A child that crashes
//! (abort, segmentation fault) or hangs is named in the log and the agent's message, and started
//! again with the interactions it knew replayed; after too many crashes the channel stops like
//! a plugin that panicked.

use std::{
    io::BufReader,
    os::unix::{
        net::{UnixListener, UnixStream},
        process::ExitStatusExt,
    },
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::{
        Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use switchboard_sdk::{
    Command_NE, Event, Event_NE, HostBox, PluginBox, PluginError, PluginErrorKind, Translation,
    ViewModel, ViewPart_NE,
    abi_stable::{
        sabi_trait::TD_Opaque,
        std_types::{RResult, RStr, RVec},
    },
    plugin::{ChannelPlugin, ChannelPlugin_TO},
};

use super::{
    IsolationSettings,
    protocol::{FromChild, ToChild, receive, send},
};

/// Crashes after which the shell stops restarting a plugin.
pub const MAX_RESTARTS: u32 = 3;

/// How long a new child may take to connect and create its plugin, at least.
const START_LIMIT: Duration = Duration::from_secs(5);

/// A running child and the socket to it.
struct Running {
    process: Child,
    reader: BufReader<UnixStream>,
    writer: UnixStream,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// Why a call did not come back.
enum Failure {
    /// The child did not answer in time (it was stopped).
    Hung(Duration),
    /// The child's process ended.
    Ended,
    /// The child broke the protocol.
    Broken(String),
}

struct State {
    child: Option<Running>,
    crashes: u32,
    /// The events that told the plugin of interactions still open, replayed after a restart.
    remembered: Vec<(String, Event)>,
}

/// A plugin running in a child process.
struct IsolatedPlugin {
    id: String,
    library: PathBuf,
    settings: IsolationSettings,
    host: HostBox,
    state: Mutex<State>,
}

/// Starts `library`'s plugin `id` in a child process; the object the desk holds.
pub fn start(
    id: &str,
    library: &Path,
    settings: &IsolationSettings,
    host: HostBox,
) -> Result<PluginBox, PluginError> {
    let plugin = IsolatedPlugin {
        id: id.to_owned(),
        library: library.to_path_buf(),
        settings: settings.clone(),
        host,
        state: Mutex::new(State {
            child: None,
            crashes: 0,
            remembered: Vec::new(),
        }),
    };
    let child = plugin.spawn()?;
    plugin.lock().child = Some(child);
    tracing::info!("plugin {id} runs isolated in process {}", plugin.pid());
    Ok(ChannelPlugin_TO::from_value(plugin, TD_Opaque))
}

fn error(kind: PluginErrorKind, message: String) -> PluginError {
    PluginError::new(kind, message)
}

/// A folder only this user may enter, for one child's socket: another local user can neither
/// connect in the child's place nor take the name first.
fn private_folder() -> std::io::Result<PathBuf> {
    use std::os::unix::fs::DirBuilderExt;
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let folder = std::env::temp_dir().join(format!(
        "switchboard-plugin-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::DirBuilder::new().mode(0o700).create(&folder)?;
    Ok(folder)
}

/// How a child's process ended, in words.
fn ended(status: std::process::ExitStatus) -> String {
    match (status.code(), status.signal()) {
        (_, Some(signal)) => {
            let name = match signal {
                4 => " (SIGILL)",
                6 => " (SIGABRT)",
                7 => " (SIGBUS)",
                8 => " (SIGFPE)",
                9 => " (SIGKILL)",
                11 => " (SIGSEGV)",
                _ => "",
            };
            format!("killed by signal {signal}{name}")
        }
        (Some(code), None) => format!("exited with code {code}"),
        (None, None) => "ended".into(),
    }
}

impl IsolatedPlugin {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn pid(&self) -> u32 {
        self.lock().child.as_ref().map_or(0, |c| c.process.id())
    }

    /// A new child with the plugin created in it.
    fn spawn(&self) -> Result<Running, PluginError> {
        let failed = |why: String| {
            error(
                PluginErrorKind::Other,
                format!(
                    "plugin {} could not start in its own process: {why}",
                    self.id
                ),
            )
        };
        let folder = private_folder().map_err(|e| failed(e.to_string()))?;
        let path = folder.join("plugin.sock");
        let listener = UnixListener::bind(&path).map_err(|e| failed(e.to_string()))?;
        let spawned = Command::new(&self.settings.program)
            .arg("plugin-sandbox")
            .arg("--socket")
            .arg(&path)
            .arg("--library")
            .arg(&self.library)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn();
        let mut process = match spawned {
            Ok(process) => process,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&folder);
                return Err(failed(format!(
                    "{} cannot run: {e}",
                    self.settings.program.display()
                )));
            }
        };
        let accepted = accept(
            &listener,
            &mut process,
            START_LIMIT.max(self.settings.call_timeout),
        );
        let _ = std::fs::remove_dir_all(&folder);
        let stream = match accepted {
            Ok(stream) => stream,
            Err(why) => {
                let _ = process.kill();
                let _ = process.wait();
                return Err(failed(why));
            }
        };
        let reader = stream
            .try_clone()
            .map(BufReader::new)
            .map_err(|e| failed(e.to_string()))?;
        let mut running = Running {
            process,
            reader,
            writer: stream,
        };
        match self.wait_reply(&mut running, START_LIMIT.max(self.settings.call_timeout)) {
            Ok(FromChild::Created(Ok(()))) => Ok(running),
            Ok(FromChild::Created(Err(e))) => Err(e),
            Ok(other) => Err(failed(format!("it said {other:?} instead of starting"))),
            Err(failure) => Err(failed(self.describe(&mut running, failure))),
        }
    }

    /// Reads until the child's result, answering its host calls meanwhile.
    fn wait_reply(&self, child: &mut Running, limit: Duration) -> Result<FromChild, Failure> {
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(Failure::Hung(limit));
            }
            if let Err(e) = child.writer.set_read_timeout(Some(left)) {
                return Err(Failure::Broken(e.to_string()));
            }
            match receive::<FromChild>(&mut child.reader) {
                Ok(FromChild::HostCall(call)) => {
                    let value = call.run(&self.host);
                    if send(&mut child.writer, &ToChild::Answer(value)).is_err() {
                        return Err(Failure::Ended);
                    }
                }
                Ok(reply) => return Ok(reply),
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    return Err(Failure::Hung(limit));
                }
                Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                    return Err(Failure::Broken(e.to_string()));
                }
                Err(_) => return Err(Failure::Ended),
            }
        }
    }

    /// Stops what is left of the child and says what happened to it.
    fn describe(&self, child: &mut Running, failure: Failure) -> String {
        match failure {
            Failure::Hung(limit) => {
                let _ = child.process.kill();
                let _ = child.process.wait();
                format!(
                    "it did not answer within {} ms and was stopped",
                    limit.as_millis()
                )
            }
            Failure::Broken(why) => {
                let _ = child.process.kill();
                let _ = child.process.wait();
                format!("it broke the protocol ({why}) and was stopped")
            }
            Failure::Ended => match child.process.wait() {
                Ok(status) => format!(
                    "its process {}",
                    ended(status).replace("killed", "was killed")
                ),
                Err(e) => format!("its process ended ({e})"),
            },
        }
    }

    /// One request and its reply; a crash or a hang restarts the child (replaying what it
    /// knew) and comes back as an error naming the plugin and what happened.
    fn call(&self, request: ToChild) -> Result<FromChild, PluginError> {
        let mut state = self.lock();
        let Some(child) = state.child.as_mut() else {
            return Err(error(
                PluginErrorKind::Panicked,
                format!("plugin {} is stopped", self.id),
            ));
        };
        let result = match send(&mut child.writer, &request) {
            Ok(()) => self.wait_reply(child, self.settings.call_timeout),
            Err(_) => Err(Failure::Ended),
        };
        let failure = match result {
            Ok(reply) => return Ok(reply),
            Err(failure) => failure,
        };
        let mut child = state.child.take().expect("checked above");
        let what = self.describe(&mut child, failure);
        state.crashes += 1;
        let crashes = state.crashes;
        tracing::error!(
            "plugin {} (isolated, process {}): {what}",
            self.id,
            child.process.id()
        );
        drop(child);
        if crashes > MAX_RESTARTS {
            return Err(error(
                PluginErrorKind::Panicked,
                format!("{what}; after {crashes} failures it is stopped"),
            ));
        }
        let remembered = state.remembered.clone();
        drop(state);
        let restarted = self.restart(&remembered);
        Err(error(
            PluginErrorKind::Other,
            format!(
                "plugin {}: {what}; the action was not done. {restarted}",
                self.id
            ),
        ))
    }

    /// A new child, told again of the interactions the last one knew.
    fn restart(&self, remembered: &[(String, Event)]) -> String {
        let mut child = match self.spawn() {
            Ok(child) => child,
            Err(e) => {
                tracing::error!("{e}");
                let mut state = self.lock();
                state.crashes = MAX_RESTARTS + 1;
                return format!("It could not be started again: {e}");
            }
        };
        for (_, event) in remembered {
            let replayed = send(&mut child.writer, &ToChild::Handle(Box::new(event.clone())))
                .map_err(|_| Failure::Ended)
                .and_then(|()| self.wait_reply(&mut child, self.settings.call_timeout));
            if let Err(failure) = replayed {
                let what = self.describe(&mut child, failure);
                tracing::error!(
                    "plugin {} {what} while it was told its interactions again",
                    self.id
                );
                return format!("It {what} when started again.");
            }
        }
        tracing::info!(
            "plugin {} started again in process {}, told of {} open interaction(s)",
            self.id,
            child.process.id(),
            remembered.len()
        );
        self.lock().child = Some(child);
        "It was started again.".into()
    }

    /// Keeps the events that tell of an open interaction, forgets a closed one.
    fn remember(&self, event: &Event) {
        let mut state = self.lock();
        match event {
            Event::Accepted { interaction, .. } | Event::Started { interaction, .. } => {
                let id = interaction.id.to_string();
                state.remembered.retain(|(known, _)| *known != id);
                state.remembered.push((id, event.clone()));
            }
            Event::Closed { interaction } => {
                state
                    .remembered
                    .retain(|(known, _)| known != interaction.as_str());
            }
            _ => {}
        }
    }
}

impl ChannelPlugin for IsolatedPlugin {
    fn handle(&mut self, event: Event_NE) -> RResult<RVec<Command_NE>, PluginError> {
        let Ok(event) = event.into_enum() else {
            return RResult::ROk(RVec::new());
        };
        self.remember(&event);
        match self.call(ToChild::Handle(Box::new(event))) {
            Ok(FromChild::Commands(Ok(commands))) => {
                RResult::ROk(commands.into_iter().map(Command_NE::new).collect())
            }
            Ok(FromChild::Commands(Err(e))) => RResult::RErr(e),
            Ok(other) => RResult::RErr(unexpected(&self.id, &other)),
            Err(e) => RResult::RErr(e),
        }
    }

    fn view(&self, interaction: RStr<'_>) -> RResult<ViewModel, PluginError> {
        match self.call(ToChild::View(interaction.as_str().to_owned())) {
            Ok(FromChild::View(view)) => view.into(),
            Ok(other) => RResult::RErr(unexpected(&self.id, &other)),
            Err(e) => RResult::RErr(e),
        }
    }

    fn translations(&self) -> RVec<Translation> {
        match self.call(ToChild::Translations) {
            Ok(FromChild::Translations(sources)) => sources.into(),
            _ => RVec::new(),
        }
    }

    fn view_parts(&self, interaction: RStr<'_>) -> RResult<RVec<ViewPart_NE>, PluginError> {
        match self.call(ToChild::ViewParts(interaction.as_str().to_owned())) {
            Ok(FromChild::Parts(Ok(parts))) => {
                RResult::ROk(parts.into_iter().map(ViewPart_NE::new).collect())
            }
            Ok(FromChild::Parts(Err(e))) => RResult::RErr(e),
            Ok(other) => RResult::RErr(unexpected(&self.id, &other)),
            Err(e) => RResult::RErr(e),
        }
    }
}

fn unexpected(id: &str, reply: &FromChild) -> PluginError {
    error(
        PluginErrorKind::Other,
        format!("plugin {id} answered out of turn: {reply:?}"),
    )
}

/// The child's connection, waiting at most `limit`; fails early when the child ends.
fn accept(
    listener: &UnixListener,
    process: &mut Child,
    limit: Duration,
) -> Result<UnixStream, String> {
    listener.set_nonblocking(true).map_err(|e| e.to_string())?;
    let deadline = Instant::now() + limit;
    loop {
        match listener.accept() {
            Ok((stream, _)) => {
                stream.set_nonblocking(false).map_err(|e| e.to_string())?;
                return Ok(stream);
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) => return Err(e.to_string()),
        }
        if let Ok(Some(status)) = process.try_wait() {
            return Err(format!("its process {} before connecting", ended(status)));
        }
        if Instant::now() > deadline {
            return Err(format!(
                "it did not connect within {} ms",
                limit.as_millis()
            ));
        }
        // The child is starting (a process, a library to load): look again shortly.
        std::thread::sleep(Duration::from_millis(2));
    }
}
