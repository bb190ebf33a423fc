//! The whatsapp plugin, a channel built only from the plugin kit, through the webhook, the real
//! host and its library: a message with a photo from a WhatsApp address opens a conversation
//! routed like any other media type; the reply is delivered then read (the read receipt shows on
//! the message); later messages join the conversation; after 24 hours without a customer
//! message the reply box closes and only templates go. And the shell never names the channel.

use std::path::Path;

use switchboard_core::media::{ImageFormat, samples};
use switchboard_sdk::{DeliveryStatus, Role};
use switchboard_tests::{World, config_with_channels, library, post_form};

const CUSTOMER: &str = "whatsapp:+447700900555";

fn whatsapp_world() -> World {
    let mut world = World::new(&[library("whatsapp")], config_with_channels(&["whatsapp"]));
    world.ready_agent("whatsapp");
    world
}

fn post(world: &mut World, fields: &[(&str, &str)]) {
    let webhook = world.platform.start_webhook(0).expect("webhook");
    let (status, _) = post_form(webhook.address(), "/sms", fields);
    assert_eq!(status, 200);
    world.desk.pump();
}

#[test]
fn a_whatsapp_conversation_with_a_photo_a_read_reply_and_the_24_hour_window() {
    let mut world = whatsapp_world();
    let photo = world.dir.path().join("board.jpg");
    std::fs::write(&photo, samples::picture(800, 600, ImageFormat::Jpeg)).expect("photo");
    let url = format!("file://{}", photo.display());
    post(
        &mut world,
        &[
            ("From", CUSTOMER),
            ("To", "whatsapp:+15550100"),
            ("Body", "Is this the right revision?"),
            ("NumMedia", "1"),
            ("MediaUrl0", &url),
            ("MediaContentType0", "image/jpeg"),
        ],
    );
    let offer = world.desk.offers().first().cloned().expect("offered");
    assert_eq!(offer.channel_id, "whatsapp");
    let id = world.accept_first_offer();
    let open = world.desk.interaction(&id).expect("open");
    assert_eq!(open.row.media_type, "whatsapp");
    let thumbnail = open.transcript[0].attachments[0].id;
    let stored = world.looked_up(|desk| desk.attachment(&id, thumbnail));
    let open = world.desk.interaction(&id).expect("open");
    assert!(
        stored.thumbnail.is_some(),
        "thumbnailed like any image: {:?}",
        stored.problem
    );
    let view = open.view.as_ref().expect("view");
    assert!(view.composer.enabled);
    assert!(view.badges.iter().any(|b| b.text == "1 image"));

    // The reply is delivered, then read 20 seconds later.
    world.desk.interaction_mut(&id).expect("open").draft = "Yes, that is revision C.".into();
    world.desk.send(&id).expect("send");
    world.desk.settle();
    world.desk.pump();
    let sent = world.platform.gateway_sent();
    assert_eq!(sent.last().map(|s| s.to.as_str()), Some(CUSTOMER));
    let reply_status = |world: &World| {
        world
            .desk
            .interaction(&id)
            .expect("open")
            .transcript
            .iter()
            .rfind(|e| e.role() == Some(Role::Agent))
            .and_then(|e| e.status.as_enum().ok().cloned())
    };
    assert_eq!(reply_status(&world), Some(DeliveryStatus::Delivered));
    world.advance_seconds(20);
    assert_eq!(reply_status(&world), Some(DeliveryStatus::Read));

    // A later message joins the same conversation.
    post(
        &mut world,
        &[("From", CUSTOMER), ("Body", "Great, thanks!")],
    );
    assert!(world.desk.offers().is_empty(), "no new interaction");
    assert_eq!(
        world.texts(&id).last().map(String::as_str),
        Some("Great, thanks!")
    );

    // 24 hours on, the reply box is closed and says why; a template still goes.
    world.advance_seconds(24 * 3600 + 60);
    let view = world
        .desk
        .interaction(&id)
        .and_then(|o| o.view.clone())
        .expect("view");
    assert!(!view.composer.enabled);
    assert!(view.composer.hint.contains("only approved templates"));
    // A view part of SDK 1.7, through the library's ABI: a banner across the conversation.
    let parts = &world.desk.interaction(&id).expect("open").view_parts;
    assert!(
        matches!(&parts[..], [switchboard_sdk::ViewPart::Banner { text, .. }]
            if text.contains("window is closed")),
        "{parts:?}"
    );
    world
        .desk
        .action(&id, "template:follow-up")
        .expect("template action");
    world.desk.settle();
    assert!(
        world
            .platform
            .gateway_sent()
            .last()
            .is_some_and(|s| s.body.starts_with("Hello Amira") || s.body.starts_with("Hello there"))
    );
}

/// Every file under `folder` whose name ends with one of `extensions`.
fn source_files(folder: &Path, extensions: &[&str], found: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(folder).expect("read folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            source_files(&path, extensions, found);
        } else if extensions
            .iter()
            .any(|e| path.extension().is_some_and(|x| x == *e))
        {
            found.push(path);
        }
    }
}

#[test]
fn no_line_of_the_shell_names_the_whatsapp_channel() {
    let shell = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shell");
    let mut files = Vec::new();
    source_files(&shell, &["rs", "toml", "ftl", "md"], &mut files);
    assert!(files.len() > 20, "the shell's sources were found");
    let mentions: Vec<String> = files
        .iter()
        .filter(|f| {
            std::fs::read_to_string(f)
                .expect("read source")
                .to_lowercase()
                .contains("whatsapp")
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(
        mentions.is_empty(),
        "the shell names the channel in {mentions:?}"
    );
}
