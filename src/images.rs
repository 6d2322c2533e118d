//! Pixel sizes of the images notes show, read from the first bytes of each file so a page can
//! reserve their space before they load: PNG, GIF and WebP through `imagesize`, JPEG with its
//! EXIF orientation applied (a phone photo taken upright is stored sideways), and SVG from its
//! `width`/`height` or `viewBox`. Pure: the load stage hands in the bytes.

/// How many bytes of a file [`size`] needs at most to find its size in every usual case (a
/// JPEG's EXIF block, thumbnail included, comes before its frame header).
pub const HEADER_BYTES: usize = 192 * 1024;

/// Width and height in CSS pixels as the image shows, when `header` (the start of a file named
/// with `extension`) tells them.
pub fn size(extension: &str, header: &[u8]) -> Option<(u32, u32)> {
    match extension.to_ascii_lowercase().as_str() {
        "svg" => svg_size(header),
        "png" | "gif" | "webp" => raster_size(header),
        "jpg" | "jpeg" => {
            let (width, height) = raster_size(header)?;
            Some(if jpeg_is_turned(header) {
                (height, width)
            } else {
                (width, height)
            })
        }
        _ => None,
    }
}

fn raster_size(header: &[u8]) -> Option<(u32, u32)> {
    let size = imagesize::blob_size(header).ok()?;
    let width = u32::try_from(size.width).ok()?;
    let height = u32::try_from(size.height).ok()?;
    (width > 0 && height > 0).then_some((width, height))
}

/// Whether a JPEG's EXIF orientation (5 to 8) turns it a quarter, so width and height swap.
fn jpeg_is_turned(data: &[u8]) -> bool {
    matches!(jpeg_orientation(data), Some(5..=8))
}

fn jpeg_orientation(data: &[u8]) -> Option<u16> {
    if data.get(..2)? != [0xFF, 0xD8] {
        return None;
    }
    let mut at = 2;
    while at + 4 <= data.len() && data[at] == 0xFF {
        let marker = data[at + 1];
        let length = usize::from(u16::from_be_bytes([data[at + 2], data[at + 3]]));
        if marker == 0xE1 {
            let segment = data.get(at + 4..at + 2 + length)?;
            if let Some(tiff) = segment.strip_prefix(b"Exif\0\0") {
                return tiff_orientation(tiff);
            }
        }
        if marker == 0xDA || length < 2 {
            return None; // image data starts: no EXIF before it
        }
        at += 2 + length;
    }
    None
}

/// Tag 0x0112 of the first IFD of a TIFF structure.
fn tiff_orientation(tiff: &[u8]) -> Option<u16> {
    let big = match tiff.get(..2)? {
        b"MM" => true,
        b"II" => false,
        _ => return None,
    };
    // An unsigned number of `len` bytes at `at`, in the structure's byte order.
    let number = |at: usize, len: usize| {
        let bytes = tiff.get(at..at + len)?;
        let fold = |n: u32, b: &u8| n << 8 | u32::from(*b);
        Some(if big {
            bytes.iter().fold(0, fold)
        } else {
            bytes.iter().rev().fold(0, fold)
        })
    };
    let u16_at = |at: usize| number(at, 2).map(|n| n as u16);
    let ifd = usize::try_from(number(4, 4)?).ok()?;
    let entries = usize::from(u16_at(ifd)?);
    (0..entries)
        .map(|i| ifd + 2 + i * 12)
        .find(|&entry| u16_at(entry) == Some(0x0112))
        .and_then(|entry| u16_at(entry + 8))
}

/// An SVG's size: its `width` and `height` when both are plain numbers (or `px`), else the
/// width and height of its `viewBox`.
fn svg_size(header: &[u8]) -> Option<(u32, u32)> {
    let text = String::from_utf8_lossy(header);
    let start = text.find("<svg")?;
    let tag = &text[start..start + text[start..].find('>')?];
    let number = |value: &str| {
        let value = value.trim().strip_suffix("px").unwrap_or(value.trim());
        value
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && *v >= 1.0 && *v < 1e6)
    };
    let pixels = |v: f64| v.round() as u32;
    if let (Some(width), Some(height)) = (
        attribute(tag, "width").and_then(number),
        attribute(tag, "height").and_then(number),
    ) {
        return Some((pixels(width), pixels(height)));
    }
    let view_box: Vec<f64> = attribute(tag, "viewBox")?
        .split([' ', ',', '\t', '\n'])
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect();
    match view_box[..] {
        [_, _, width, height] if width >= 1.0 && height >= 1.0 && width < 1e6 && height < 1e6 => {
            Some((pixels(width), pixels(height)))
        }
        _ => None,
    }
}

