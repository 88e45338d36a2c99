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
    /// The senior wallet (signing with the sandbox-only HMAC signer).
    pub wallet_senior: walletbridge_wallet_senior::Client,
    /// The merchant wallet (logging in with the sandbox's credentials).
    pub merchant_wallet: walletbridge_merchant_wallet::Client,
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
            walletbridge_core::Error::config(
                "the state directory holds no adapay-merchant-private.pem",
            )
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

    /// A senior wallet client with the sandbox's access token and the
    /// sandbox-only signer ([`walletbridge_wallet_senior::signing::SandboxHmacSigner`]).
    pub fn wallet_senior_client(
        &self,
    ) -> walletbridge_core::Result<walletbridge_wallet_senior::Client> {
        let ids = self.identities();
        walletbridge_wallet_senior::Client::builder()
            .base_url(self.urls().wallet_senior.clone())
            .access_token(ids.senior_access_token.clone())
            .signer(std::sync::Arc::new(
                walletbridge_wallet_senior::signing::SandboxHmacSigner::new(
                    ids.senior_sign_secret.clone(),
                ),
            ))
            .retry_policy(fast_retries())
            .build()
    }

    /// A merchant wallet client logging in with the sandbox's credentials.
    pub fn merchant_wallet_client(
        &self,
    ) -> walletbridge_core::Result<walletbridge_merchant_wallet::Client> {
        let ids = self.identities();
        walletbridge_merchant_wallet::Client::builder()
            .base_url(self.urls().merchant_wallet.clone())
            .credentials(ids.merchant_username.clone(), ids.merchant_password.clone())
            .retry_policy(fast_retries())
            .build()
    }

    /// Every client.
    pub fn clients(&self) -> walletbridge_core::Result<Clients> {
        Ok(Clients {
            gsalary: self.gsalary_client()?,
            adapay: self.adapay_client()?,
            wallet_senior: self.wallet_senior_client()?,
            merchant_wallet: self.merchant_wallet_client()?,
        })
    }
}
