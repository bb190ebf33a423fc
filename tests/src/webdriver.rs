//! Just enough WebDriver to drive Debian's headless Chromium through `chromedriver` in the
//! browser tests: open a page, type, click, read text, run a script, take a screenshot.
//!
//! Eight endpoints over the HTTP client the workspace already builds (ureq): a full WebDriver
//! crate would add its HTTP stack to every CI build for these few calls.

use std::{
    net::TcpListener,
    path::Path,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use base64::Engine as _;
use serde_json::{Value, json};

/// The key WebDriver gives element references.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// Chromium's flags for a closed machine: headless, no sandbox (root), no background
/// connections.
pub const CHROMIUM_FLAGS: [&str; 7] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

/// A headless Chromium session; dropping it ends the session and the driver.
pub struct Browser {
    driver: Child,
    base: String,
    agent: ureq::Agent,
    profile: tempfile::TempDir,
}

fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(listener.local_addr().map_err(|e| e.to_string())?.port())
}

impl Browser {
    /// Starts `chromedriver` and a headless Chromium session.
    pub fn start() -> Result<Self, String> {
        for tool in ["/usr/bin/chromium", "/usr/bin/chromedriver"] {
            if !Path::new(tool).exists() {
                return Err(format!(
                    "{tool} is missing: apt-get install chromium chromium-driver (.ci/run does)"
                ));
            }
        }
        let port = free_port()?;
        let driver = Command::new("/usr/bin/chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start chromedriver: {e}"))?;
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(30)))
            .build()
            .into();
        let profile = tempfile::tempdir().map_err(|e| e.to_string())?;
        let mut browser = Self {
            driver,
            base: format!("http://127.0.0.1:{port}"),
            agent,
            profile,
        };
        browser.wait_for_driver()?;
        let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|f| (*f).to_owned()).collect();
        args.push(format!(
            "--user-data-dir={}",
            browser.profile.path().display()
        ));
        args.push("--window-size=900,900".into());
        let session = browser.call(
            "POST",
            "/session",
            json!({"capabilities": {"alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": args}
            }}}),
        )?;
        let id = session["sessionId"]
            .as_str()
            .ok_or_else(|| format!("no session: {session}"))?;
        browser.base = format!("{}/session/{id}", browser.base);
        Ok(browser)
    }

    fn wait_for_driver(&self) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            let ready = self
                .agent
                .get(format!("{}/status", self.base))
                .call()
                .ok()
                .and_then(|mut r| r.body_mut().read_to_string().ok())
                .is_some_and(|body| body.contains("\"ready\":true"));
            if ready {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Err("chromedriver did not become ready in 20 s".into())
    }

    /// One WebDriver call; returns its `value`, or the driver's error message.
    fn call(&self, method: &str, path: &str, body: Value) -> Result<Value, String> {
        let url = format!("{}{path}", self.base);
        let response = match method {
            "GET" => self.agent.get(&url).call(),
            "DELETE" => self.agent.delete(&url).call(),
            _ => self
                .agent
                .post(&url)
                .header("Content-Type", "application/json")
                .send(body.to_string()),
        };
        let mut response = response.map_err(|e| format!("{method} {path}: {e}"))?;
        let text = response
            .body_mut()
            .read_to_string()
            .map_err(|e| format!("{method} {path}: {e}"))?;
        let reply: Value =
            serde_json::from_str(&text).map_err(|e| format!("{method} {path}: {e}: {text}"))?;
        let value = reply["value"].clone();
        if let Some(error) = value.get("error") {
            return Err(format!("{method} {path}: {error}: {}", value["message"]));
        }
        Ok(value)
    }

    /// Opens a page.
    pub fn goto(&self, url: &str) -> Result<(), String> {
        self.call("POST", "/url", json!({ "url": url })).map(drop)
    }

    fn element(&self, css: &str) -> Result<String, String> {
        let found = self.call(
            "POST",
            "/element",
            json!({"using": "css selector", "value": css}),
        )?;
        found[ELEMENT_KEY]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| format!("no element {css}: {found}"))
    }

    /// Types into the element `css` (keys as a user would press them).
    pub fn type_into(&self, css: &str, text: &str) -> Result<(), String> {
        let element = self.element(css)?;
        self.call(
            "POST",
            &format!("/element/{element}/value"),
            json!({ "text": text }),
        )
        .map(drop)
    }

    /// Clicks the element `css`.
    pub fn click(&self, css: &str) -> Result<(), String> {
        let element = self.element(css)?;
        self.call("POST", &format!("/element/{element}/click"), json!({}))
            .map(drop)
    }

    /// Moves into the frame `css` (an iframe of the current page): what follows acts on its
    /// document.
    pub fn enter_frame(&self, css: &str) -> Result<(), String> {
        let element = self.element(css)?;
        self.call(
            "POST",
            "/frame",
            json!({ "id": { (ELEMENT_KEY): element } }),
        )
        .map(drop)
    }

    /// Back to the top page.
    pub fn leave_frames(&self) -> Result<(), String> {
        self.call("POST", "/frame", json!({ "id": null })).map(drop)
    }

    /// Runs a script in the page and returns what it returns.
    pub fn run(&self, script: &str) -> Result<Value, String> {
        self.call(
            "POST",
            "/execute/sync",
            json!({"script": script, "args": []}),
        )
    }

    /// Waits (up to 10 s of wall time: the browser is another process) until `script`
    /// returns true.
    pub fn wait_until(&self, what: &str, script: &str) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if self.run(script)? == Value::Bool(true) {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!("the page never showed {what}"));
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// Saves a screenshot of the page as PNG.
    pub fn screenshot(&self, path: &Path) -> Result<(), String> {
        let encoded = self.call("GET", "/screenshot", Value::Null)?;
        let encoded = encoded.as_str().ok_or("no screenshot")?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .map_err(|e| format!("screenshot: {e}"))?;
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder).map_err(|e| e.to_string())?;
        }
        std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.call("DELETE", "", Value::Null);
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
