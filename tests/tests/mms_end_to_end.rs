//! MMS through the webhook, the real host and the real `mms` library: two images fetched
//! (from a file and from a loopback HTTP store) become two thumbnails; a corrupt image and a
//! decompression bomb become resend notices without harming the rest; Save exists only for
//! roles with the save-images permission, and the host refuses it otherwise.

use switchboard_core::{
    desk::DeskError,
    media::{ImageFormat, samples},
};
use switchboard_sdk::Role;
use switchboard_tests::{
    World, config_with_role, counting_store::assert_none_on_the_window_thread, library, post_form,
    serve_once,
};

fn mms_world(role_lines: &str) -> World {
    let mut world = World::new(&[library("mms")], config_with_role(&["mms"], role_lines));
    world.ready_agent("mms");
    world
}

fn write_file(world: &World, name: &str, bytes: &[u8]) -> String {
    let path = world.dir.path().join(name);
    std::fs::write(&path, bytes).expect("write media file");
    format!("file://{}", path.display())
}

fn post_mms(world: &mut World, text: &str, media: &[(String, &str)]) -> u16 {
    let webhook = world.platform.start_webhook(0).expect("webhook");
    let count = media.len().to_string();
    let mut fields: Vec<(String, String)> = vec![
        ("From".into(), "+1 415 555 0142".into()),
        ("To".into(), "+1 555 0100".into()),
        ("Body".into(), text.into()),
        ("NumMedia".into(), count),
    ];
    for (i, (url, kind)) in media.iter().enumerate() {
        fields.push((format!("MediaUrl{i}"), url.clone()));
        fields.push((format!("MediaContentType{i}"), (*kind).to_owned()));
    }
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let (status, _) = post_form(webhook.address(), "/sms", &borrowed);
    world.desk.pump();
    status
}

#[test]
fn two_images_become_two_thumbnails() {
    let mut world = mms_world("");
    let photo = write_file(
        &world,
        "parcel.jpg",
        &samples::picture(1600, 1200, ImageFormat::Jpeg),
    );
    let served = serve_once(samples::picture(300, 600, ImageFormat::Png), "image/png");
    let status = post_mms(
        &mut world,
        "The box arrived crushed, see photos",
        &[(photo, "image/jpeg"), (served, "image/png")],
    );
    assert_eq!(status, 200);
    let offer = world.desk.offers().first().cloned().expect("offered");
    assert_eq!(offer.channel_id, "mms");
    let id = world.accept_first_offer();
    let attachments = world.desk.interaction(&id).expect("open").transcript[0]
        .attachments
        .clone();
    assert_eq!(attachments.len(), 2);
    let sizes: Vec<(u32, u32)> = attachments
        .iter()
        .map(|a| {
            let stored = world.looked_up(|desk| desk.attachment(&id, a.id));
            assert!(stored.problem.is_none(), "{:?}", stored.problem);
            let png = stored.thumbnail.as_ref().expect("thumbnail");
            let thumb = image::load_from_memory(png).expect("thumbnail decodes");
            (thumb.width(), thumb.height())
        })
        .collect();
    let open = world.desk.interaction(&id).expect("open");
    assert_eq!(sizes, [(160, 120), (80, 160)]);
    assert_eq!(attachments[0].name.as_str(), "parcel.jpg");
    let view = open.view.as_ref().expect("view");
    assert_eq!(view.header.subtitle.as_str(), "Inbound MMS · 2 images");

    // The agent answers by SMS; the reply closes the interaction.
    world.agent_sends(&id, "So sorry! A replacement ships today.");
    assert_eq!(world.platform.gateway_sent().len(), 1);
    assert!(world.desk.interaction(&id).is_none());
}

#[test]
fn corrupt_cut_and_bomb_images_ask_for_a_resend_and_the_rest_works() {
    let mut world = mms_world("");
    let good = write_file(
        &world,
        "ok.png",
        &samples::picture(64, 64, ImageFormat::Png),
    );
    let corrupt = write_file(&world, "cut.jpg", &samples::truncated_jpeg());
    let made_to_look_whole = write_file(
        &world,
        "cut-marked.jpg",
        &samples::cut_jpeg_with_end_marker(),
    );
    let bomb = write_file(
        &world,
        "bomb.png",
        &samples::png_declaring(100_000, 100_000),
    );
    let status = post_mms(
        &mut world,
        "Four photos",
        &[
            (good, "image/png"),
            (corrupt, "image/jpeg"),
            (made_to_look_whole, "image/jpeg"),
            (bomb, "image/png"),
        ],
    );
    assert_eq!(status, 200);
    world.desk_store.take_by_thread();
    let id = world.accept_first_offer();
    let calls = world.desk_store.take_by_thread();
    assert_none_on_the_window_thread(&calls);
    let open = world.desk.interaction(&id).expect("open");
    let notices: Vec<String> = open
        .transcript
        .iter()
        .filter(|e| e.role() == Some(Role::System))
        .map(|e| e.text.to_string())
        .collect();
    assert_eq!(notices.len(), 3, "{notices:?}");
    assert!(
        notices[0].starts_with("Image 2 (cut.jpg) cannot be shown: it is corrupt or truncated")
    );
    assert!(
        notices[1]
            .starts_with("Image 3 (cut-marked.jpg) cannot be shown: it is corrupt or truncated"),
        "{notices:?}"
    );
    assert!(notices[2].contains("Image 4 (bomb.png) cannot be shown: it declares 100000×100000"));
    assert!(
        notices
            .iter()
            .all(|n| n.ends_with("Ask the contact to send it again."))
    );
    let toasts: Vec<&str> = world
        .desk
        .toasts()
        .iter()
        .map(|t| t.text.as_str())
        .collect();
    assert_eq!(
        toasts
            .iter()
            .filter(|t| t.contains("cannot be shown"))
            .count(),
        3,
        "{toasts:?}"
    );
    let first = open.transcript[0].attachments[0].id;
    let good = world.looked_up(|desk| desk.attachment(&id, first));
    assert!(good.thumbnail.is_some());
    world.agent_sends(&id, "Could you send photos 2 and 3 again?");
    assert!(world.desk.interaction(&id).is_none(), "reply still works");
}

#[test]
fn save_needs_the_permission() {
    for (role_lines, allowed) in [("", false), ("permissions = [\"save-images\"]", true)] {
        let mut world = mms_world(role_lines);
        let photo = write_file(
            &world,
            "receipt.png",
            &samples::picture(40, 30, ImageFormat::Png),
        );
        post_mms(&mut world, "Receipt attached", &[(photo, "image/png")]);
        let id = world.accept_first_offer();
        let attachment = world.desk.interaction(&id).expect("open").transcript[0].attachments[0].id;
        assert_eq!(world.desk.may_save_images(&id), allowed);
        let target = world.dir.path().join("saved.png");
        let saved = world.desk.save_attachment(&id, attachment, &target);
        if allowed {
            saved.expect("saved");
            assert!(
                std::fs::read(&target)
                    .expect("file")
                    .starts_with(b"\x89PNG")
            );
        } else {
            assert!(matches!(saved, Err(DeskError::NotPermitted(_))));
            assert!(!target.exists());
        }
    }
}
