//! The plugin host: finds plugin libraries, checks them, and keeps a report of what loaded and
//! what did not, with the reason.

#[cfg(test)]
mod contract_tests;
mod coverage;
mod handover;
mod integrity;
#[cfg(unix)]
pub mod isolation;
mod layout_report;
mod loader;
mod platform_calls;
mod services;
mod shared_tools;
#[cfg(test)]
mod test_support;

use std::path::{Path, PathBuf};

use switchboard_sdk::{
    Channel, HostBox, Manifest, PluginBox, PluginError, module::PluginModule_Ref,
    plugin::into_plugin_box,
};

pub use coverage::{coverage_notes, unknown_channels};
pub use handover::write_attachment;
pub use loader::{LoadError, load_library};
pub use platform_calls::PlatformCall;
pub use services::{AgentContext, Handover, HostServices, MessageJob, OpenFacts, PluginHost};
pub use shared_tools::SharedTools;

/// Where a plugin comes from.
#[derive(Clone)]
enum Source {
    /// A dynamic library, already checked.
    Library(PluginModule_Ref),
    /// Compiled into this process (tests, benchmarks).
    Builtin(fn(HostBox) -> Result<PluginBox, PluginError>),
}

/// A plugin that passed every check and can be instantiated.
#[derive(Clone)]
pub struct AvailablePlugin {
    /// Its manifest.
    pub manifest: Manifest,
    /// The file it came from (none for built-ins).
    pub path: Option<PathBuf>,
    source: Source,
    /// Set when it runs in a child process of its own.
    #[cfg(unix)]
    isolation: Option<isolation::IsolationSettings>,
}

impl AvailablePlugin {
    /// The plugin id.
    pub fn id(&self) -> &str {
        &self.manifest.id
    }

    /// Creates an instance with its host object. A panic in the plugin's constructor comes
    /// back as an error.
    pub fn instantiate(&self, host: HostBox) -> Result<PluginBox, PluginError> {
        #[cfg(unix)]
        if let (Some(settings), Some(path)) = (&self.isolation, &self.path) {
            return isolation::start(self.id(), path, settings, host);
        }
        match &self.source {
            Source::Library(module) => module.create()(host).into_result(),
            Source::Builtin(create) => create(host),
        }
    }
}

/// The outcome for one plugin file.
#[derive(Debug, Clone, PartialEq)]
pub enum PluginStatus {
    /// Loaded and available.
    Loaded,
    /// Refused, with a one-line reason.
    Refused(String),
}

/// One line of the load report.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportEntry {
    /// The library file (or `builtin`).
    pub file: String,
    /// Plugin id, when the manifest could be read.
    pub id: Option<String>,
    /// Plugin version, when known.
    pub version: Option<String>,
    /// SDK version the plugin was built with, when known.
    pub sdk_version: Option<String>,
    /// Loaded or refused.
    pub status: PluginStatus,
}

/// Every plugin found, and the report of the search.
#[derive(Clone, Default)]
pub struct PluginCatalog {
    available: Vec<AvailablePlugin>,
    report: Vec<ReportEntry>,
}

impl PluginCatalog {
    /// An empty catalog.
    pub fn new() -> Self {
        Self::default()
    }