/// The value of `name="…"` (or `'…'`) in a start tag.
fn attribute<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    let mut rest = tag;
    while let Some(found) = rest.find(name) {
        let before = rest[..found].chars().next_back();
        let after = rest[found + name.len()..].trim_start();
        rest = &rest[found + name.len()..];
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        let Some(value) = after.strip_prefix('=') else {
            continue;
        };
        let value = value.trim_start();
        let quote = value.chars().next().filter(|q| *q == '"' || *q == '\'')?;
        let value = &value[1..];
        return value.find(quote).map(|end| &value[..end]);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PNG header of the given size (signature, IHDR length and type, width, height).
    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        bytes.extend(width.to_be_bytes());
        bytes.extend(height.to_be_bytes());
        bytes.extend([8, 6, 0, 0, 0, 0, 0, 0, 0]);
        bytes
    }

    /// A JPEG with an EXIF orientation (unless `None`) and a 640×480 frame header.
    fn jpeg(orientation: Option<u16>, big_endian: bool) -> Vec<u8> {
        let mut bytes = vec![0xFF, 0xD8];
        if let Some(orientation) = orientation {
            let word = |v: u16| {
                if big_endian {
                    v.to_be_bytes()
                } else {
                    v.to_le_bytes()
                }
            };
            let long = |v: u32| {
                if big_endian {
                    v.to_be_bytes()
                } else {
                    v.to_le_bytes()
                }
            };
            let mut tiff: Vec<u8> = if big_endian { b"MM" } else { b"II" }.to_vec();
            tiff.extend(word(42));
            tiff.extend(long(8));
            tiff.extend(word(1)); // one entry
            tiff.extend(word(0x0112));
            tiff.extend(word(3)); // SHORT
            tiff.extend(long(1));
            tiff.extend(word(orientation));
            tiff.extend([0, 0]);
            tiff.extend(long(0));
            let mut segment = b"Exif\0\0".to_vec();
            segment.extend(tiff);
            bytes.extend([0xFF, 0xE1]);
            bytes.extend(u16::try_from(segment.len() + 2).unwrap().to_be_bytes());
            bytes.extend(segment);
        }
        // SOF0: length 17, precision 8, height 480, width 640, 3 components.
        bytes.extend([0xFF, 0xC0, 0, 17, 8, 0x01, 0xE0, 0x02, 0x80, 3]);
        bytes.extend([1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
        bytes.extend([0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 0x3F, 0]);
        bytes
    }

    #[test]
    fn raster_sizes() {
        assert_eq!(size("png", &png(1280, 720)), Some((1280, 720)));
        assert_eq!(size("PNG", &png(3, 2)), Some((3, 2)));
        assert_eq!(
            size("gif", b"GIF89a\x20\x03\x58\x02\0\0\0"),
            Some((800, 600))
        );
        assert_eq!(size("png", b"not an image"), None);
        assert_eq!(size("txt", &png(1, 1)), None);
    }

    #[test]
    fn jpeg_orientation_swaps_sideways_photos() {
        assert_eq!(size("jpg", &jpeg(None, true)), Some((640, 480)));
        assert_eq!(size("jpeg", &jpeg(Some(1), true)), Some((640, 480)));
        assert_eq!(size("jpg", &jpeg(Some(6), true)), Some((480, 640)));
        assert_eq!(size("jpg", &jpeg(Some(8), false)), Some((480, 640)));
        assert_eq!(size("jpg", &jpeg(Some(3), false)), Some((640, 480)));
    }

    #[test]
    fn svg_sizes() {
        let svg = |tag: &str| {
            size(
                "svg",
                format!("<?xml version=\"1.0\"?>\n{tag}<g/></svg>").as_bytes(),
            )
        };
        assert_eq!(
            svg("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"120\" height=\"80px\">"),
            Some((120, 80))
        );
        assert_eq!(svg("<svg viewBox=\"0 0 300.4 150\">"), Some((300, 150)));
        assert_eq!(
            svg("<svg width=\"100%\" height=\"100%\" viewBox='0,0,64,32'>"),
            Some((64, 32))
        );
        assert_eq!(
            svg("<svg stroke-width=\"2\" viewBox=\"0 0 10 20\">"),
            Some((10, 20))
        );
        assert_eq!(svg("<svg>"), None);
        assert_eq!(svg("<svg viewBox=\"0 0 0 0\">"), None);
    }
}
