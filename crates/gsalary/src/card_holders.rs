//! 持卡人 (card holders): create, list, read and update the people cards are issued to.

use serde::{Deserialize, Serialize};
use walletbridge_core::date::DateTime;
use walletbridge_core::date::WireTime;
use walletbridge_core::{Error, Items, Page, Region, Result};

use crate::client::Client;
use crate::endpoints::{
    CARD_HOLDER_CREATE, CARD_HOLDER_GET, CARD_HOLDER_UPDATE, CARD_HOLDERS_LIST,
};
use crate::models::{Address, IntoCode, MobileNumber, list_response, required};
use crate::validate;

walletbridge_core::open_enum! {
    /// A card holder's status. The page shows `PENDING`; other values arrive as `Other`.
    pub enum CardHolderStatus {
        /// Under review.
        Pending = "PENDING",
    }
}

/// A card holder.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "server", derive(serde::Serialize, Default))]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct CardHolder {
    /// The card holder id.
    pub card_holder_id: String,
    /// First name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// Birth date, `YYYY-MM-DD`.
    #[serde(default)]
    pub birth: Option<String>,
    /// E-mail.
    #[serde(default)]
    pub email: Option<String>,
    /// Mobile number.
    #[serde(default)]
    pub mobile: Option<MobileNumber>,
    /// Two-letter region code.
    #[serde(default)]
    pub region: Option<String>,
    /// When the holder was created (ISO-8601).
    #[serde(default)]
    pub create_time: Option<WireTime>,
    /// Bill address (`{}` on the wire reads as an empty address).
    #[serde(default)]
    pub bill_address: Option<Address>,
    /// Status.
    #[serde(default)]
    pub status: Option<CardHolderStatus>,
    /// Every other field, as sent.
    #[serde(skip)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

crate::answer::answer_model!(CardHolder);

list_response!(
    /// A page of card holders.
    CardHolderList,
    card_holders,
    CardHolder
);

/// Filters for [`CardHolders::list`].
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[cfg_attr(feature = "server", serde(default = "CardHoldersQuery::new"))]
#[non_exhaustive]
pub struct CardHoldersQuery {
    /// Page, from 1.
    pub page: u32,
    /// Items per page.
    pub limit: u32,
    /// Created from this time (inclusive), ISO-8601.
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "walletbridge_core::date::iso8601::option"
    )]
    pub time_start: Option<DateTime>,
    /// Created before this time (exclusive), ISO-8601.
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "walletbridge_core::date::iso8601::option"
    )]
    pub time_end: Option<DateTime>,
}

impl CardHoldersQuery {
    /// Page 1, 20 a page, no filters.
    pub fn new() -> Self {
        Self {
            page: 1,
            limit: 20,
            ..Self::default()
        }
    }
    /// The page to fetch, from 1.
    pub fn page(mut self, page: u32) -> Self {
        self.page = page;
        self
    }

    /// Items per page.
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = limit;
        self
    }

    /// Only items from this time (inclusive), sent as ISO-8601
    /// (`2024-03-04T10:00:00Z`).
    pub fn time_start(mut self, at: DateTime) -> Self {
        self.time_start = Some(at);
        self
    }

    /// Only items until this time (exclusive), sent as ISO-8601.
    pub fn time_end(mut self, at: DateTime) -> Self {
        self.time_end = Some(at);
        self
    }

    fn validate(&self) -> Result<()> {
        validate::page(self.page, self.limit)?;
        Ok(())
    }
}

crate::models::list_query!(CardHoldersQuery);

/// `POST /v1/card_holders`: a new card holder. Every field but the bill
/// address is required.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[non_exhaustive]
pub struct CreateCardHolder {
    /// First name: 1 to 40 English letters and spaces.
    pub first_name: String,
    /// Last name: 1 to 40 English letters and spaces.
    pub last_name: String,
    /// Birth date, `YYYY-MM-DD`.
    pub birth: String,
    /// E-mail, unique per holder.
    pub email: String,
    /// Mobile number, checked against the page's length table.
    pub mobile: MobileNumber,
    /// Two-letter ISO-3166 region code (`US`).
    pub region: String,
    /// Bill address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bill_address: Option<Address>,
}

