//! The child process's side (`switchboard plugin-sandbox`): it loads the plugin library with
//! the same checks as the shell, creates the plugin with a host object whose every call crosses
//! the socket to the shell, and answers the shell's requests until the socket closes. A crash
//! here ends only this process.

use std::{
    io::{BufReader, Write},
    os::unix::net::UnixStream,
    path::Path,
    sync::{Arc, Mutex},
};

use serde::de::DeserializeOwned;
use switchboard_sdk::{
    ContactCard, Event_NE, HistoryEntry, Host, HostError, HostErrorKind, KeyValue, LogLevel,
    Misspelling, Notification, NumberInfo, Outbound, ResponseText, SystemLine, Target, Timestamp,
    TranscriptEntry,
    abi_stable::{
        sabi_trait::TD_Opaque,
        std_types::{RResult, RStr, RString, RVec},
    },
    host::Host_TO,
};

use super::protocol::{FromChild, HostCall, ToChild, receive, send};
use crate::plugin_host::load_library;

/// The socket to the shell, shared by the request loop and the host object.
struct Link {
    reader: BufReader<UnixStream>,
    writer: UnixStream,
}

/// The host object the isolated plugin holds: every call is a question to the shell.
#[derive(Clone)]
struct RemoteHost {
    link: Arc<Mutex<Link>>,
}

impl RemoteHost {
    /// Asks the shell and reads its answer as `T`; `None` when the shell is gone.
    fn ask<T: DeserializeOwned>(&self, call: HostCall) -> Option<T> {
        let mut link = self.link.lock().unwrap_or_else(|p| p.into_inner());
        send(&mut link.writer, &FromChild::HostCall(call)).ok()?;
        match receive::<ToChild>(&mut link.reader).ok()? {
            ToChild::Answer(value) => serde_json::from_value(value).ok(),
            _ => None,
        }
    }

    /// A host call returning a result: the shell's answer, or a failure saying it is gone.
    fn call<T: DeserializeOwned>(&self, call: HostCall) -> RResult<T, HostError> {
        self.ask::<Result<T, HostError>>(call)
            .unwrap_or_else(|| {
                Err(HostError::new(
                    HostErrorKind::Platform,
                    "the shell did not answer the isolated plugin",
                ))
            })
            .into()
    }
}

fn text(value: RStr<'_>) -> String {
    value.as_str().to_owned()
}

impl Host for RemoteHost {
    fn now(&self) -> Timestamp {
        self.ask(HostCall::Now).unwrap_or_default()
    }
    fn log(&self, level: LogLevel, message: RStr<'_>) {
        let _: Option<serde_json::Value> = self.ask(HostCall::Log(level, text(message)));
    }
    fn store_system_line(
        &self,
        interaction: RStr<'_>,
        line: RStr<'_>,
    ) -> RResult<TranscriptEntry, HostError> {
        self.call(HostCall::StoreSystemLine(text(interaction), text(line)))
    }
    fn send_message(&self, outbound: Outbound) -> RResult<TranscriptEntry, HostError> {
        self.call(HostCall::SendMessage(outbound))
    }
    fn notify(&self, notification: Notification) -> RResult<(), HostError> {
        self.call(HostCall::Notify(notification))
    }
    fn set_timer(
        &self,
        interaction: RStr<'_>,
        timer: RStr<'_>,
        at: Timestamp,
    ) -> RResult<(), HostError> {
        self.call(HostCall::SetTimer(text(interaction), text(timer), at))
    }
    fn cancel_timer(&self, interaction: RStr<'_>, timer: RStr<'_>) -> RResult<(), HostError> {
        self.call(HostCall::CancelTimer(text(interaction), text(timer)))
    }
    fn transcript(&self, interaction: RStr<'_>) -> RResult<RVec<TranscriptEntry>, HostError> {
        self.call(HostCall::Transcript(text(interaction)))
    }
    fn check_permission(&self, permission: RStr<'_>) -> RResult<(), HostError> {
        self.call(HostCall::CheckPermission(text(permission)))
    }
    fn contact(&self, interaction: RStr<'_>) -> RResult<ContactCard, HostError> {
        self.call(HostCall::Contact(text(interaction)))
    }
    fn case_data(&self, interaction: RStr<'_>) -> RResult<RVec<KeyValue>, HostError> {
        self.call(HostCall::CaseData(text(interaction)))
    }
    fn note(&self, interaction: RStr<'_>) -> RResult<RString, HostError> {
        self.call(HostCall::Note(text(interaction)))
    }
    fn set_note(&self, interaction: RStr<'_>, note: RStr<'_>) -> RResult<(), HostError> {
        self.call(HostCall::SetNote(text(interaction), text(note)))
    }
    fn disposition(&self, interaction: RStr<'_>) -> RResult<RString, HostError> {
        self.call(HostCall::Disposition(text(interaction)))
    }
    fn set_disposition(&self, interaction: RStr<'_>, code: RStr<'_>) -> RResult<(), HostError> {
        self.call(HostCall::SetDisposition(text(interaction), text(code)))
    }
    fn history(
        &self,
        interaction: RStr<'_>,
        query: RStr<'_>,
    ) -> RResult<RVec<HistoryEntry>, HostError> {
        self.call(HostCall::History(text(interaction), text(query)))
    }
    fn setting(&self, name: RStr<'_>) -> RResult<RString, HostError> {
        self.call(HostCall::Setting(text(name)))
    }
    fn transfer(&self, interaction: RStr<'_>, target: Target) -> RResult<(), HostError> {
        self.call(HostCall::Transfer(text(interaction), target))
    }
    fn number_info(&self, address: RStr<'_>) -> RResult<NumberInfo, HostError> {
        self.call(HostCall::NumberInfo(text(address)))
    }
    fn save_attachment(
        &self,
        interaction: RStr<'_>,
        attachment: i64,
        path: RStr<'_>,
    ) -> RResult<(), HostError> {
        self.call(HostCall::SaveAttachment(
            text(interaction),
            attachment,
            text(path),
        ))
    }
    fn directory_search(&self, query: RStr<'_>) -> RResult<RVec<Target>, HostError> {
        self.call(HostCall::DirectorySearch(text(query)))
    }
    fn check_spelling(
        &self,
        interaction: RStr<'_>,
        draft: RStr<'_>,
    ) -> RResult<RVec<Misspelling>, HostError> {
        self.call(HostCall::CheckSpelling(text(interaction), text(draft)))
    }
    fn standard_responses(
        &self,
        interaction: RStr<'_>,
        query: RStr<'_>,
    ) -> RResult<RVec<ResponseText>, HostError> {
        self.call(HostCall::StandardResponses(text(interaction), text(query)))
    }
    fn schedule_callback(
        &self,
        interaction: RStr<'_>,
        number: RStr<'_>,
        due: Timestamp,
        note: RStr<'_>,
    ) -> RResult<i64, HostError> {
        self.call(HostCall::ScheduleCallback(
            text(interaction),
            text(number),
            due,
            text(note),
        ))
    }
    fn invite(
        &self,
        interaction: RStr<'_>,
        target: Target,
        purpose: RStr<'_>,
    ) -> RResult<(), HostError> {
        self.call(HostCall::Invite(text(interaction), target, text(purpose)))
    }
    fn set_typing(&self, interaction: RStr<'_>, typing: bool) -> RResult<(), HostError> {
        self.call(HostCall::SetTyping(text(interaction), typing))
    }
    fn push_url(
        &self,
        interaction: RStr<'_>,
        url: RStr<'_>,
    ) -> RResult<TranscriptEntry, HostError> {
        self.call(HostCall::PushUrl(text(interaction), text(url)))
    }
    fn disposition_label(&self, interaction: RStr<'_>) -> RResult<RString, HostError> {
        self.call(HostCall::DispositionLabel(text(interaction)))
    }
    fn language(&self) -> RString {
        self.ask(HostCall::Language)
            .unwrap_or_else(|| switchboard_sdk::host::FALLBACK_LANGUAGE.into())
    }
    fn store_translated_line(
        &self,
        interaction: RStr<'_>,
        line: SystemLine,
    ) -> RResult<TranscriptEntry, HostError> {
        self.call(HostCall::StoreTranslatedLine(text(interaction), line))
    }
}

