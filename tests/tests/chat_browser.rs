//! The customer's chat page in headless Chromium against the shell's embedded platform, the
//! agent's side driven through the real host and the real `chat` library: typing shows on both
//! sides, messages flow both ways, a pushed link appears as an invitation, End chat reaches the
//! page, and markup from either side is shown as text. Saves a screenshot of the page to
//! `target/screenshots/chat-page.png`.

use std::time::{Duration, Instant};

use switchboard_tests::{World, build_dir, config_with_role, library, webdriver::Browser};

fn chat_world() -> World {
    let config = config_with_role(&["chat"], "permissions = [\"push-url\"]");
    let mut world = World::new(&[library("chat")], config);
    world.ready_agent("chat");
    world
}

/// Pumps the desk until `done` holds: the page's requests arrive on the server's thread.
fn pump_until(world: &mut World, what: &str, done: impl Fn(&World) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !done(world) {
        assert!(Instant::now() < deadline, "the desk never saw {what}");
        std::thread::sleep(Duration::from_millis(20));
        world.desk.pump();
    }
}

fn typing_badge(world: &World, id: &str) -> bool {
    world
        .desk
        .interaction(id)
        .and_then(|o| o.view.as_ref())
        .is_some_and(|v| v.badges.iter().any(|b| b.text == "typing…"))
}

#[test]
fn a_customer_chats_in_chromium_with_the_agent() -> Result<(), String> {
    let mut world = chat_world();
    let server = world
        .platform
        .start_chat_page(0)
        .map_err(|e| e.to_string())?;
    let browser = Browser::start()?;
    browser.goto(&format!("http://{}/", server.address()))?;

    browser.type_into("#name", "Jordan <Lee>")?;
    browser.click("#start")?;
    browser.wait_until(
        "the conversation",
        "return !document.getElementById('conversation').hidden",
    )?;
    let payload = "<img src=x onerror=\"document.title='pwned'\"> is my order 48213 shipped?";
    browser.type_into("#message", payload)?;
    browser.click("#send")?;
    pump_until(&mut world, "the offer", |w| !w.desk.offers().is_empty());
    let id = world.accept_first_offer();
    let first = world.desk.interaction(&id).expect("open").transcript[0].clone();
    assert_eq!(
        first.text.as_str(),
        payload,
        "stored as the customer typed it"
    );
    assert_eq!(first.author.as_str(), "Jordan <Lee>");

    // The customer types: the agent sees "typing…".
    browser.type_into("#message", "Hello?")?;
    pump_until(&mut world, "the customer typing", |w| typing_badge(w, &id));

    // The agent types: the page says so.
    world.desk.interaction_mut(&id).expect("open").draft = "Let me".into();
    world.desk.composer_changed(&id);
    browser.wait_until(
        "the agent typing",
        "const t = document.getElementById('typing'); \
         return !t.hidden && t.textContent === 'Ada is typing…'",
    )?;

    let reply = "<b>Yes</b>, it left today <script>document.title='pwned'</script>";
    world.agent_sends(&id, reply);
    browser.wait_until(
        "the agent's reply as text",
        &format!(
            "return [...document.querySelectorAll('#log li.agent .bubble')]\
             .some(b => b.textContent === {})",
            serde_json::to_string(reply).map_err(|e| e.to_string())?
        ),
    )?;

    world
        .desk
        .push_url(&id, "https://shop.example/track/48213")
        .map_err(|e| e.to_string())?;
    browser.wait_until(
        "the pushed link",
        "const a = document.querySelector('.invitation a.open'); \
         return !!a && a.href === 'https://shop.example/track/48213' \
         && a.rel.includes('noopener')",
    )?;

    // Markup from either side stayed text: no element was made from it, no script ran.
    let safe = browser.run(
        "return document.title !== 'pwned' \
         && document.querySelectorAll('#log img, #log b, #log script').length === 0 \
         && [...document.querySelectorAll('#log .bubble')].some(b => b.textContent.startsWith('<img src=x'))",
    )?;
    assert_eq!(safe, serde_json::Value::Bool(true), "markup shown as text");

    browser.click("#send")?;
    pump_until(&mut world, "the customer's second message", |w| {
        w.texts(&id).last().map(String::as_str) == Some("Hello?")
    });
    browser.screenshot(
        &build_dir()
            .join("..")
            .join("screenshots")
            .join("chat-page.png"),
    )?;

    world.desk.action(&id, "end").map_err(|e| e.to_string())?;
    browser.wait_until(
        "the end of the chat",
        "return document.getElementById('message').disabled \
         && document.getElementById('status').textContent === 'This chat has ended.'",
    )?;
    Ok(())
}