impl CreateCardHolder {
    /// A card holder, built field by field:
    ///
    /// ```
    /// use walletbridge_gsalary::card_holders::CreateCardHolder;
    /// use walletbridge_gsalary::models::MobileNumber;
    /// let holder = CreateCardHolder::builder()
    ///     .first_name("Ada")
    ///     .last_name("Lovelace")
    ///     .birth("1990-01-01")
    ///     .email("ada@example.com")
    ///     .mobile(MobileNumber::new("1", "5551234567"))
    ///     .region("US")
    ///     .build()?;
    /// assert_eq!(holder.first_name, "Ada");
    /// // A region that is not an ISO-3166 alpha-2 code is named.
    /// let err = CreateCardHolder::builder().region("usa").build().unwrap_err();
    /// assert!(err.to_string().contains("region"));
    /// # Ok::<(), walletbridge_gsalary::Error>(())
    /// ```
    pub fn builder() -> CreateCardHolderBuilder {
        CreateCardHolderBuilder::default()
    }

    /// Adds a bill address.
    pub fn bill_address(mut self, address: Address) -> Self {
        self.bill_address = Some(address);
        self
    }

    fn validate(&self) -> Result<()> {
        validate::holder_name("first_name", &self.first_name)?;
        validate::holder_name("last_name", &self.last_name)?;
        validate::iso_date("birth", &self.birth)?;
        validate::email("email", &self.email)?;
        self.mobile.validate("mobile")?;
        validate::region("region", &self.region)?;
        if let Some(a) = &self.bill_address {
            a.validate("bill_address")?;
        }
        Ok(())
    }
}

/// Builds a [`CreateCardHolder`] (from [`CreateCardHolder::builder`]).
/// [`build`](Self::build) names the first required field left out and a
/// `region` that is not a two-letter uppercase ISO-3166 alpha-2 code; the
/// other rules (names of English letters, the date, the e-mail, the mobile
/// length) are checked when the request is sent.
#[derive(Debug, Default)]
#[must_use = "call .build() to get the request"]
pub struct CreateCardHolderBuilder {
    first_name: Option<String>,
    last_name: Option<String>,
    birth: Option<String>,
    email: Option<String>,
    mobile: Option<MobileNumber>,
    region: Option<Result<Region>>,
    bill_address: Option<Address>,
}

impl CreateCardHolderBuilder {
    /// First name: 1 to 40 English letters and spaces.
    pub fn first_name(mut self, v: impl Into<String>) -> Self {
        self.first_name = Some(v.into());
        self
    }
    /// Last name: 1 to 40 English letters and spaces.
    pub fn last_name(mut self, v: impl Into<String>) -> Self {
        self.last_name = Some(v.into());
        self
    }
    /// Birth date, ISO-8601 `YYYY-MM-DD`.
    pub fn birth(mut self, v: impl Into<String>) -> Self {
        self.birth = Some(v.into());
        self
    }
    /// E-mail, unique per holder.
    pub fn email(mut self, v: impl Into<String>) -> Self {
        self.email = Some(v.into());
        self
    }
    /// Mobile number.
    pub fn mobile(mut self, v: MobileNumber) -> Self {
        self.mobile = Some(v);
        self
    }
    /// Region: a two-letter uppercase ISO-3166 alpha-2 code (`US`), as text
    /// or a [`Region`].
    pub fn region(mut self, v: impl IntoCode<Region>) -> Self {
        self.region = Some(v.into_code("region"));
        self
    }
    /// Bill address (optional).
    pub fn bill_address(mut self, v: Address) -> Self {
        self.bill_address = Some(v);
        self
    }

    /// The request, or a validation error naming the first required field
    /// left out.
    pub fn build(self) -> Result<CreateCardHolder> {
        let region = self.region.transpose()?;
        Ok(CreateCardHolder {
            first_name: required("first_name", self.first_name)?,
            last_name: required("last_name", self.last_name)?,
            birth: required("birth", self.birth)?,
            email: required("email", self.email)?,
            mobile: required("mobile", self.mobile)?,
            region: required("region", region)?.to_string(),
            bill_address: self.bill_address,
        })
    }
}

