//! The `[provider]` section made into the platform's provider settings: the URLs parsed, the
//! auth token read from its file or environment variable (never from the configuration), and
//! every problem said naming the setting.

use anyhow::{Context as _, bail};
use switchboard_core::config::ProviderConfig;
use switchboard_edge::provider::{ProviderSettings, Sender};
use switchboard_seam::secret::Secret;

/// The provider settings `config` describes, or why they cannot be used.
pub fn settings(config: &ProviderConfig) -> anyhow::Result<ProviderSettings> {
    if config.kind != "twilio" {
        bail!(
            "[provider] kind = \"{}\" is not a provider this build knows (twilio)",
            config.kind
        );
    }
    let web_address = |setting: &str, text: &str| -> anyhow::Result<url::Url> {
        let address =
            url::Url::parse(text).with_context(|| format!("[provider] {setting} = \"{text}\""))?;
        if !matches!(address.scheme(), "http" | "https") || address.host_str().is_none() {
            bail!("[provider] {setting} = \"{text}\" is not an http(s) address");
        }
        Ok(address)
    };
    let public_url = web_address("public_url", &config.public_url)?;
    let api_base = web_address("api_base", &config.api_base)?;
    if public_url.scheme() != "https" {
        tracing::warn!(
            "[provider] public_url is not https: the provider will not post to it outside tests"
        );
    }
    let auth_token = match &config.auth_token_file {
        Some(file) => {
            Secret::from_file(std::path::Path::new(file)).context("[provider] auth_token_file")?
        }
        None => Secret::from_env(&config.auth_token_variable).with_context(|| {
            format!(
                "[provider] needs the auth token in {} (or auth_token_file)",
                config.auth_token_variable
            )
        })?,
    };
    Ok(ProviderSettings {
        account_sid: config.account_sid.clone(),
        auth_token,
        public_url,
        api_base,
        sender: match &config.messaging_service_sid {
            Some(sid) => Sender::MessagingService(sid.clone()),
            None => Sender::OurNumber,
        },
        media_host: Some(config.media_host.clone()),
    })
}
