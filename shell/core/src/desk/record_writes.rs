//! The agent's own record edits (a note, a disposition) leave the window's thread:
//! the `record-writes` thread commits them one after the other, in the order the agent made
//! them, and the desk hears each outcome at its next pump (the window is woken). Meanwhile the
//! desk shows what the agent did, marked as saving; a refusal brings the value back with the
//! reason. Dropping the writer finishes what is queued, so nothing the agent saved is lost at
//! sign-out or exit.

use std::{
    sync::{Arc, Mutex, mpsc},
    thread::JoinHandle,
};

use switchboard_sdk::Timestamp;

use crate::backend::Waker;

/// One edit the agent made.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// The note of an interaction, and what it was before.
    Note {
        /// The interaction.
        interaction: String,
        /// The new text.
        text: String,
        /// The text before, shown again if the store refuses.
        previous: String,
        /// When.
        at: Timestamp,
    },
    /// The disposition of an interaction, and what it was before.
    Disposition {
        /// The interaction.
        interaction: String,
        /// The code chosen.
        code: String,
        /// The code before.
        previous: Option<String>,
        /// When.
        at: Timestamp,
    },
}

impl Edit {
    /// The interaction the edit was made in.
    pub fn interaction(&self) -> &str {
        match self {
            Edit::Note { interaction, .. } | Edit::Disposition { interaction, .. } => interaction,
        }
    }
}

/// An edit and whether the store took it.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    /// The edit.
    pub edit: Edit,
    /// Done, or why not.
    pub result: Result<(), String>,
}

/// The thread that commits the agent's edits.
pub struct RecordWriter {
    edits: Option<mpsc::Sender<Edit>>,
    written: mpsc::Receiver<Written>,
    in_flight: usize,
    waker: Arc<Mutex<Option<Waker>>>,
    worker: Option<JoinHandle<()>>,
}

impl RecordWriter {
    /// Starts the thread over `records`.
    pub fn start(records: Arc<dyn crate::store::Records>) -> Self {
        let (edits, queue) = mpsc::channel::<Edit>();
        let (done, written) = mpsc::channel();
        let waker: Arc<Mutex<Option<Waker>>> = Arc::default();
        let wake = waker.clone();
        let worker = std::thread::Builder::new()
            .name("record-writes".into())
            .spawn(move || {
                for edit in queue {
                    let result = commit(records.as_ref(), &edit).map_err(|e| e.to_string());
                    if let Err(e) = &result {
                        tracing::error!("an edit in {} was not saved: {e}", edit.interaction());
                    }
                    if done.send(Written { edit, result }).is_err() {
                        return;
                    }
                    if let Some(wake) = wake.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
                        wake();
                    }
                }
            })
            .ok();
        Self {
            edits: Some(edits),
            written,
            in_flight: 0,
            waker,
            worker,
        }
    }

    /// Wakes the window when an outcome is ready.
    pub fn set_waker(&self, waker: Waker) {
        *self.waker.lock().unwrap_or_else(|p| p.into_inner()) = Some(waker);
    }

    /// Queues an edit; its outcome comes from [`RecordWriter::take_written`].
    pub fn submit(&mut self, edit: Edit) {
        let sent = self.edits.as_ref().map(|edits| edits.send(edit));
        match sent {
            Some(Ok(())) => self.in_flight += 1,
            _ => tracing::error!("the record-writes thread is gone; an edit was not queued"),
        }
    }

    /// The outcomes that arrived, without waiting.
    pub fn take_written(&mut self) -> Vec<Written> {
        let written: Vec<Written> = self.written.try_iter().collect();
        self.in_flight -= written.len().min(self.in_flight);
        written
    }

    /// Waits until every queued edit is saved (or refused) and returns the outcomes.
    pub fn wait_written(&mut self) -> Vec<Written> {
        let mut written = Vec::new();
        while self.in_flight > 0 {
            match self.written.recv() {
                Ok(outcome) => {
                    written.push(outcome);
                    self.in_flight -= 1;
                }
                Err(_) => {
                    self.in_flight = 0;
                }
            }
        }
        written
    }
}

impl Drop for RecordWriter {
    fn drop(&mut self) {
        // Closing the queue lets the thread finish what is in it, then end.
        self.edits.take();
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

fn commit(
    records: &dyn crate::store::Records,
    edit: &Edit,
) -> Result<(), crate::store::StoreError> {
    match edit {
        Edit::Note {
            interaction,
            text,
            at,
            ..
        } => records.set_note(interaction, text, *at),
        Edit::Disposition {
            interaction,
            code,
            at,
            ..
        } => records.set_disposition(interaction, code, *at),
    }
}