/// A company's page carrying the widget of `chat`.
fn shop_page(chat: std::net::SocketAddr) -> String {
    format!(
        "<!doctype html><html><head><title>Shop</title></head><body><h1>Our shop</h1>\
         <script src=\"http://{chat}/widget.js\" defer></script></body></html>"
    )
}

/// Clicks the widget's button on the page shown and waits for its panel.
fn open_widget_panel(browser: &Browser) -> Result<(), String> {
    browser.wait_until(
        "the widget's button",
        "return document.getElementById('switchboard-chat-button') !== null",
    )?;
    browser.click("#switchboard-chat-button")?;
    browser.wait_until(
        "the chat panel",
        "return document.getElementById('switchboard-chat-frame') !== null",
    )
}

#[test]
fn the_widget_chats_from_an_allowed_site_and_is_refused_framing_on_another() -> Result<(), String> {
    let shop = switchboard_tests::Site::start();
    let elsewhere = switchboard_tests::Site::start();
    let allowed = shop.origin();
    let mut world = World::with_settings(
        &[library("chat")],
        config_with_role(&["chat"], ""),
        |settings| settings.allow_chat_widget_on(&allowed),
    );
    world.ready_agent("chat");
    let server = world
        .platform
        .start_chat_page(0)
        .map_err(|e| e.to_string())?;
    shop.set_page(shop_page(server.address()));
    elsewhere.set_page(shop_page(server.address()));
    let browser = Browser::start()?;

    // On the allowed site: the button opens the chat in a panel, and the chat works.
    browser.goto(&format!("{}/", shop.origin()))?;
    open_widget_panel(&browser)?;
    let screenshots = build_dir().join("../screenshots");
    let _ = std::fs::create_dir_all(&screenshots);
    browser.enter_frame("#switchboard-chat-frame")?;
    browser.wait_until(
        "the chat page in the panel",
        "return document.getElementById('name') !== null",
    )?;
    browser.type_into("#name", "Robin")?;
    browser.click("#start")?;
    browser.wait_until(
        "the conversation",
        "return !document.getElementById('conversation').hidden",
    )?;
    browser.type_into("#message", "Do you ship to Lyon?")?;
    browser.click("#send")?;
    pump_until(&mut world, "the widget's chat", |w| {
        !w.desk.offers().is_empty()
    });
    let id = world.accept_first_offer();
    assert_eq!(
        world.desk.interaction(&id).expect("open").transcript[0]
            .text
            .as_str(),
        "Do you ship to Lyon?"
    );
    world.agent_sends(&id, "We do, in two days.");
    browser.wait_until(
        "the agent's reply in the panel",
        "return [...document.querySelectorAll('#log .agent .bubble')]\
           .some(b => b.textContent === 'We do, in two days.')",
    )?;
    browser.leave_frames()?;
    browser.screenshot(&screenshots.join("chat-widget.png"))?;

    // On a site not allowed: the panel opens, but the browser refuses to show the chat in it.
    browser.goto(&format!("{}/", elsewhere.origin()))?;
    open_widget_panel(&browser)?;
    browser.enter_frame("#switchboard-chat-frame")?;
    let deadline = Instant::now() + Duration::from_secs(3);
    while Instant::now() < deadline {
        let shown = browser.run("return document.getElementById('name') !== null")?;
        assert_eq!(
            shown,
            serde_json::Value::Bool(false),
            "the chat was framed by another site"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(())
}
