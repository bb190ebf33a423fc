//! NATS JSON web tokens: a header, claims and an Ed25519 signature by an nkey
//! (`"alg": "ed25519-nkey"`), each part base64url without padding. The authorization callout
//! reads the server's request in this form and answers with two of them (the response, and
//! the user it lets in). Written here rather than taken from a crate: three small JSON
//! objects over `nkeys`, which async-nats already brings, and the one young crate for them
//! does not cover the callout's response.

use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};
use nkeys::KeyPair;
use serde_json::Value;

use crate::ClusterError;

/// The header of every NATS token.
const HEADER: &str = r#"{"typ":"JWT","alg":"ed25519-nkey"}"#;

/// The longest token the gateway reads (a request carries a client's connect options).
const MAX_TOKEN: usize = 64 * 1024;

/// Signs `claims` as `issuer`: the issuer's public key is written into `iss`, and `iat` and a
/// `jti` are set.
pub fn encode(
    mut claims: Value,
    issuer: &KeyPair,
    now_seconds: i64,
) -> Result<String, ClusterError> {
    let fail = |e: String| ClusterError::Invalid(format!("signing a NATS token: {e}"));
    let Some(object) = claims.as_object_mut() else {
        return Err(fail("the claims are not an object".into()));
    };
    object.insert("iss".into(), Value::String(issuer.public_key()));
    object.insert("iat".into(), Value::from(now_seconds));
    object.insert(
        "jti".into(),
        Value::String(switchboard_seam::ids::new_secret_id("")),
    );
    let body = serde_json::to_vec(&claims).map_err(|e| fail(e.to_string()))?;
    let signed = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(HEADER),
        URL_SAFE_NO_PAD.encode(body)
    );
    let signature = issuer
        .sign(signed.as_bytes())
        .map_err(|e| fail(e.to_string()))?;
    Ok(format!("{signed}.{}", URL_SAFE_NO_PAD.encode(signature)))
}

/// The claims of a token whose signature is its issuer's (`iss`), and whose issuer is of the
/// kind `issuer_prefix` names (`'N'` a server, `'A'` an account). Anything else is refused.
pub fn decode(token: &str, issuer_prefix: char) -> Result<Value, ClusterError> {
    let fail = |e: &str| ClusterError::Invalid(format!("a NATS token: {e}"));
    if token.len() > MAX_TOKEN {
        return Err(fail("too long"));
    }
    let mut parts = token.split('.');
    let (Some(header), Some(body), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(fail("not three parts"));
    };
    let header: Value = URL_SAFE_NO_PAD
        .decode(header)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or_else(|| fail("unreadable header"))?;
    if header["alg"] != "ed25519-nkey" {
        return Err(fail("not signed with an nkey"));
    }
    let claims: Value = URL_SAFE_NO_PAD
        .decode(body)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or_else(|| fail("unreadable claims"))?;
    let issuer = claims["iss"].as_str().unwrap_or_default();
    if !issuer.starts_with(issuer_prefix) {
        return Err(fail("issued by the wrong kind of key"));
    }
    let key = KeyPair::from_public_key(issuer).map_err(|_| fail("the issuer is not a key"))?;
    let signature = URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|_| fail("unreadable signature"))?;
    let signed = &token[..token.len() - token.rsplit('.').next().map_or(0, str::len) - 1];
    key.verify(signed.as_bytes(), &signature)
        .map_err(|_| fail("the signature does not match"))?;
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_signed_here_reads_back_and_a_changed_one_does_not() {
        let account = KeyPair::new_account();
        let token = encode(
            serde_json::json!({"sub": "U1", "nats": {"x": 1}}),
            &account,
            7,
        )
        .expect("signed");
        let claims = decode(&token, 'A').expect("verified");
        assert_eq!(claims["sub"], "U1");
        assert_eq!(claims["iss"], account.public_key());
        assert_eq!(claims["iat"], 7);
        assert!(decode(&token, 'N').is_err(), "an account is not a server");

        // Another body under the same signature.
        let mut parts: Vec<&str> = token.split('.').collect();
        let forged_body = URL_SAFE_NO_PAD.encode(
            serde_json::to_vec(&serde_json::json!({"sub": "U2", "iss": account.public_key()}))
                .expect("json"),
        );
        parts[1] = &forged_body;
        assert!(decode(&parts.join("."), 'A').is_err());

        // Signed by another key that claims to be the account.
        let other = KeyPair::new_account();
        let claimed = encode(serde_json::json!({"sub": "U1"}), &other, 7).expect("signed");
        let mut parts: Vec<String> = claimed.split('.').map(str::to_owned).collect();
        parts[1] = URL_SAFE_NO_PAD.encode(
            serde_json::to_vec(&serde_json::json!({"sub": "U1", "iss": account.public_key()}))
                .expect("json"),
        );
        assert!(decode(&parts.join("."), 'A').is_err());

        assert!(decode("a.b", 'A').is_err());
        assert!(decode(&"x".repeat(MAX_TOKEN + 1), 'A').is_err());
    }
}
