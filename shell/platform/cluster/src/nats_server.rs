//! A NATS server of one's own with JetStream: tests start one per test on a free port (so they
//! may stop it), and a contact center on one machine can too. It runs as a deployment's server
//! does: the configuration `switchboard gateway nats-config` writes (keys kept in its folder),
//! so nobody is let in but gateways and the agents they accept. The binary is the official
//! `nats-server` (2.11 or later); `.ci/run` installs it under `target/nats-venv`.

use std::{
    net::{SocketAddr, TcpListener, TcpStream},
    path::PathBuf,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use crate::{
    ClusterError,
    bus_trust::{DesktopBus, GatewayBus, ServerPlace, keys, write_deployment},
};

/// Where the `nats-server` binary is: `SWITCHBOARD_NATS_SERVER`, else the one `.ci/run`
/// installs in the workspace's `target/nats-venv`, else `nats-server` on the `PATH`.
pub fn binary() -> PathBuf {
    if let Some(path) = std::env::var_os("SWITCHBOARD_NATS_SERVER") {
        return PathBuf::from(path);
    }
    let installed =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../target/nats-venv/bin/nats-server");
    if installed.exists() {
        installed
    } else {
        PathBuf::from("nats-server")
    }
}

/// A running `nats-server -js` on 127.0.0.1; dropping it stops the server.
pub struct NatsServer {
    child: Option<Child>,
    port: u16,
    store_dir: PathBuf,
}

impl NatsServer {
    /// Starts a server with JetStream on a free port, its data in `store_dir`, and waits until
    /// it takes connections (at most 10 seconds).
    pub fn start(store_dir: PathBuf) -> Result<Self, ClusterError> {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| ClusterError::Nats(format!("no free port: {e}")))?
            .port();
        Self::start_on(port, store_dir)
    }

    /// Starts a server on `port` (again after [`NatsServer::stop`], say), with the keys
    /// already in `store_dir` if there are some.
    pub fn start_on(port: u16, store_dir: PathBuf) -> Result<Self, ClusterError> {
        Self::start_with_tls(port, store_dir, None)
    }

    /// [`NatsServer::start_on`] speaking TLS with this certificate and key (PEM files).
    pub fn start_with_tls(
        port: u16,
        store_dir: PathBuf,
        tls: Option<(PathBuf, PathBuf)>,
    ) -> Result<Self, ClusterError> {
        let binary = binary();
        write_deployment(
            &store_dir,
            &ServerPlace {
                host: "127.0.0.1".into(),
                port,
                store_dir: store_dir.clone(),
                tls,
            },
        )?;
        let child = Command::new(&binary)
            .arg("-c")
            .arg(store_dir.join(keys::SERVER_CONFIG_FILE))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| ClusterError::Nats(format!("cannot start {}: {e}", binary.display())))?;
        let mut server = Self {
            child: Some(child),
            port,
            store_dir,
        };
        let address = SocketAddr::from(([127, 0, 0, 1], port));
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect_timeout(&address, Duration::from_millis(100)).is_err() {
            if Instant::now() > deadline {
                server.stop();
                return Err(ClusterError::Nats(format!(
                    "{} did not listen on port {port} within 10 s",
                    binary.display()
                )));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(server)
    }

    /// The server's address for clients.
    pub fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    /// What a gateway needs to reach this server.
    pub fn gateway_bus(&self) -> GatewayBus {
        self.gateway_bus_at(&self.url())
    }

    /// [`NatsServer::gateway_bus`] at another address of the server (`tls://`).
    pub fn gateway_bus_at(&self, url: &str) -> GatewayBus {
        GatewayBus::from_dir(url, &self.store_dir, None)
            .unwrap_or_else(|e| panic!("the keys of the test server: {e}"))
    }

    /// What a desktop needs to reach this server.
    pub fn desktop_bus(&self) -> DesktopBus {
        DesktopBus::new(&self.url())
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The folder its JetStream data is in.
    pub fn store_dir(&self) -> &PathBuf {
        &self.store_dir
    }

    /// Stops the server (as a crash would: at once).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for NatsServer {
    fn drop(&mut self) {
        self.stop();
    }
}