/// Runs the plugin in `library` for the shell listening on `socket`, until the shell closes
/// the socket. Errors name what failed (the shell logs this process's standard error).
pub fn run(socket: &Path, library: &Path) -> Result<(), String> {
    let stream = UnixStream::connect(socket)
        .map_err(|e| format!("cannot reach the shell at {}: {e}", socket.display()))?;
    let reader = BufReader::new(
        stream
            .try_clone()
            .map_err(|e| format!("cannot share the socket: {e}"))?,
    );
    let link = Arc::new(Mutex::new(Link {
        reader,
        writer: stream,
    }));
    let answer = |message: FromChild| -> Result<(), String> {
        let mut link = link.lock().unwrap_or_else(|p| p.into_inner());
        send(&mut link.writer, &message).map_err(|e| format!("cannot answer the shell: {e}"))
    };
    let module = match load_library(library) {
        Ok((module, _)) => module,
        Err(e) => {
            let refusal = switchboard_sdk::PluginError::new(
                switchboard_sdk::PluginErrorKind::Other,
                e.to_string(),
            );
            return answer(FromChild::Created(Err(refusal)));
        }
    };
    let host = Host_TO::from_value(RemoteHost { link: link.clone() }, TD_Opaque);
    let mut plugin = match module.create()(host).into_result() {
        Ok(plugin) => {
            answer(FromChild::Created(Ok(())))?;
            plugin
        }
        Err(e) => return answer(FromChild::Created(Err(e))),
    };
    loop {
        let request = {
            let mut link = link.lock().unwrap_or_else(|p| p.into_inner());
            match receive::<ToChild>(&mut link.reader) {
                Ok(request) => request,
                // The shell closed the socket: the end.
                Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(()),
                Err(e) => return Err(format!("cannot read the shell's request: {e}")),
            }
        };
        let reply = match request {
            ToChild::Handle(event) => {
                FromChild::Commands(plugin.handle(Event_NE::new(*event)).into_result().map(
                    |commands| {
                        commands
                            .into_iter()
                            .filter_map(|c| c.into_enum().ok())
                            .collect()
                    },
                ))
            }
            ToChild::View(interaction) => {
                FromChild::View(plugin.view(interaction.as_str().into()).into_result())
            }
            ToChild::ViewParts(interaction) => FromChild::Parts(
                plugin
                    .view_parts(interaction.as_str().into())
                    .into_result()
                    .map(|parts| {
                        parts
                            .into_iter()
                            .filter_map(|p| p.into_enum().ok())
                            .collect()
                    }),
            ),
            ToChild::Translations => FromChild::Translations(plugin.translations().into_vec()),
            ToChild::Answer(_) => return Err("an answer came with no question".into()),
        };
        answer(reply)?;
        let _ = std::io::stderr().flush();
    }
}
