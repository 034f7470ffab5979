//! The company's logo, printed on the first page. It comes from the synced company document
//! (and, in a PDF being verified, from its manifest), so it is read as hostile: at most 1 MiB,
//! a PNG or a JPEG by its signature, at most [`MAX_SIDE`] pixels a side, decoded within a
//! memory bound. Decoding is deterministic: the verifier draws the same pixels again.

use printpdf::{RawImage, RawImageData, RawImageFormat};

/// The largest logo file taken.
pub const MAX_LOGO_BYTES: usize = 1024 * 1024;
/// The most pixels a side: a logo printed 45 mm wide needs far fewer; more is a decompression
/// bomb in a small file.
pub const MAX_SIDE: usize = 4096;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogoFormat {
    Png,
    Jpeg,
}

impl LogoFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            LogoFormat::Png => "png",
            LogoFormat::Jpeg => "jpeg",
        }
    }
}

/// Why a logo is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LogoProblem {
    #[error("the logo is {bytes} bytes; at most {MAX_LOGO_BYTES}")]
    TooBig { bytes: usize },
    #[error("the logo is neither a PNG nor a JPEG")]
    NotAnImage,
    #[error("the logo is {width} × {height} pixels; at most {MAX_SIDE} a side")]
    TooManyPixels { width: usize, height: usize },
    #[error("the logo does not decode: {0}")]
    Unreadable(String),
}

/// A logo that reads: its format and size, and the pixels to draw.
#[derive(Debug, Clone)]
pub struct Logo {
    pub format: LogoFormat,
    pub width: usize,
    pub height: usize,
    pub(crate) image: RawImage,
}

/// Reads a logo file strictly.
pub fn read(bytes: &[u8]) -> Result<Logo, LogoProblem> {
    if bytes.len() > MAX_LOGO_BYTES {
        return Err(LogoProblem::TooBig { bytes: bytes.len() });
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        png(bytes)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        jpeg(bytes)
    } else {
        Err(LogoProblem::NotAnImage)
    }
}

fn check_sides(width: usize, height: usize) -> Result<(), LogoProblem> {
    if width == 0 || height == 0 || width > MAX_SIDE || height > MAX_SIDE {
        return Err(LogoProblem::TooManyPixels { width, height });
    }
    Ok(())
}

fn png(bytes: &[u8]) -> Result<Logo, LogoProblem> {
    let unreadable = |e: png::DecodingError| LogoProblem::Unreadable(e.to_string());
    let mut decoder = png::Decoder::new_with_limits(
        std::io::Cursor::new(bytes),
        png::Limits {
            bytes: MAX_SIDE * MAX_SIDE * 4,
        },
    );
    // Palettes and low bit depths expanded, 16 bits cut to 8: one of four 8-bit layouts.
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let header = decoder.read_header_info().map_err(unreadable)?;
    check_sides(header.width as usize, header.height as usize)?;
    let mut reader = decoder.read_info().map_err(unreadable)?;
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| LogoProblem::Unreadable("the image is too large to decode".into()))?;
    let mut pixels = vec![0; size];
    let frame = reader.next_frame(&mut pixels).map_err(unreadable)?;
    // To the end of the file: a PNG cut short is refused, not drawn with what arrived.
    reader.finish().map_err(unreadable)?;
    pixels.truncate(frame.buffer_size());
    let format = match frame.color_type {
        png::ColorType::Grayscale => RawImageFormat::R8,
        png::ColorType::GrayscaleAlpha => RawImageFormat::RG8,
        png::ColorType::Rgb => RawImageFormat::RGB8,
        png::ColorType::Rgba => RawImageFormat::RGBA8,
        png::ColorType::Indexed => {
            return Err(LogoProblem::Unreadable("an unexpanded palette".into()))
        }
    };
    Ok(logo(
        LogoFormat::Png,
        frame.width as usize,
        frame.height as usize,
        format,
        pixels,
    ))
}

