//! A deployment's bus keys and the NATS server's configuration made from them:
//! - the issuer, an account nkey whose seed only gateways hold: the NATS server trusts the
//!   users it signs (the authorization callout's answers);
//! - the gateways' service password: gateways sign in as `switchboard-gateway` and skip the
//!   callout (they answer it).
//!
//! `switchboard gateway nats-config --out DIR` writes `DIR/issuer.nk` and
//! `DIR/gateway-password` (mode 600) and `DIR/nats-server.conf`; writing again keeps keys that
//! exist, so the configuration can be made again without signing every gateway out. Rotating:
//! remove the two key files, write again, restart the NATS server and the gateways.

use std::{
    fs,
    path::{Path, PathBuf},
};

use nkeys::KeyPair;
use switchboard_seam::secret::Secret;

use crate::ClusterError;

/// The account every desktop and gateway of a deployment lives in.
pub const ACCOUNT: &str = "SWITCHBOARD";

/// The user gateways sign in as.
pub const GATEWAY_USER: &str = "switchboard-gateway";

/// The file of the issuer's seed.
pub const ISSUER_FILE: &str = "issuer.nk";

/// The file of the gateways' service password.
pub const GATEWAY_PASSWORD_FILE: &str = "gateway-password";

/// The NATS server's configuration file.
pub const SERVER_CONFIG_FILE: &str = "nats-server.conf";

/// What a gateway needs to reach the bus: the server, its service password, and the issuer's
/// seed to sign the users it lets in.
#[derive(Clone)]
pub struct GatewayBus {
    /// The NATS server (`nats://` or `tls://`).
    pub url: String,
    /// The gateways' service password.
    pub password: Secret,
    /// The issuer's seed (`SA…`).
    pub issuer_seed: Secret,
    /// The certificate authority that signed the server's certificate (TLS).
    pub ca_file: Option<PathBuf>,
}

impl std::fmt::Debug for GatewayBus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GatewayBus")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl GatewayBus {
    /// The bus of the keys in `dir` (written by `switchboard gateway nats-config`).
    pub fn from_dir(url: &str, dir: &Path, ca_file: Option<PathBuf>) -> Result<Self, ClusterError> {
        let read = |name: &str| {
            Secret::from_file(&dir.join(name)).map_err(|e| ClusterError::Invalid(e.to_string()))
        };
        Ok(Self {
            url: url.to_owned(),
            password: read(GATEWAY_PASSWORD_FILE)?,
            issuer_seed: read(ISSUER_FILE)?,
            ca_file,
        })
    }

    /// The options a gateway (or a test acting as one) connects with.
    pub fn connect_options(&self) -> async_nats::ConnectOptions {
        super::gateway_options(self)
    }

    /// The issuer's key pair.
    pub fn issuer(&self) -> Result<KeyPair, ClusterError> {
        KeyPair::from_seed(self.issuer_seed.expose())
            .map_err(|e| ClusterError::Invalid(format!("the issuer's seed: {e}")))
    }
}

/// Where the NATS server listens and keeps its data, for its configuration.
#[derive(Debug, Clone)]
pub struct ServerPlace {
    /// Address to listen on.
    pub host: String,
    /// Port.
    pub port: u16,
    /// JetStream's folder.
    pub store_dir: PathBuf,
    /// TLS: the server's certificate and key files (PEM).
    pub tls: Option<(PathBuf, PathBuf)>,
}

