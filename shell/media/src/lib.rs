//! Media that contacts send (MMS images, chat and messaging-app images): checking it is a
//! whole image of a supported type within decoding limits, and making the thumbnail the
//! transcript shows.
//!
//! Everything here runs on the platform's threads, never the UI's. A bad item (too large,
//! unsupported, corrupt, truncated, a decompression bomb) becomes a [`MediaProblem`] that names
//! the reason; nothing in it can panic or allocate without bound.

mod decode_slots;
mod jpeg;
pub mod samples;

use std::io::Cursor;

pub use image::ImageFormat;
use image::{ImageReader, Limits};

/// Longest side of a thumbnail, in pixels.
pub const THUMBNAIL_SIDE: u32 = 160;

/// Limits applied to every media item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MediaLimits {
    /// Largest accepted file, in bytes.
    pub max_bytes: u64,
    /// Largest accepted width or height, in pixels.
    pub max_side: u32,
    /// Largest memory the decoder may allocate, in bytes.
    pub max_alloc: u64,
    /// Most pixels in one image (width × height): keeps one decode under about 64 MB.
    pub max_pixels: u64,
}

impl Default for MediaLimits {
    fn default() -> Self {
        Self {
            max_bytes: 5 * 1024 * 1024,
            max_side: 12_000,
            max_alloc: 128 * 1024 * 1024,
            max_pixels: 16_000_000,
        }
    }
}

/// Why a media item cannot be shown.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MediaProblem {
    /// The file is over the size limit.
    #[error("it is larger than the {limit_mb} MB limit")]
    TooLarge {
        /// The limit in MB.
        limit_mb: u64,
    },
    /// Not an image type we show.
    #[error("its type ({0}) is not supported")]
    Unsupported(String),
    /// Declares dimensions beyond the limits (a decompression bomb, or just too big).
    #[error("it declares {width}×{height} pixels, beyond the limits")]
    TooManyPixels {
        /// Declared width.
        width: u32,
        /// Declared height.
        height: u32,
    },
    /// Corrupt or truncated data.
    #[error("it is corrupt or truncated: {0}")]
    Corrupt(String),
    /// It could not be fetched.
    #[error("it could not be fetched ({0})")]
    Unreachable(String),
}

/// A small PNG of an image, for the transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thumbnail {
    /// PNG bytes.
    pub png: Vec<u8>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

const SUPPORTED: [ImageFormat; 4] = [
    ImageFormat::Jpeg,
    ImageFormat::Png,
    ImageFormat::Gif,
    ImageFormat::WebP,
];

/// Checks an image completely (type, declared size, every byte decodes) and makes its
/// thumbnail. `declared_type` is the sender's MIME type, used only in messages.
pub fn thumbnail(
    bytes: &[u8],
    declared_type: &str,
    limits: MediaLimits,
) -> Result<Thumbnail, MediaProblem> {
    if bytes.len() as u64 > limits.max_bytes {
        return Err(MediaProblem::TooLarge {
            limit_mb: limits.max_bytes / (1024 * 1024),
        });
    }
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| MediaProblem::Corrupt(e.to_string()))?;
    match reader.format() {
        Some(format) if SUPPORTED.contains(&format) => {}
        Some(format) => return Err(MediaProblem::Unsupported(format!("{format:?}"))),
        None => return Err(MediaProblem::Unsupported(declared_type.to_owned())),
    }
    let format = reader.format().unwrap_or(ImageFormat::Png);
    if !ends_completely(format, bytes) {
        return Err(MediaProblem::Corrupt("the file ends early".into()));
    }
    let (width, height) = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| MediaProblem::Corrupt(e.to_string()))?
        .into_dimensions()
        .map_err(|e| MediaProblem::Corrupt(e.to_string()))?;
    if width > limits.max_side
        || height > limits.max_side
        || u64::from(width) * u64::from(height) > limits.max_pixels
    {
        return Err(MediaProblem::TooManyPixels { width, height });
    }
    // At most two decodes at once, machine-wide: the rest wait their turn, for a while.
    let _slot = decode_slots::DECODES
        .acquire(decode_slots::WAIT)
        .ok_or_else(|| {
            MediaProblem::Unreachable("too many images are being checked; send it again".into())
        })?;
    let image = if format == ImageFormat::Jpeg {
        jpeg::decode_whole(bytes, limits.max_side)?
    } else {
        let mut decoder_limits = Limits::default();
        decoder_limits.max_image_width = Some(limits.max_side);
        decoder_limits.max_image_height = Some(limits.max_side);
        decoder_limits.max_alloc = Some(limits.max_alloc);
        let mut reader = reader;
        reader.limits(decoder_limits);
        reader.decode().map_err(|e| match e {
            image::ImageError::Limits(_) => MediaProblem::TooManyPixels { width, height },
            image::ImageError::Unsupported(u) => MediaProblem::Unsupported(u.to_string()),
            other => MediaProblem::Corrupt(other.to_string()),
        })?
    };
    let small = image.thumbnail(THUMBNAIL_SIDE, THUMBNAIL_SIDE);
    let mut png = Vec::new();
    small
        .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
        .map_err(|e| MediaProblem::Corrupt(e.to_string()))?;
    Ok(Thumbnail {
        png,
        width: small.width(),
        height: small.height(),
    })
}

/// Decodes a thumbnail made by [`thumbnail`] to RGBA: width, height, pixels. Only a PNG no
/// larger than a thumbnail is accepted.
pub fn decode_thumbnail(png: &[u8]) -> Result<(u32, u32, Vec<u8>), MediaProblem> {
    let mut reader = ImageReader::with_format(Cursor::new(png), ImageFormat::Png);
    let mut limits = Limits::default();
    limits.max_image_width = Some(THUMBNAIL_SIDE);
    limits.max_image_height = Some(THUMBNAIL_SIDE);
    reader.limits(limits);
    let image = reader
        .decode()
        .map_err(|e| MediaProblem::Corrupt(e.to_string()))?
        .into_rgba8();
    Ok((image.width(), image.height(), image.into_raw()))
}

/// Whether the file carries its format's end marker. Some decoders fill a truncated image with
/// grey instead of failing; a photo cut in half must be asked for again, not shown half grey.
fn ends_completely(format: ImageFormat, bytes: &[u8]) -> bool {
    // Senders sometimes pad files with zeros or a newline after the end marker.
    let end = bytes
        .iter()
        .rposition(|b| !matches!(b, 0 | b'\n' | b'\r'))
        .map_or(0, |i| i + 1);
    let trimmed = &bytes[..end];
    match format {
        ImageFormat::Jpeg => trimmed.ends_with(&[0xFF, 0xD9]),
        ImageFormat::Png => trimmed.len() >= 8 && trimmed[trimmed.len() - 8..].starts_with(b"IEND"),
        ImageFormat::Gif => trimmed.ends_with(&[0x3B]),
        ImageFormat::WebP => bytes.get(4..8).is_some_and(|size| {
            let declared = u32::from_le_bytes([size[0], size[1], size[2], size[3]]) as usize;
            bytes.len() >= declared + 8
        }),
        _ => true,
    }
}

#[cfg(test)]
mod tests;
