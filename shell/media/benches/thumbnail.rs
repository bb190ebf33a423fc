//! Thumbnailing a 12-megapixel JPEG (4000×3000, a phone photo's size): the whole check and the
//! 160-pixel PNG the transcript shows. Target: under 150 ms.

use switchboard_media::{ImageFormat, MediaLimits, samples, thumbnail};

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 10)]
fn jpeg_12_megapixels(bencher: divan::Bencher) {
    let bytes = samples::picture(4000, 3000, ImageFormat::Jpeg);
    bencher.bench(|| {
        thumbnail(
            divan::black_box(&bytes),
            "image/jpeg",
            MediaLimits::default(),
        )
    });
}
