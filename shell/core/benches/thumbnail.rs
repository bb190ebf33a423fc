//! Thumbnailing a 12-megapixel JPEG (4000×3000, a phone photo's size): the whole check and the
//! 160-pixel PNG the transcript shows. Target: under 150 ms.

use std::io::Cursor;

use image::{ImageFormat, RgbImage};
use switchboard_core::media::{MediaLimits, thumbnail};

fn main() {
    divan::main();
}

fn photo(width: u32, height: u32) -> Vec<u8> {
    // Smooth gradients with some texture, so the JPEG has a realistic amount of detail.
    let image = RgbImage::from_fn(width, height, |x, y| {
        let texture = ((x * 7 + y * 13) % 17) as u8;
        image::Rgb([
            (x * 255 / width) as u8 ^ texture,
            (y * 255 / height) as u8,
            ((x + y) * 255 / (width + height)) as u8 ^ (texture << 2),
        ])
    });
    let mut bytes = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Jpeg)
        .expect("encode");
    bytes
}

#[divan::bench(sample_count = 10)]
fn jpeg_12_megapixels(bencher: divan::Bencher) {
    let bytes = photo(4000, 3000);
    bencher.bench(|| {
        thumbnail(
            divan::black_box(&bytes),
            "image/jpeg",
            MediaLimits::default(),
        )
    });
}
