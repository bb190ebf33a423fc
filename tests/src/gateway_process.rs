//! `switchboard gateway` as a process of the test's own, and `switchboard set-password` as an
//! administrator runs it: the cluster tests that go through the real binary.

use std::{
    io::{BufRead, BufReader, Write},
    net::SocketAddr,
    path::Path,
    process::{Child, Stdio},
};

use crate::switchboard_binary;

/// A running gateway process (free ports of its own); its log goes to a file.
pub struct GatewayProcess {
    /// The process (tests kill it).
    pub child: Child,
    /// Its provider webhook.
    pub webhook: SocketAddr,
    /// Its customer chat page.
    pub chat_page: SocketAddr,
}

impl GatewayProcess {
    /// Starts `switchboard gateway --config CONFIG` with `env`, logging at trace level to `log`;
    /// the addresses are read from what it prints.
    pub fn start(config: &Path, log: &Path, env: &[(&str, &str)]) -> Self {
        let mut child = switchboard_binary()
            .args([
                "gateway",
                "--webhook-port",
                "0",
                "--chat-port",
                "0",
                "--config",
            ])
            .arg(config)
            .envs(env.iter().copied())
            .env("RUST_LOG", "trace")
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(log).expect("log file"))
            .spawn()
            .expect("gateway started");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let Some(Ok(line)) = lines.next() else {
            let _ = child.wait();
            let said = std::fs::read_to_string(log).unwrap_or_default();
            panic!("the gateway stopped before saying where it listens; its log:\n{said}");
        };
        let (webhook, chat_page) = addresses(&line)
            .unwrap_or_else(|| panic!("no webhook and chat page addresses in {line:?}"));
        // Keep reading its output so it never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Self {
            child,
            webhook,
            chat_page,
        }
    }

    /// Stops it at once (SIGKILL), as a crash would.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for GatewayProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The webhook's and the chat page's addresses in the gateway's first line
/// ("…SMS webhook on http://A/sms; customer chat page on http://B/").
pub fn addresses(line: &str) -> Option<(SocketAddr, SocketAddr)> {
    let mut urls = line.split("http://").skip(1);
    let webhook = urls.next()?.split_once("/sms")?.0.parse().ok()?;
    let chat_page = urls.next()?.split_once('/')?.0.parse().ok()?;
    Some((webhook, chat_page))
}

/// `switchboard set-password AGENT --config CONFIG`, the password on its standard input.
pub fn set_password(config: &Path, agent: &str, password: &str) {
    let mut set = switchboard_binary()
        .args(["set-password", agent, "--config"])
        .arg(config)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("set-password started");
    set.stdin
        .take()
        .expect("stdin")
        .write_all(format!("{password}\n").as_bytes())
        .expect("password given");
    let output = set.wait_with_output().expect("set-password ran");
    assert!(output.status.success(), "{output:?}");
}
