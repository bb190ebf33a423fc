//! Images made on the spot for tests, benchmarks and demo traffic: a photo-like picture of
//! any size, and hostile files (a PNG that declares an enormous size, a truncated JPEG, one
//! with an end marker appended).

use std::io::Cursor;

use image::{ImageFormat, RgbImage};

/// A photo-like picture (smooth gradients with texture) encoded as `format`.
///
/// # Panics
/// Never for JPEG and PNG, which encode any RGB picture.
pub fn picture(width: u32, height: u32, format: ImageFormat) -> Vec<u8> {
    let image = RgbImage::from_fn(width, height, |x, y| {
        let texture = ((x * 7 + y * 13) % 17) as u8;
        image::Rgb([
            ((x * 255) / width.max(1)) as u8 ^ texture,
            ((y * 255) / height.max(1)) as u8,
            (((x + y) * 255) / (width + height).max(1)) as u8 ^ (texture << 2),
        ])
    });
    let mut bytes = Vec::new();
    if let Err(e) = image.write_to(&mut Cursor::new(&mut bytes), format) {
        panic!("encoding a sample picture as {format:?}: {e}");
    }
    bytes
}

/// A valid tiny PNG whose header declares `width`×`height` pixels: a decompression bomb.
pub fn png_declaring(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = picture(1, 1, ImageFormat::Png);
    // IHDR's data starts at byte 16: width then height, big-endian; its CRC follows at 29.
    bytes[16..20].copy_from_slice(&width.to_be_bytes());
    bytes[20..24].copy_from_slice(&height.to_be_bytes());
    let crc = crc32(&bytes[12..29]);
    bytes[29..33].copy_from_slice(&crc.to_be_bytes());
    bytes
}

/// The first half of a JPEG: a photo cut off in transit.
pub fn truncated_jpeg() -> Vec<u8> {
    let mut bytes = picture(320, 240, ImageFormat::Jpeg);
    bytes.truncate(bytes.len() / 2);
    bytes
}

/// The first half of a JPEG with an end marker appended: a cut photo made to look whole
/// (`head -c N photo.jpg; printf '\xff\xd9'`).
pub fn cut_jpeg_with_end_marker() -> Vec<u8> {
    let mut bytes = truncated_jpeg();
    bytes.extend_from_slice(&[0xFF, 0xD9]);
    bytes
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}