    /// Loads every library in `folder` (sorted by file name). A missing folder gives an empty
    /// catalog with one refused line saying so.
    pub fn scan(folder: &Path) -> Self {
        let mut catalog = Self::new();
        let entries = match std::fs::read_dir(folder) {
            Ok(entries) => entries,
            Err(e) => {
                catalog.report.push(ReportEntry {
                    file: folder.display().to_string(),
                    id: None,
                    version: None,
                    sdk_version: None,
                    status: PluginStatus::Refused(format!("cannot read plugins folder: {e}")),
                });
                return catalog;
            }
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension()
                    .is_some_and(|x| x == crate::paths::library_extension())
            })
            .collect();
        files.sort();
        for file in files {
            catalog.add_library(&file);
        }
        catalog
    }

    /// Loads one library file and records the outcome.
    pub fn add_library(&mut self, path: &Path) {
        let file = path.display().to_string();
        match load_library(path) {
            Ok((module, manifest)) => self.add(
                AvailablePlugin {
                    manifest,
                    path: Some(path.to_path_buf()),
                    source: Source::Library(module),
                    #[cfg(unix)]
                    isolation: None,
                },
                file,
            ),
            Err(e) => {
                tracing::warn!("plugin {file} refused: {e}");
                self.report.push(ReportEntry {
                    file,
                    id: None,
                    version: None,
                    sdk_version: None,
                    status: PluginStatus::Refused(e.to_string()),
                });
            }
        }
    }

    /// Registers a plugin compiled into this process.
    pub fn add_builtin<C: Channel>(&mut self) {
        fn create<C: Channel>(host: HostBox) -> Result<PluginBox, PluginError> {
            switchboard_sdk::plugin::contain_panic("create", || {
                C::create(host).map(into_plugin_box)
            })
        }
        self.add(
            AvailablePlugin {
                manifest: C::manifest(),
                path: None,
                source: Source::Builtin(create::<C>),
                #[cfg(unix)]
                isolation: None,
            },
            "builtin".into(),
        );
    }

    fn add(&mut self, plugin: AvailablePlugin, file: String) {
        let id = plugin.id().to_owned();
        let mut entry = ReportEntry {
            file,
            id: Some(id.clone()),
            version: Some(plugin.manifest.version.to_string()),
            sdk_version: Some(plugin.manifest.sdk_version.to_string()),
            status: PluginStatus::Loaded,
        };
        if let Some(existing) = self.available.iter().find(|p| p.id() == id) {
            let from = existing
                .path
                .as_ref()
                .map_or("builtin".to_owned(), |p| p.display().to_string());
            let reason = format!("duplicate id {id} (already loaded from {from})");
            tracing::warn!("plugin {} refused: {reason}", entry.file);
            entry.status = PluginStatus::Refused(reason);
        } else {
            self.available.push(plugin);
        }
        self.report.push(entry);
    }

    /// Runs the plugins `ids` names in child processes of their own (`settings`); returns a
    /// note for each id that names no plugin loaded from a library.
    #[cfg(unix)]
    pub fn isolate(
        &mut self,
        ids: &[String],
        settings: &isolation::IsolationSettings,
    ) -> Vec<String> {
        let mut notes = Vec::new();
        for id in ids {
            match self
                .available
                .iter_mut()
                .find(|p| p.id() == id && p.path.is_some())
            {
                Some(plugin) => plugin.isolation = Some(settings.clone()),
                None => notes.push(format!(
                    "plugin {id} is to run isolated, but no plugin library has that id"
                )),
            }
        }
        notes
    }

    /// Whether plugin `id` runs in a child process of its own.
    pub fn is_isolated(&self, id: &str) -> bool {
        #[cfg(unix)]
        {
            self.get(id).is_some_and(|p| p.isolation.is_some())
        }
        #[cfg(not(unix))]
        {
            let _ = id;
            false
        }
    }

    /// Plugins that loaded.
    pub fn available(&self) -> &[AvailablePlugin] {
        &self.available
    }

    /// The plugin with this id.
    pub fn get(&self, id: &str) -> Option<&AvailablePlugin> {
        self.available.iter().find(|p| p.id() == id)
    }

    /// What was found, loaded or refused.
    pub fn report(&self) -> &[ReportEntry] {
        &self.report
    }

    /// The report as a text table (for `--list-plugins`).
    pub fn report_table(&self) -> String {
        let mut out = format!(
            "{:<14} {:<9} {:<7} {:<9} {}\n",
            "ID", "VERSION", "SDK", "STATUS", "FILE / REASON"
        );
        for entry in &self.report {
            let (status, detail) = match &entry.status {
                PluginStatus::Loaded => ("loaded", entry.file.clone()),
                PluginStatus::Refused(reason) => ("refused", format!("{}: {reason}", entry.file)),
            };
            out.push_str(&format!(
                "{:<14} {:<9} {:<7} {:<9} {}\n",
                entry.id.as_deref().unwrap_or("-"),
                entry.version.as_deref().unwrap_or("-"),
                entry.sdk_version.as_deref().unwrap_or("-"),
                status,
                detail
            ));
        }
        out
    }
}