/// `PUT /v1/card_holders/{card_holder_id}`: the fields to change; the rest stay.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[non_exhaustive]
pub struct UpdateCardHolder {
    /// First name: 1 to 40 English letters and spaces.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Last name: 1 to 40 English letters and spaces.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Birth date, `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub birth: Option<String>,
    /// E-mail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Mobile number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mobile: Option<MobileNumber>,
    /// Two-letter region code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Bill address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bill_address: Option<Address>,
}

impl UpdateCardHolder {
    /// No changes yet; add them with the builder methods.
    pub fn new() -> Self {
        Self::default()
    }
    /// New first name.
    pub fn first_name(mut self, v: impl Into<String>) -> Self {
        self.first_name = Some(v.into());
        self
    }
    /// New last name.
    pub fn last_name(mut self, v: impl Into<String>) -> Self {
        self.last_name = Some(v.into());
        self
    }
    /// New birth date, `YYYY-MM-DD`.
    pub fn birth(mut self, v: impl Into<String>) -> Self {
        self.birth = Some(v.into());
        self
    }
    /// New e-mail.
    pub fn email(mut self, v: impl Into<String>) -> Self {
        self.email = Some(v.into());
        self
    }
    /// New mobile number.
    pub fn mobile(mut self, v: MobileNumber) -> Self {
        self.mobile = Some(v);
        self
    }
    /// New region.
    pub fn region(mut self, v: impl AsRef<str>) -> Self {
        self.region = Some(v.as_ref().to_owned());
        self
    }
    /// New bill address.
    pub fn bill_address(mut self, v: Address) -> Self {
        self.bill_address = Some(v);
        self
    }

    fn validate(&self) -> Result<()> {
        if *self == Self::default() {
            return Err(Error::validation(
                "body",
                "an update needs at least one field",
            ));
        }
        if let Some(v) = &self.first_name {
            validate::holder_name("first_name", v)?;
        }
        if let Some(v) = &self.last_name {
            validate::holder_name("last_name", v)?;
        }
        if let Some(v) = &self.birth {
            validate::iso_date("birth", v)?;
        }
        if let Some(v) = &self.email {
            validate::email("email", v)?;
        }
        if let Some(v) = &self.mobile {
            v.validate("mobile")?;
        }
        if let Some(v) = &self.region {
            validate::region("region", v)?;
        }
        if let Some(a) = &self.bill_address {
            a.validate("bill_address")?;
        }
        Ok(())
    }
}

/// The card holder API: `client.card_holders()`.
#[derive(Debug, Clone, Copy)]
pub struct CardHolders<'a> {
    client: &'a Client,
}

impl Client {
    /// The card holder API (持卡人).
    pub fn card_holders(&self) -> CardHolders<'_> {
        CardHolders { client: self }
    }
}

impl<'a> CardHolders<'a> {
    /// `GET /v1/card_holders`: one page.
    pub async fn list(&self, query: &CardHoldersQuery) -> Result<Page<CardHolder>> {
        self.client
            .list::<_, CardHolderList>(CARD_HOLDERS_LIST, query)
            .await
    }

    /// Every card holder matching `query`, from `query.page` on, page after page.
    pub fn list_stream(&self, query: CardHoldersQuery) -> Items<CardHolder> {
        self.client
            .list_all::<_, CardHolderList>(CARD_HOLDERS_LIST, query)
    }

    /// `POST /v1/card_holders`: creates a card holder. Never retried by the
    /// SDK; on an unknown outcome, look for the holder with [`CardHolders::list`].
    pub async fn create(&self, request: &CreateCardHolder) -> Result<CardHolder> {
        self.client
            .send_json(CARD_HOLDER_CREATE, &[], request.validate(), request)
            .await
    }

    /// `GET /v1/card_holders/{card_holder_id}`.
    pub async fn get(&self, card_holder_id: &str) -> Result<CardHolder> {
        self.client
            .send_plain(CARD_HOLDER_GET, &[card_holder_id])
            .await
    }

    /// `PUT /v1/card_holders/{card_holder_id}`: changes the given fields.
    pub async fn update(
        &self,
        card_holder_id: &str,
        request: &UpdateCardHolder,
    ) -> Result<CardHolder> {
        self.client
            .send_json(
                CARD_HOLDER_UPDATE,
                &[card_holder_id],
                request.validate(),
                request,
            )
            .await
    }
}