fn jpeg(bytes: &[u8]) -> Result<Logo, LogoProblem> {
    // JPEG decoders draw what arrived of a file cut short; a logo must be whole.
    if !bytes.ends_with(&[0xFF, 0xD9]) {
        return Err(LogoProblem::Unreadable("the image is cut short".into()));
    }
    use zune_jpeg::zune_core::colorspace::ColorSpace;
    use zune_jpeg::zune_core::options::DecoderOptions;
    let options = DecoderOptions::default()
        .set_max_width(MAX_SIDE)
        .set_max_height(MAX_SIDE)
        .jpeg_set_out_colorspace(ColorSpace::RGB);
    let mut decoder = zune_jpeg::JpegDecoder::new_with_options(
        zune_jpeg::zune_core::bytestream::ZCursor::new(bytes),
        options,
    );
    decoder
        .decode_headers()
        .map_err(|e| LogoProblem::Unreadable(format!("{e:?}")))?;
    let (width, height) = decoder
        .dimensions()
        .ok_or_else(|| LogoProblem::Unreadable("no image size".into()))?;
    check_sides(width, height)?;
    let pixels = decoder
        .decode()
        .map_err(|e| LogoProblem::Unreadable(format!("{e:?}")))?;
    if pixels.len() != width * height * 3 {
        return Err(LogoProblem::Unreadable("a short image".into()));
    }
    Ok(logo(
        LogoFormat::Jpeg,
        width,
        height,
        RawImageFormat::RGB8,
        pixels,
    ))
}

fn logo(
    format: LogoFormat,
    width: usize,
    height: usize,
    data_format: RawImageFormat,
    pixels: Vec<u8>,
) -> Logo {
    Logo {
        format,
        width,
        height,
        image: RawImage {
            pixels: RawImageData::U8(pixels),
            width,
            height,
            data_format,
            tag: Vec::new(),
        },
    }
}

/// The size the logo is printed at, in points: at most `max_width` × `max_height`, its
/// proportions kept.
pub(crate) fn printed_size(logo: &Logo, max_width: f32, max_height: f32) -> (f32, f32) {
    #[allow(clippy::cast_precision_loss)] // at most 4096: exact in f32
    let (w, h) = (logo.width as f32, logo.height as f32);
    let scale = (max_width / w).min(max_height / h);
    (w * scale, h * scale)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// A PNG of `width` × `height` RGBA pixels, made with the png crate's encoder.
    pub(crate) fn png_of(width: u32, height: u32) -> Vec<u8> {
        let mut out = vec![];
        {
            let mut encoder = png::Encoder::new(&mut out, width, height);
            encoder.set_color(png::ColorType::Rgba);
            encoder.set_depth(png::BitDepth::Eight);
            let mut writer = encoder.write_header().unwrap();
            let pixels: Vec<u8> = (0..width * height)
                .flat_map(|i| [(i % 256) as u8, 40, 90, 255])
                .collect();
            writer.write_image_data(&pixels).unwrap();
        }
        out
    }

    const JPEG: &[u8] = include_bytes!("../../../tests/fixtures/logo.jpg");

    #[test]
    fn a_png_and_a_jpeg_read_with_their_size() {
        let png = read(&png_of(30, 12)).unwrap();
        assert_eq!(
            (png.format, png.width, png.height),
            (LogoFormat::Png, 30, 12)
        );
        let jpeg = read(JPEG).unwrap();
        assert_eq!(jpeg.format, LogoFormat::Jpeg);
        assert!(jpeg.width > 0 && jpeg.height > 0);
        assert_eq!(printed_size(&png, 120.0, 40.0), (100.0, 40.0));
    }

    #[test]
    fn what_is_not_a_small_png_or_jpeg_is_refused_with_the_reason() {
        assert_eq!(read(b"GIF89a....").unwrap_err(), LogoProblem::NotAnImage);
        assert_eq!(read(b"").unwrap_err(), LogoProblem::NotAnImage);
        let big = vec![0u8; MAX_LOGO_BYTES + 1];
        assert_eq!(
            read(&big).unwrap_err(),
            LogoProblem::TooBig {
                bytes: MAX_LOGO_BYTES + 1
            }
        );
        // A small file that claims a huge image: refused from its header, nothing decoded.
        assert_eq!(
            read(&png_of(MAX_SIDE as u32 + 1, 1)).unwrap_err(),
            LogoProblem::TooManyPixels {
                width: MAX_SIDE + 1,
                height: 1
            }
        );
        // Cut short: every prefix refuses, none panics.
        for data in [png_of(30, 12), JPEG.to_vec()] {
            for end in (0..data.len()).step_by(7) {
                assert!(read(&data[..end]).is_err(), "{end}");
            }
        }
    }
}
