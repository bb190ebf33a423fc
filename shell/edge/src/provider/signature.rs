//! The provider's webhook signature (`X-Twilio-Signature`): HMAC-SHA1, keyed with the auth
//! token, of the full public URL followed by every POST parameter sorted by name, each name
//! immediately followed by its value; base64. Checked in constant time against the URL the
//! configuration says the provider calls (the service sits behind a reverse proxy, so never
//! the request's own Host), with and without the scheme's default port, as providers vary.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha1::Sha1;

/// The header that carries the signature.
pub const HEADER: &str = "X-Twilio-Signature";

type HmacSha1 = Hmac<Sha1>;

fn mac_of(token: &str, url: &str, params: &[(String, String)]) -> HmacSha1 {
    // HMAC takes a key of any length.
    let mut mac = HmacSha1::new_from_slice(token.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of every length"));
    mac.update(url.as_bytes());
    let mut sorted: Vec<&(String, String)> = params.iter().collect();
    sorted.sort();
    for (name, value) in sorted {
        mac.update(name.as_bytes());
        mac.update(value.as_bytes());
    }
    mac
}

/// The signature the provider sends for a post of `params` to `url`.
pub fn compute(token: &str, url: &str, params: &[(String, String)]) -> String {
    base64::engine::general_purpose::STANDARD
        .encode(mac_of(token, url, params).finalize().into_bytes())
}

/// Whether `header` signs a post of `params` to `url` (or to `url` with its default port
/// added or removed). Compared in constant time; a header that is not base64 fails.
pub fn verify(token: &str, url: &str, params: &[(String, String)], header: &str) -> bool {
    let Ok(claimed) = base64::engine::general_purpose::STANDARD.decode(header.trim()) else {
        return false;
    };
    url_variants(url).iter().any(|candidate| {
        mac_of(token, candidate, params)
            .verify_slice(&claimed)
            .is_ok()
    })
}

/// `url` as written, and with its scheme's default port removed or added.
fn url_variants(url: &str) -> Vec<String> {
    let mut variants = vec![url.to_owned()];
    let Ok(parsed) = url::Url::parse(url) else {
        return variants;
    };
    let Some(default) = parsed.port_or_known_default() else {
        return variants;
    };
    let host = parsed.host_str().unwrap_or_default();
    let scheme = parsed.scheme();
    let with_port = format!("{scheme}://{host}:{default}");
    let without_port = format!("{scheme}://{host}");
    for (from, to) in [(&with_port, &without_port), (&without_port, &with_port)] {
        if let Some(rest) = url.strip_prefix(from.as_str())
            && (rest.is_empty() || rest.starts_with(['/', '?']))
        {
            variants.push(format!("{to}{rest}"));
        }
    }
    variants
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(fields: &[(&str, &str)]) -> Vec<(String, String)> {
        fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    /// The example of the provider's own client libraries' tests: token `12345`.
    const URL: &str = "https://mycompany.com/myapp.php?foo=1&bar=2";

    fn documented_params() -> Vec<(String, String)> {
        pairs(&[
            ("CallSid", "CA1234567890ABCDE"),
            ("Digits", "1234"),
            ("From", "+14158675309"),
            ("To", "+18005551212"),
            ("Caller", "+14158675309"),
        ])
    }

    #[test]
    fn the_documented_example_signs_as_published() {
        assert_eq!(
            compute("12345", URL, &documented_params()),
            "RSOYDt4T1cUTdK1PDd93/VVr8B8="
        );
        assert!(verify(
            "12345",
            URL,
            &documented_params(),
            "RSOYDt4T1cUTdK1PDd93/VVr8B8="
        ));
    }

    #[test]
    fn repeated_names_sort_by_value_as_published() {
        let params = pairs(&[
            ("Sid", "CA123"),
            ("SidAccount", "AC123"),
            ("Digits", "5678"),
            ("Digits", "1234"),
        ]);
        assert_eq!(
            compute("12345", URL, &params),
            "IK+Dwps556ElfBT0I3Rgjkr1wJU="
        );
    }

    #[test]
    fn the_order_of_parameters_does_not_matter_but_every_byte_does() {
        let mut reordered = documented_params();
        reordered.reverse();
        let good = compute("12345", URL, &documented_params());
        assert!(verify("12345", URL, &reordered, &good));
        let mut changed = documented_params();
        changed[1].1 = "1235".into();
        assert!(!verify("12345", URL, &changed, &good), "a changed value");
        assert!(
            !verify("12346", URL, &documented_params(), &good),
            "another token"
        );
        assert!(
            !verify(
                "12345",
                "https://mycompany.com/other.php",
                &documented_params(),
                &good
            ),
            "another URL"
        );
        assert!(!verify("12345", URL, &documented_params(), "not base64!"));
        assert!(!verify("12345", URL, &documented_params(), ""));
    }

    #[test]
    fn the_default_port_may_be_written_or_not() {
        let signed_with_port = compute("12345", "https://mycompany.com:443/myapp.php", &[]);
        assert!(verify(
            "12345",
            "https://mycompany.com/myapp.php",
            &[],
            &signed_with_port
        ));
        let signed_without = compute("12345", "https://mycompany.com/myapp.php", &[]);
        assert!(verify(
            "12345",
            "https://mycompany.com:443/myapp.php",
            &[],
            &signed_without
        ));
        let other_port = compute("12345", "https://mycompany.com:8443/myapp.php", &[]);
        assert!(!verify(
            "12345",
            "https://mycompany.com/myapp.php",
            &[],
            &other_port
        ));
    }
}
