//! Our segmentation must count exactly like Twilio's open-source segment calculator.
//! `twilio_vectors.tsv` was produced by running that calculator on each text: encoding,
//! segment count, character count, then the text as hexadecimal code points.

use switchboard_sdk::sms::{Encoding, segment};

#[test]
fn matches_twilio_segment_calculator() {
    let table = include_str!("twilio_vectors.tsv");
    let mut checked = 0;
    for line in table.lines() {
        let fields: Vec<&str> = line.splitn(4, '\t').collect();
        let [encoding, segments, characters, code_points] = fields[..] else {
            panic!("bad vector line: {line}");
        };
        let text: String = code_points
            .split_whitespace()
            .map(|hex| char::from_u32(u32::from_str_radix(hex, 16).expect("hex")).expect("char"))
            .collect();
        let ours = segment(&text);
        assert_eq!(ours.encoding.name(), encoding, "encoding of {text:?}");
        assert_eq!(
            ours.part_count().to_string(),
            segments,
            "segments of {text:?}"
        );
        if ours.encoding == Encoding::Gsm7 {
            assert_eq!(ours.units.to_string(), characters, "septets of {text:?}");
        }
        assert_eq!(ours.parts.concat(), text, "parts rebuild {text:?}");
        checked += 1;
    }
    assert!(checked > 40, "only {checked} vectors");
}
