//! Media checks against real encoded images and hostile ones.

use image::ImageFormat;

use super::*;

fn encoded(width: u32, height: u32, format: ImageFormat) -> Vec<u8> {
    samples::picture(width, height, format)
}

fn png_bomb(width: u32, height: u32) -> Vec<u8> {
    samples::png_declaring(width, height)
}

#[test]
fn jpeg_and_png_get_a_bounded_thumbnail() {
    for format in [ImageFormat::Jpeg, ImageFormat::Png] {
        let thumb = thumbnail(
            &encoded(640, 480, format),
            "image/x",
            MediaLimits::default(),
        )
        .expect("valid image");
        assert_eq!((thumb.width, thumb.height), (160, 120));
        assert!(thumb.png.starts_with(b"\x89PNG"));
    }
}

#[test]
fn decompression_bomb_is_refused_by_its_declared_size() {
    let problem = thumbnail(
        &png_bomb(100_000, 100_000),
        "image/png",
        MediaLimits::default(),
    )
    .expect_err("bomb");
    assert_eq!(
        problem,
        MediaProblem::TooManyPixels {
            width: 100_000,
            height: 100_000
        }
    );
}

#[test]
fn allocation_limit_applies_below_the_side_limit() {
    let limits = MediaLimits {
        max_alloc: 1024 * 1024,
        ..MediaLimits::default()
    };
    let problem = thumbnail(&png_bomb(10_000, 10_000), "image/png", limits).expect_err("bomb");
    assert!(
        matches!(problem, MediaProblem::TooManyPixels { .. }),
        "{problem:?}"
    );
}

#[test]
fn truncated_and_corrupt_images_are_refused() {
    for format in [ImageFormat::Jpeg, ImageFormat::Png] {
        let whole = encoded(320, 240, format);
        let truncated = &whole[..whole.len() / 2];
        assert!(
            matches!(
                thumbnail(truncated, "image/x", MediaLimits::default()),
                Err(MediaProblem::Corrupt(_))
            ),
            "{format:?} truncated"
        );
        let mut corrupt = whole.clone();
        for byte in corrupt.iter_mut().skip(40).step_by(7) {
            *byte = !*byte;
        }
        assert!(
            thumbnail(&corrupt, "image/x", MediaLimits::default()).is_err(),
            "{format:?} corrupt"
        );
    }
}

#[test]
fn unsupported_and_oversized_files_are_refused() {
    assert!(matches!(
        thumbnail(
            b"%PDF-1.7 not an image",
            "application/pdf",
            MediaLimits::default()
        ),
        Err(MediaProblem::Unsupported(_))
    ));
    let limits = MediaLimits {
        max_bytes: 1024,
        ..MediaLimits::default()
    };
    assert!(matches!(
        thumbnail(&encoded(320, 240, ImageFormat::Png), "image/png", limits),
        Err(MediaProblem::TooLarge { .. })
    ));
}

#[test]
fn an_image_within_the_side_limit_but_over_the_pixel_limit_is_refused_before_decoding() {
    // 11000 × 11000 is under the 12000 side limit but 121 megapixels: about 360 MB to decode.
    let problem = thumbnail(
        &png_bomb(11_000, 11_000),
        "image/png",
        MediaLimits::default(),
    )
    .expect_err("refused");
    assert_eq!(
        problem,
        MediaProblem::TooManyPixels {
            width: 11_000,
            height: 11_000
        }
    );
    let twelve_megapixels = encoded(4_000, 3_000, ImageFormat::Jpeg);
    assert!(
        thumbnail(&twelve_megapixels, "image/jpeg", MediaLimits::default()).is_ok(),
        "a 12-megapixel photo still passes"
    );
}