/// Writes the keys (unless they exist) and the server's configuration into `dir`; returns
/// the issuer's public key.
pub fn write_deployment(dir: &Path, place: &ServerPlace) -> Result<String, ClusterError> {
    let fail = |what: &str, e: std::io::Error| {
        ClusterError::Invalid(format!("writing {what} in {}: {e}", dir.display()))
    };
    fs::create_dir_all(dir).map_err(|e| fail("the folder", e))?;
    let issuer_file = dir.join(ISSUER_FILE);
    let issuer = match Secret::from_file(&issuer_file) {
        Ok(seed) => KeyPair::from_seed(seed.expose())
            .map_err(|e| ClusterError::Invalid(format!("{}: {e}", issuer_file.display())))?,
        Err(_) => {
            let issuer = KeyPair::new_account();
            let seed = issuer
                .seed()
                .map_err(|e| ClusterError::Invalid(format!("the issuer's seed: {e}")))?;
            write_private(&issuer_file, &seed).map_err(|e| fail(ISSUER_FILE, e))?;
            issuer
        }
    };
    let password_file = dir.join(GATEWAY_PASSWORD_FILE);
    let password = match Secret::from_file(&password_file) {
        Ok(password) => password,
        Err(_) => {
            let password = Secret::new(switchboard_seam::ids::new_secret_id("gw"));
            write_private(&password_file, password.expose())
                .map_err(|e| fail(GATEWAY_PASSWORD_FILE, e))?;
            password
        }
    };
    let config = server_config(&issuer.public_key(), &password, place);
    write_private(&dir.join(SERVER_CONFIG_FILE), &config)
        .map_err(|e| fail(SERVER_CONFIG_FILE, e))?;
    Ok(issuer.public_key())
}

/// The NATS server's configuration: one account with JetStream, the gateways' service user,
/// and every other connection decided by the gateways' authorization callout.
pub fn server_config(issuer: &str, gateway_password: &Secret, place: &ServerPlace) -> String {
    let tls = match &place.tls {
        Some((cert, key)) => format!(
            "tls {{\n  cert_file: {}\n  key_file: {}\n}}\n",
            quoted(&cert.display().to_string()),
            quoted(&key.display().to_string())
        ),
        None => String::new(),
    };
    format!(
        "# A Switchboard deployment's NATS server: made by `switchboard gateway nats-config`.\n\
         # Desktops are let in by the gateways (authorization callout): one agent's subjects each.\n\
         listen: {listen}\n\
         jetstream {{\n  store_dir: {store}\n}}\n\
         {tls}\
         accounts {{\n  {ACCOUNT} {{\n    jetstream: enabled\n    users: [\n      {{ user: {user}, password: {password} }}\n    ]\n  }}\n}}\n\
         authorization {{\n  auth_callout {{\n    issuer: {issuer}\n    account: {ACCOUNT}\n    auth_users: [ {user} ]\n  }}\n}}\n",
        listen = quoted(&format!("{}:{}", place.host, place.port)),
        store = quoted(&place.store_dir.display().to_string()),
        user = quoted(GATEWAY_USER),
        password = quoted(gateway_password.expose()),
        issuer = quoted(issuer),
    )
}

/// A string as the NATS configuration reads it.
fn quoted(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Writes a file only its owner may read.
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(fs::Permissions::from_mode(0o600))?;
    }
    file.write_all(text.as_bytes())?;
    file.write_all(b"\n")?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_written_once_private_and_read_back() {
        let dir = tempfile::tempdir().expect("dir");
        let place = ServerPlace {
            host: "127.0.0.1".into(),
            port: 4333,
            store_dir: dir.path().join("js"),
            tls: None,
        };
        let issuer = write_deployment(dir.path(), &place).expect("written");
        assert!(issuer.starts_with('A'));
        let again = write_deployment(dir.path(), &place).expect("written again");
        assert_eq!(issuer, again, "existing keys are kept");
        let bus = GatewayBus::from_dir("nats://127.0.0.1:4333", dir.path(), None).expect("read");
        assert_eq!(bus.issuer().expect("issuer").public_key(), issuer);
        let config = fs::read_to_string(dir.path().join(SERVER_CONFIG_FILE)).expect("config");
        assert!(config.contains(&issuer));
        assert!(config.contains(bus.password.expose()));
        assert!(config.contains("auth_callout"));
        assert!(!format!("{bus:?}").contains(bus.password.expose()));
        #[cfg(unix)]
        for file in [ISSUER_FILE, GATEWAY_PASSWORD_FILE, SERVER_CONFIG_FILE] {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(dir.path().join(file))
                .expect("file")
                .permissions()
                .mode();
            assert_eq!(mode & 0o077, 0, "{file} is private");
        }
    }
}
