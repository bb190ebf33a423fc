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
