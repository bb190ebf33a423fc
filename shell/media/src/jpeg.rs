//! JPEG decoding that refuses a photo cut short. Decoders fill what is missing after an end
//! marker with zeros (grey rows, or a blurred progressive picture), so a cut file with the
//! marker appended (`head -c N photo.jpg; printf '\xff\xd9'`) passes the end-marker check and
//! decodes "fine". Here one-bits are put just before the end marker: a whole picture never
//! reads them; a cut one does, and a run of one-bits is no valid Huffman code, so a strict
//! decode fails. One decode in the usual case. A file the strict decoder dislikes for another
//! reason (stray bytes between segments, which some cameras write) is decoded leniently twice,
//! with and without the one-bits: a whole picture comes out the same, a cut one does not.

use std::hash::{Hash, Hasher};

use image::{DynamicImage, GrayImage, RgbImage};
use zune_core::{bytestream::ZCursor, colorspace::ColorSpace, options::DecoderOptions};
use zune_jpeg::JpegDecoder;

use super::MediaProblem;

/// Stuffed 0xFF bytes (`FF 00`, all one-bits to the decoder) put before the end marker for
/// the second decode: more than the decoder reads ahead, so a whole picture never decodes them.
const ONES: [u8; 2] = [0xFF, 0x00];
const ONES_REPEATED: usize = 16;

/// Decodes every pixel of `bytes`, at most `max_side` pixels a side, or says why not.
pub(super) fn decode_whole(bytes: &[u8], max_side: u32) -> Result<DynamicImage, MediaProblem> {
    let with_ones = with_ones_before_end(bytes);
    let (size, pixels, colours) = match decode(&with_ones, max_side, Strict::Yes) {
        Ok(decoded) => decoded,
        Err(_) => {
            // The variant first, keeping only its fingerprint: one picture in memory at a time.
            let variant = decode(&with_ones, max_side, Strict::No)?;
            let variant_print = fingerprint(&variant.1);
            drop(variant);
            let decoded = decode(bytes, max_side, Strict::No)?;
            if fingerprint(&decoded.1) != variant_print {
                return Err(MediaProblem::Corrupt(
                    "its picture data stops before the picture is complete".into(),
                ));
            }
            decoded
        }
    };
    let (width, height) = size;
    let image = match colours {
        Some(ColorSpace::Luma) => {
            GrayImage::from_raw(width, height, pixels).map(DynamicImage::from)
        }
        _ => RgbImage::from_raw(width, height, pixels).map(DynamicImage::from),
    };
    image.ok_or_else(|| MediaProblem::Corrupt("its pixels do not fill its size".into()))
}

type Decoded = ((u32, u32), Vec<u8>, Option<ColorSpace>);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Strict {
    Yes,
    No,
}

fn decode(bytes: &[u8], max_side: u32, strict: Strict) -> Result<Decoded, MediaProblem> {
    let options = DecoderOptions::default()
        .set_strict_mode(strict == Strict::Yes)
        .set_max_width(max_side as usize)
        .set_max_height(max_side as usize)
        .jpeg_set_out_colorspace(ColorSpace::RGB);
    let mut decoder = JpegDecoder::new_with_options(ZCursor::new(bytes), options);
    let pixels = decoder
        .decode()
        .map_err(|e| MediaProblem::Corrupt(e.to_string()))?;
    let (width, height) = decoder
        .dimensions()
        .ok_or_else(|| MediaProblem::Corrupt("it has no picture size".into()))?;
    Ok((
        (width as u32, height as u32),
        pixels,
        decoder.output_colorspace(),
    ))
}

fn fingerprint(pixels: &[u8]) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    pixels.hash(&mut hasher);
    hasher.finish()
}

/// `bytes` with one-bits put just before its last end marker.
fn with_ones_before_end(bytes: &[u8]) -> Vec<u8> {
    let end = bytes
        .windows(2)
        .rposition(|pair| pair == [0xFF, 0xD9])
        .unwrap_or(bytes.len());
    let mut copy = Vec::with_capacity(bytes.len() + ONES.len() * ONES_REPEATED);
    copy.extend_from_slice(&bytes[..end]);
    for _ in 0..ONES_REPEATED {
        copy.extend_from_slice(&ONES);
    }
    copy.extend_from_slice(&bytes[end..]);
    copy
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::samples;

    #[test]
    fn the_usual_case_is_one_strict_decode_that_whole_pictures_pass_and_cut_ones_fail() {
        let progressive = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../assets/demo/media/board-jumpers.jpg"),
        )
        .expect("demo photo");
        let baseline = samples::picture(320, 240, image::ImageFormat::Jpeg);
        for whole in [&progressive, &baseline] {
            assert!(decode(&with_ones_before_end(whole), 8192, Strict::Yes).is_ok());
        }
        let cut = samples::cut_jpeg_with_end_marker();
        assert!(decode(&with_ones_before_end(&cut), 8192, Strict::Yes).is_err());
        assert!(
            decode(&cut, 8192, Strict::No).is_ok(),
            "leniently it decodes, half grey: what this module guards against"
        );
    }
}
