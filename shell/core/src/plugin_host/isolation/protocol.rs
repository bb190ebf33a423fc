//! What crosses the local socket between the shell and a plugin isolated in a child process:
//! one JSON line per message. The shell asks (an event, a view); while the plugin works it may
//! call host services, each answered before the plugin goes on; then its result comes back.

use std::io::{BufRead, Write};

use serde::{Deserialize, Serialize, de::DeserializeOwned};
use switchboard_sdk::{
    Command, Event, HostBox, HostError, LogLevel, Notification, Outbound, PluginError, SystemLine,
    Target, Timestamp, Translation, ViewModel, ViewPart,
};

/// Longest line either side accepts (a transcript with thumbnails can be large).
pub const MAX_LINE_BYTES: usize = 64 * 1024 * 1024;

/// From the shell to the child.
#[derive(Debug, Serialize, Deserialize)]
pub enum ToChild {
    /// Handle one event.
    Handle(Box<Event>),
    /// Describe an interaction.
    View(String),
    /// The parts of an interaction's view.
    ViewParts(String),
    /// The plugin's Fluent sources.
    Translations,
    /// The answer to the child's last host call.
    Answer(serde_json::Value),
}

/// From the child to the shell.
#[derive(Debug, Serialize, Deserialize)]
pub enum FromChild {
    /// The plugin was created, or why not.
    Created(Result<(), PluginError>),
    /// What an event led to.
    Commands(Result<Vec<Command>, PluginError>),
    /// A view.
    View(Result<ViewModel, PluginError>),
    /// View parts.
    Parts(Result<Vec<ViewPart>, PluginError>),
    /// Fluent sources.
    Translations(Vec<Translation>),
    /// The plugin calls a host service; the shell answers with [`ToChild::Answer`].
    HostCall(HostCall),
}

/// A host service call, with its arguments (see `switchboard_sdk::Host`).
#[derive(Debug, Serialize, Deserialize)]
#[allow(missing_docs)] // each variant is the host method of the same name
pub enum HostCall {
    Now,
    Log(LogLevel, String),
    StoreSystemLine(String, String),
    SendMessage(Outbound),
    Notify(Notification),
    SetTimer(String, String, Timestamp),
    CancelTimer(String, String),
    Transcript(String),
    CheckPermission(String),
    Contact(String),
    CaseData(String),
    Note(String),
    SetNote(String, String),
    Disposition(String),
    SetDisposition(String, String),
    History(String, String),
    Setting(String),
    Transfer(String, Target),
    NumberInfo(String),
    SaveAttachment(String, i64, String),
    DirectorySearch(String),
    CheckSpelling(String, String),
    StandardResponses(String, String),
    ScheduleCallback(String, String, Timestamp, String),
    Invite(String, Target, String),
    SetTyping(String, bool),
    PushUrl(String, String),
    DispositionLabel(String),
    Language,
    StoreTranslatedLine(String, SystemLine),
}

