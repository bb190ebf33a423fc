//! Loading one plugin library through abi_stable, with refusals summed up in one line.
//!
//! The SDK's major version must match ours. The layout check then runs in the direction that
//! fits the plugin's age: abi_stable accepts an implementation at least as new as the interface
//! it is checked against, so a plugin built with our minor version or a newer one is checked
//! against our types, and a plugin built with an older minor version has our types checked as
//! a newer implementation of its own (every minor version only grows the contract at the ends
//! abi_stable allows, so the older one must be a prefix of ours).

use std::path::Path;

use super::layout_report::PluginSide;
use switchboard_sdk::{
    Manifest, SDK_VERSION,
    abi_stable::{
        StableAbi,
        abi_stability::abi_checking::{CheckingGlobals, check_layout_compatibility_with_globals},
        library::{LibHeader, LibraryError, RootModule, lib_header_from_path},
        sabi_types::VersionNumber,
    },
    module::PluginModule_Ref,
};

/// Why a library was refused. Each message names the reason in one line; the full abi_stable
/// report for layout mismatches goes to the log at debug level.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum LoadError {
    /// The file is not a loadable library at all.
    #[error("not a loadable library ({0})")]
    NotALibrary(String),
    /// The file is damaged (cut short...): mapping it could kill the process.
    #[error("damaged library file: {0}")]
    Damaged(String),
    /// A library, but without a Switchboard root module.
    #[error("not a Switchboard plugin (no plugin root module)")]
    NotAPlugin,
    /// Built for an incompatible SDK version.
    #[error("built for SDK {plugin}, this shell has SDK {shell}")]
    SdkVersion {
        /// The plugin's SDK version.
        plugin: String,
        /// Ours.
        shell: String,
    },
    /// Same version number, different types: built against a changed SDK.
    #[error("built against an incompatible SDK layout ({summary}); rebuild it against SDK {shell}")]
    Layout {
        /// The key lines of abi_stable's report.
        summary: String,
        /// Our SDK version.
        shell: String,
    },
    /// The plugin's own code failed while starting (including a panic).
    #[error("failed while starting: {0}")]
    Startup(String),
}

/// Loads and checks one library, returning its root module and manifest.
pub fn load_library(path: &Path) -> Result<(PluginModule_Ref, Manifest), LoadError> {
    super::integrity::check_whole(path).map_err(LoadError::Damaged)?;
    let header = lib_header_from_path(path).map_err(classify)?;
    check_version_and_layout(header)?;
    // SAFETY: the layout of the library's root module, and of every type reachable from it,
    // was checked just above against ours (in the direction its SDK version calls for).
    #[allow(unsafe_code)]
    let module = unsafe { header.init_root_module_with_unchecked_layout::<PluginModule_Ref>() }
        .map_err(classify)?;
    let manifest = module.manifest()()
        .into_result()
        .map_err(|e| LoadError::Startup(e.to_string()))?;
    Ok((module, manifest))
}

fn check_version_and_layout(header: &LibHeader) -> Result<(), LoadError> {
    let unreadable = |e: &dyn std::fmt::Display| LoadError::Layout {
        summary: format!("unreadable SDK version: {e}"),
        shell: SDK_VERSION.to_owned(),
    };
    let ours = VersionNumber::new(<PluginModule_Ref as RootModule>::VERSION_STRINGS)
        .map_err(|e| unreadable(&e))?;
    let theirs = VersionNumber::new(header.version_strings()).map_err(|e| unreadable(&e))?;
    if ours.major != theirs.major || (ours.major == 0 && ours.minor != theirs.minor) {
        return Err(LoadError::SdkVersion {
            plugin: theirs.to_string(),
            shell: ours.to_string(),
        });
    }
    let Some(their_layout) = header.layout() else {
        return Err(LoadError::Layout {
            summary: "the library carries no layout to check".to_owned(),
            shell: SDK_VERSION.to_owned(),
        });
    };
    let our_layout = <PluginModule_Ref as StableAbi>::LAYOUT;
    // Each plugin is checked against the shell alone, with checking state of its own: abi_stable's
    // process-wide state merges the vtables of every library it checked, so after a plugin of an
    // older minor (checked in the other direction) a plugin of another minor was refused.
    let alone = CheckingGlobals::new();
    let (checked, plugin_side) = if theirs.minor < ours.minor {
        (
            check_layout_compatibility_with_globals(their_layout, our_layout, &alone),
            PluginSide::Expected,
        )
    } else {
        (
            check_layout_compatibility_with_globals(our_layout, their_layout, &alone),
            PluginSide::Found,
        )
    };
    checked.map_err(|errors| {
        tracing::debug!("layout check report:\n{errors}");
        LoadError::Layout {
            summary: super::layout_report::one_line(&errors, plugin_side),
            shell: SDK_VERSION.to_owned(),
        }
    })
}

fn classify(error: LibraryError) -> LoadError {
    match error {
        LibraryError::OpenError { err, .. } => LoadError::NotALibrary(first_line(&err.to_string())),
        LibraryError::GetSymbolError { .. } => LoadError::NotAPlugin,
        LibraryError::IncompatibleVersionNumber {
            expected_version,
            actual_version,
            ..
        } => LoadError::SdkVersion {
            plugin: actual_version.to_string(),
            shell: expected_version.to_string(),
        },
        LibraryError::AbiInstability(report) => {
            let full = report.to_string();
            tracing::debug!("layout check report:\n{full}");
            LoadError::Layout {
                summary: summarize_layout_report(&full),
                shell: SDK_VERSION.to_owned(),
            }
        }
        LibraryError::InvalidAbiHeader(_) => LoadError::Layout {
            summary: "built with an incompatible abi_stable".to_owned(),
            shell: SDK_VERSION.to_owned(),
        },
        other => LoadError::Startup(first_line(&other.to_string())),
    }
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().trim().to_owned()
}

/// Keeps the few lines of abi_stable's long report that say what differs.
fn summarize_layout_report(report: &str) -> String {
    let mut lines: Vec<String> = report
        .lines()
        .map(str::trim)
        .filter(|l| {
            l.starts_with("Error:") || l.starts_with("Expected:") || l.starts_with("Found:")
        })
        .map(|l| l.replace("Error:", "").trim().to_owned())
        .collect();
    lines.dedup();
    lines.truncate(3);
    if lines.is_empty() {
        "types differ".to_owned()
    } else {
        lines.join(" / ")
    }
}
