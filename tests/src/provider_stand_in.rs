//! A local stand-in for the SMS provider's API (`POST …/Messages.json`): it checks Basic
//! authentication, records each request's form, and answers from a script (then 201 with a
//! new message id), so tests drive 429s, 500s and refusals without the real service. A `GET`
//! is the provider's media store: it serves the media given, to the account only.

use std::{
    collections::VecDeque,
    io::{BufRead, BufReader, Read, Write},
    net::{SocketAddr, TcpListener},
    sync::{Arc, Mutex},
};

use base64::Engine as _;

/// One scripted answer: status and body.
#[derive(Debug, Clone)]
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// JSON body.
    pub body: String,
}

impl Answer {
    /// An answer with `status` and `body`.
    pub fn new(status: u16, body: &str) -> Self {
        Self {
            status,
            body: body.to_owned(),
        }
    }
}

/// A request the stand-in received.
#[derive(Debug, Clone)]
pub struct Received {
    /// Request path.
    pub path: String,
    /// Whether the Basic credentials were the account's.
    pub authenticated: bool,
    /// The form's fields, in order.
    pub form: Vec<(String, String)>,
}

impl Received {
    /// The first value of `name` in the form.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.form
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct State {
    media: Option<Vec<u8>>,
    script: VecDeque<Answer>,
    received: Vec<Received>,
    accepted: usize,
}

/// The running stand-in (a thread; it lives as long as the test process).
pub struct ProviderStandIn {
    address: SocketAddr,
    state: Arc<Mutex<State>>,
}

impl ProviderStandIn {
    /// Starts a stand-in accepting `account_sid` / `auth_token`.
    pub fn start(account_sid: &str, auth_token: &str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the stand-in");
        let address = listener.local_addr().expect("address");
        let state = Arc::new(Mutex::new(State::default()));
        let expected = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{account_sid}:{auth_token}"))
        );
        let shared = state.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let mut reader = BufReader::new(stream);
                let mut request_line = String::new();
                if reader.read_line(&mut request_line).is_err() {
                    continue;
                }
                let mut words = request_line.split_whitespace();
                let method = words.next().unwrap_or_default().to_owned();
                let path = words.next().unwrap_or_default().to_owned();
                let (mut length, mut authenticated) = (0usize, false);
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).is_err() || line.trim().is_empty() {
                        break;
                    }
                    let (name, value) = line.split_once(':').unwrap_or_default();
                    match name.trim().to_ascii_lowercase().as_str() {
                        "content-length" => length = value.trim().parse().unwrap_or(0),
                        "authorization" => authenticated = value.trim() == expected,
                        _ => {}
                    }
                }
                let mut body = vec![0u8; length];
                let _ = reader.read_exact(&mut body);
                let form = url::form_urlencoded::parse(&body).into_owned().collect();
                let answer = {
                    let mut state = shared.lock().unwrap_or_else(|p| p.into_inner());
                    if method == "GET" {
                        let (status, bytes) = match (&state.media, authenticated) {
                            (Some(bytes), true) => (200, bytes.clone()),
                            (None, true) => (404, Vec::new()),
                            (_, false) => (401, Vec::new()),
                        };
                        drop(state);
                        let mut stream = reader.into_inner();
                        let _ = write!(
                            stream,
                            "HTTP/1.1 {status} X\r\nContent-Type: image/png\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                            bytes.len()
                        );
                        let _ = stream.write_all(&bytes);
                        continue;
                    }
                    state.received.push(Received {
                        path,
                        authenticated,
                        form,
                    });
                    if !authenticated {
                        Answer::new(401, r#"{"code":20003,"message":"Authenticate"}"#)
                    } else if let Some(answer) = state.script.pop_front() {
                        answer
                    } else {
                        state.accepted += 1;
                        Answer::new(
                            201,
                            &format!(
                                r#"{{"sid":"SMstandin{}","status":"queued"}}"#,
                                state.accepted
                            ),
                        )
                    }
                };
                let mut stream = reader.into_inner();
                let _ = write!(
                    stream,
                    "HTTP/1.1 {} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
                    answer.status,
                    answer.body.len(),
                    answer.body
                );
            }
        });
        Self { address, state }
    }

    /// The base address to configure as the API's.
    pub fn base(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Answers the next requests with these, in order.
    pub fn script(&self, answers: &[Answer]) {
        self.lock().script.extend(answers.iter().cloned());
    }

    /// Serves `bytes` as the media store's item (to the account only).
    pub fn serve_media(&self, bytes: Vec<u8>) {
        self.lock().media = Some(bytes);
    }

    /// Every request so far.
    pub fn received(&self) -> Vec<Received> {
        self.lock().received.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}