fn json<T: Serialize>(value: T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

fn answer<T: Serialize>(result: abi_stable::std_types::RResult<T, HostError>) -> serde_json::Value {
    json(result.into_result())
}

impl HostCall {
    /// Runs the call on the shell's host object (its checks and refusals included); the answer
    /// as JSON, for the child to read as the method's return type.
    pub fn run(self, host: &HostBox) -> serde_json::Value {
        use HostCall as C;
        match self {
            C::Now => json(host.now()),
            C::Log(level, message) => {
                host.log(level, message.as_str().into());
                serde_json::Value::Null
            }
            C::StoreSystemLine(i, text) => {
                answer(host.store_system_line(i.as_str().into(), text.as_str().into()))
            }
            C::SendMessage(outbound) => answer(host.send_message(outbound)),
            C::Notify(notification) => answer(host.notify(notification)),
            C::SetTimer(i, timer, at) => {
                answer(host.set_timer(i.as_str().into(), timer.as_str().into(), at))
            }
            C::CancelTimer(i, timer) => {
                answer(host.cancel_timer(i.as_str().into(), timer.as_str().into()))
            }
            C::Transcript(i) => answer(host.transcript(i.as_str().into())),
            C::CheckPermission(p) => answer(host.check_permission(p.as_str().into())),
            C::Contact(i) => answer(host.contact(i.as_str().into())),
            C::CaseData(i) => answer(host.case_data(i.as_str().into())),
            C::Note(i) => answer(host.note(i.as_str().into())),
            C::SetNote(i, text) => answer(host.set_note(i.as_str().into(), text.as_str().into())),
            C::Disposition(i) => answer(host.disposition(i.as_str().into())),
            C::SetDisposition(i, code) => {
                answer(host.set_disposition(i.as_str().into(), code.as_str().into()))
            }
            C::History(i, query) => answer(host.history(i.as_str().into(), query.as_str().into())),
            C::Setting(name) => answer(host.setting(name.as_str().into())),
            C::Transfer(i, target) => answer(host.transfer(i.as_str().into(), target)),
            C::NumberInfo(address) => answer(host.number_info(address.as_str().into())),
            C::SaveAttachment(i, attachment, path) => {
                answer(host.save_attachment(i.as_str().into(), attachment, path.as_str().into()))
            }
            C::DirectorySearch(query) => answer(host.directory_search(query.as_str().into())),
            C::CheckSpelling(i, text) => {
                answer(host.check_spelling(i.as_str().into(), text.as_str().into()))
            }
            C::StandardResponses(i, query) => {
                answer(host.standard_responses(i.as_str().into(), query.as_str().into()))
            }
            C::ScheduleCallback(i, number, due, note) => answer(host.schedule_callback(
                i.as_str().into(),
                number.as_str().into(),
                due,
                note.as_str().into(),
            )),
            C::Invite(i, target, purpose) => {
                answer(host.invite(i.as_str().into(), target, purpose.as_str().into()))
            }
            C::SetTyping(i, typing) => answer(host.set_typing(i.as_str().into(), typing)),
            C::PushUrl(i, url) => answer(host.push_url(i.as_str().into(), url.as_str().into())),
            C::DispositionLabel(i) => answer(host.disposition_label(i.as_str().into())),
            C::Language => json(host.language()),
            C::StoreTranslatedLine(i, line) => {
                answer(host.store_translated_line(i.as_str().into(), line))
            }
        }
    }
}

/// Writes one message as a line.
pub fn send<T: Serialize>(writer: &mut impl Write, message: &T) -> std::io::Result<()> {
    let mut line = serde_json::to_vec(message).map_err(std::io::Error::other)?;
    line.push(b'\n');
    writer.write_all(&line)?;
    writer.flush()
}

/// Reads one message; `UnexpectedEof` when the other side is gone.
pub fn receive<T: DeserializeOwned>(reader: &mut impl BufRead) -> std::io::Result<T> {
    let mut line = Vec::new();
    let read = std::io::Read::take(&mut *reader, MAX_LINE_BYTES as u64 + 1)
        .read_until(b'\n', &mut line)?;
    if read == 0 {
        return Err(std::io::ErrorKind::UnexpectedEof.into());
    }
    if line.len() > MAX_LINE_BYTES {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("a message over {MAX_LINE_BYTES} bytes"),
        ));
    }
    serde_json::from_slice(&line)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_sdk::{ConnectionState, Header, InvitationOutcome, Role, Tone};

    #[test]
    fn sdk_values_cross_as_json_lines_unchanged() {
        let event = Event::InvitationOutcome {
            interaction: "IM-1".into(),
            purpose: "consult".into(),
            target: Target {
                kind: "agent".into(),
                id: "marc".into(),
                name: "Marc".into(),
            },
            outcome: InvitationOutcome::Rejected {
                reason: "busy".into(),
            }
            .into(),
        };
        let view = ViewModel::new(Header::new(
            "Camille",
            "+33612345678",
            ConnectionState::Connected,
        ))
        .badges([switchboard_sdk::Badge::new("FR", Tone::Primary)]);
        let mut wire = Vec::new();
        send(&mut wire, &ToChild::Handle(Box::new(event.clone()))).expect("written");
        send(&mut wire, &FromChild::View(Ok(view.clone()))).expect("written");
        let mut reader = std::io::BufReader::new(wire.as_slice());
        match receive::<ToChild>(&mut reader).expect("read") {
            ToChild::Handle(read) => assert_eq!(*read, event),
            other => panic!("{other:?}"),
        }
        match receive::<FromChild>(&mut reader).expect("read") {
            FromChild::View(Ok(read)) => assert_eq!(read, view),
            other => panic!("{other:?}"),
        }
        let gone = receive::<ToChild>(&mut reader).expect_err("nothing more");
        assert_eq!(gone.kind(), std::io::ErrorKind::UnexpectedEof);
        let entry = switchboard_sdk::TranscriptEntry {
            id: 1,
            interaction: "SMS-1".into(),
            role: Role::Contact.into(),
            author: "Camille".into(),
            author_key: "contact".into(),
            time: Timestamp(0),
            text: "Bonjour".into(),
            attachments: Default::default(),
            status: switchboard_sdk::DeliveryStatus::Read.into(),
            provider_id: abi_stable::std_types::ROption::RSome("SM1".into()),
        };
        let json = serde_json::to_string(&entry).expect("written");
        let read: switchboard_sdk::TranscriptEntry = serde_json::from_str(&json).expect("read");
        assert_eq!(read, entry);
    }
}
