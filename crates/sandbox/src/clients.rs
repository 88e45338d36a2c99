//! Ready clients of the provider crates, configured for a running sandbox
//! (feature `clients`).

use walletbridge_core::prelude::*;
use walletbridge_core::{RetryPolicy, RsaPrivateKey};

use crate::Sandbox;

/// One ready client of each provider crate.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Clients {
    /// GSalary.
    pub gsalary: walletbridge_gsalary::Client,
    /// Adapay.
    pub adapay: walletbridge_adapay::Client,
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .base_delay(std::time::Duration::from_millis(20))
        .max_delay(std::time::Duration::from_millis(200))
}

impl Sandbox {
    /// A GSalary client signing with the sandbox's merchant key and
    /// verifying with its platform key (fast retries: 20 ms doubling).
    pub fn gsalary_client(&self) -> walletbridge_core::Result<walletbridge_gsalary::Client> {
        let key = self.gsalary_merchant_private_key_pem().ok_or_else(|| {
            walletbridge_core::Error::config(
                "the state directory holds no gsalary-merchant-private.pem",
            )
        })?;
        walletbridge_gsalary::Client::builder()
            .appid(self.identities().gsalary_appid.clone())
            .base_url(self.urls().gsalary.clone())
            .private_key(&RsaPrivateKey::parse(key)?)
            .platform_public_key_pem(self.gsalary_platform_public_key_pem())
            .retry_policy(fast_retries())
            .build()
    }

    /// An Adapay client for the sandbox (fast retries).
    pub fn adapay_client(&self) -> walletbridge_core::Result<walletbridge_adapay::Client> {
        let key = self.adapay_merchant_private_key_pem().ok_or_else(|| {
            walletbridge_core::Error::config("the state directory holds no adapay-merchant-private.pem")
        })?;
        walletbridge_adapay::Client::builder()
            .api_key(self.identities().adapay_api_key.clone())
            .app_id(self.identities().adapay_app_id.clone())
            .base_url(self.urls().adapay.clone())
            .page_url(self.urls().adapay_page.clone())
            .wallet_page_url(format!("{}/wallet", self.urls().adapay_page))
            .private_key(&RsaPrivateKey::parse(key)?)
            .platform_public_key_pem(self.adapay_platform_public_key_pem())
            .retry_policy(fast_retries())
            .build()
    }

    /// Every client.
    pub fn clients(&self) -> walletbridge_core::Result<Clients> {
        Ok(Clients {
            gsalary: self.gsalary_client()?,
            adapay: self.adapay_client()?,
        })
    }
}