#[test]
fn a_cut_jpeg_with_an_end_marker_appended_is_refused_as_cut_short() {
    // `head -c N photo.jpg; printf '\xff\xd9'`: the end marker is there, the scan is not.
    for cut_at in [3, 2] {
        let whole = encoded(640, 480, ImageFormat::Jpeg);
        let mut cut = whole[..whole.len() / cut_at].to_vec();
        cut.extend_from_slice(&[0xFF, 0xD9]);
        let problem = thumbnail(&cut, "image/jpeg", MediaLimits::default()).map(|_| "a thumbnail");
        assert!(
            matches!(problem, Err(MediaProblem::Corrupt(_))),
            "cut at 1/{cut_at}: {problem:?}"
        );
    }
}

#[test]
fn whole_jpegs_in_colour_and_in_grey_still_pass() {
    let colour = encoded(640, 480, ImageFormat::Jpeg);
    let made = thumbnail(&colour, "image/jpeg", MediaLimits::default()).expect("colour");
    assert_eq!((made.width, made.height), (THUMBNAIL_SIDE, 120));
    let grey = image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(64, 48, |x, _| {
        image::Rgb([x as u8 * 4; 3])
    }))
    .into_luma8();
    let mut bytes = Vec::new();
    grey.write_to(&mut std::io::Cursor::new(&mut bytes), ImageFormat::Jpeg)
        .expect("grey jpeg");
    let made = thumbnail(&bytes, "image/jpeg", MediaLimits::default()).expect("grey");
    assert_eq!((made.width, made.height), (THUMBNAIL_SIDE, 120));
}

#[test]
fn jpegs_of_every_shape_pass_whole_and_are_refused_cut_anywhere() {
    let flat = |width: u32, height: u32| {
        let mut bytes = Vec::new();
        image::RgbImage::from_pixel(width, height, image::Rgb([40, 90, 200]))
            .write_to(&mut std::io::Cursor::new(&mut bytes), ImageFormat::Jpeg)
            .expect("flat jpeg");
        bytes
    };
    let shapes = [
        (1, 1),
        (8, 8),
        (16, 16),
        (17, 33),
        (100, 7),
        (7, 300),
        (640, 480),
    ];
    for (width, height) in shapes {
        for whole in [
            encoded(width, height, ImageFormat::Jpeg),
            flat(width, height),
        ] {
            assert!(
                thumbnail(&whole, "image/jpeg", MediaLimits::default()).is_ok(),
                "{width}×{height} whole"
            );
        }
    }
    let whole = encoded(800, 600, ImageFormat::Jpeg);
    for tenth in 2..10 {
        let mut cut = whole[..whole.len() * tenth / 10].to_vec();
        cut.extend_from_slice(&[0xFF, 0xD9]);
        assert!(
            matches!(
                thumbnail(&cut, "image/jpeg", MediaLimits::default()),
                Err(MediaProblem::Corrupt(_))
            ),
            "cut at {tenth}/10"
        );
    }
}

#[test]
fn the_demo_camera_photos_pass_and_the_cut_one_fails_even_with_an_end_marker() {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo/media");
    let read = |name: &str| std::fs::read(folder.join(name)).expect("demo photo");
    for name in ["board.jpg", "board-jumpers.jpg"] {
        let limits = MediaLimits {
            max_bytes: 64 * 1024 * 1024,
            ..MediaLimits::default()
        };
        let made = thumbnail(&read(name), "image/jpeg", limits).map(|_| ());
        assert!(made.is_ok(), "{name}: {made:?}");
    }
    let mut cut = read("board-cut.jpg");
    cut.extend_from_slice(&[0xFF, 0xD9]);
    assert!(matches!(
        thumbnail(&cut, "image/jpeg", MediaLimits::default()),
        Err(MediaProblem::Corrupt(_))
    ));
    // board.jpg is progressive: cut inside any of its scans, it is refused too.
    let whole = read("board.jpg");
    for twentieth in 1..20 {
        let mut cut = whole[..whole.len() * twentieth / 20].to_vec();
        cut.extend_from_slice(&[0xFF, 0xD9]);
        assert!(
            matches!(
                thumbnail(&cut, "image/jpeg", MediaLimits::default()),
                Err(MediaProblem::Corrupt(_))
            ),
            "progressive cut at {twentieth}/20"
        );
    }
}
