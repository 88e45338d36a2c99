//! 收款人 (payees) and their accounts: e-wallet accounts added directly, bank
//! accounts registered through a form, and the countries and currencies a
//! payment method pays out to.
//!
//! The flow for an e-wallet payee: [`Payees::create`] with
//! [`AccountType::EWallet`], then [`Payees::add_account`], then wait for the
//! account's status to become [`AccountStatus::Active`]. For a bank account:
//! [`Payees::create`] with [`AccountType::BankAccount`],
//! [`Payees::payout_currencies`], [`Payees::account_form`],
//! [`Payees::register_bank_account`], then wait for `ACTIVE`.

use serde::{Deserialize, Serialize};
use walletbridge_core::{Currency, Error, Items, Page, Region, Result, SecretString};

use crate::client::{Client, check};
use crate::endpoints::{
    PAYEE_ACCOUNT_ADD, PAYEE_ACCOUNT_FORMAT, PAYEE_ACCOUNT_REGISTER, PAYEE_ACCOUNT_REMOVE,
    PAYEE_ACCOUNT_UPDATE, PAYEE_ACCOUNTS_LIST, PAYEE_BANK_ACCOUNT_UPDATE, PAYEE_CREATE,
    PAYEE_DEACTIVATE, PAYEE_UPDATE, PAYEES_LIST, PAYMENT_METHODS, PAYOUT_CURRENCIES,
};
use crate::models::{IntoCode, list_response, required};
use crate::validate;

walletbridge_core::open_enum! {
    /// Whether a payee or payer is a person or a company (主体类型).
    pub enum SubjectType {
        /// A person (个人).
        Individual = "INDIVIDUAL",
        /// A company (企业).
        Enterprise = "ENTERPRISE",
    }
}

walletbridge_core::open_enum! {
    /// The kind of account a payee is paid into (收款账户类型).
    pub enum AccountType {
        /// An e-wallet (电子钱包), the default.
        EWallet = "E_WALLET",
        /// A bank account (银行账户, since 1.7).
        BankAccount = "BANK_ACCOUNT",
    }
}

walletbridge_core::open_enum! {
    /// A payout method (付款方式), as `available_payment_methods` lists them.
    pub enum PaymentMethod {
        /// Alipay.
        Alipay = "ALIPAY",
        /// WeChat Pay.
        WechatPay = "WECHATPAY",
        /// Bank transfer: a bank account registered through the account form.
        BankTransfer = "BANK_TRANSFER",
    }
}

walletbridge_core::open_enum! {
    /// The status of a payee account. The page names `PENDING` and `ACTIVE`;
    /// any other value is kept as `Other`.
    pub enum AccountStatus {
        /// Waiting for verification or for the payee to register.
        Pending = "PENDING",
        /// Usable for payouts.
        Active = "ACTIVE",
    }
}

/// Builds a [`CreatePayee`]: from [`CreatePayee::individual`] or
/// [`CreatePayee::enterprise`]. [`build`](Self::build) names a `country`
/// that is not a two-letter uppercase ISO-3166 alpha-2 code, a `currency`
/// that is not a three-letter uppercase ISO-4217 code, and the first
/// required field left out (`first_name` and `last_name` for a person,
/// `account_holder` for a company). The name rules are checked when the
/// request is sent.
#[derive(Debug)]
#[must_use = "call .build() to get the request"]
pub struct CreatePayeeBuilder {
    subject_type: SubjectType,
    account_type: Option<AccountType>,
    country: Option<Result<Region>>,
    currency: Option<Result<Currency>>,
    first_name: Option<String>,
    last_name: Option<String>,
    account_holder: Option<String>,
}

impl CreatePayeeBuilder {
    fn new(subject_type: SubjectType) -> Self {
        Self {
            subject_type,
            account_type: None,
            country: None,
            currency: None,
            first_name: None,
            last_name: None,
            account_holder: None,
        }
    }
    /// E-wallet or bank account.
    pub fn account_type(mut self, v: AccountType) -> Self {
        self.account_type = Some(v);
        self
    }
    /// Region: a two-letter uppercase ISO-3166 alpha-2 code (`HK`), as text
    /// or a [`Region`].
    pub fn country(mut self, v: impl IntoCode<Region>) -> Self {
        self.country = Some(v.into_code("country"));
        self
    }
    /// The currency the payee receives: a three-letter uppercase ISO-4217
    /// code (`HKD`), as text or a [`Currency`].
    pub fn currency(mut self, v: impl IntoCode<Currency>) -> Self {
        self.currency = Some(v.into_code("currency"));
        self
    }
    /// Given name (people): letters and spaces, or Chinese for a bank
    /// account in CN.
    pub fn first_name(mut self, v: impl Into<String>) -> Self {
        self.first_name = Some(v.into());
        self
    }
    /// Family name (people): same rules as `first_name`.
    pub fn last_name(mut self, v: impl Into<String>) -> Self {
        self.last_name = Some(v.into());
        self
    }
    /// Account holder (companies: the company name).
    pub fn account_holder(mut self, v: impl Into<String>) -> Self {
        self.account_holder = Some(v.into());
        self
    }

    /// The request, or a validation error naming the first required field
    /// left out.
    pub fn build(self) -> Result<CreatePayee> {
        let country = self.country.transpose()?;
        let currency = self.currency.transpose()?;
        let person = self.subject_type == SubjectType::Individual;
        let (first_name, last_name, account_holder) = if person {
            (
                Some(required("first_name", self.first_name)?),
                Some(required("last_name", self.last_name)?),
                self.account_holder,
            )
        } else {
            (
                self.first_name,
                self.last_name,
                Some(required("account_holder", self.account_holder)?),
            )
        };
        Ok(CreatePayee {
            subject_type: self.subject_type,
            account_type: required("account_type", self.account_type)?,
            country: required("country", country)?.to_string(),
            first_name,
            last_name,
            account_holder,
            currency: required("currency", currency)?.to_string(),
        })
    }
}

/// A payee (收款人) as the platform returns it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "server", derive(serde::Serialize, Default))]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct Payee {
    /// Payee id.
    pub payee_id: String,
    /// Person or company.
    #[serde(default)]
    pub subject_type: Option<SubjectType>,
    /// E-wallet or bank account.
    #[serde(default)]
    pub account_type: Option<AccountType>,
    /// Given name (people).
    #[serde(default)]
    pub first_name: Option<String>,
    /// Family name (people).
    #[serde(default)]
    pub last_name: Option<String>,
    /// ISO-3166 region.
    #[serde(default)]
    pub country: Option<String>,
    /// Currencies the payee receives.
    #[serde(default)]
    pub currencies: Vec<String>,
    /// Account holder (company name).
    #[serde(default)]
    pub account_holder: Option<String>,
    /// Contact number, as the platform sends it (shape undocumented).
    #[serde(default)]
    pub mobile: Option<serde_json::Value>,
    /// Address.
    #[serde(default)]
    pub address: Option<String>,
    /// Every other field, as sent.
    #[serde(skip)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

crate::answer::answer_model!(Payee);

/// The body of [`Payees::create`] and [`Payees::update`] (an update replaces
/// every field, so send them all). Under the `server` feature it also
/// decodes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[non_exhaustive]
pub struct CreatePayee {
    /// Person or company.
    pub subject_type: SubjectType,
    /// E-wallet or bank account.
    pub account_type: AccountType,
    /// ISO-3166 two-letter region.
    pub country: String,
    /// Given name: required for a person; letters and spaces, or Chinese for a
    /// bank account in CN.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Family name: required for a person, same rules as `first_name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Account holder (company name): required for a company.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_holder: Option<String>,
    /// ISO-4217 currency the payee receives.
    pub currency: String,
}

impl CreatePayee {
    /// A person, built field by field:
    ///
    /// ```
    /// use walletbridge_gsalary::payees::{AccountType, CreatePayee};
    /// let payee = CreatePayee::individual()
    ///     .account_type(AccountType::BankAccount)
    ///     .country("HK")
    ///     .currency("HKD")
    ///     .first_name("Ada")
    ///     .last_name("Lovelace")
    ///     .build()?;
    /// assert_eq!(payee.country, "HK");
    /// // A currency given where a region belongs is named.
    /// let err = CreatePayee::individual().country("HKD").build().unwrap_err();
    /// assert!(err.to_string().contains("country"));
    /// # Ok::<(), walletbridge_gsalary::Error>(())
    /// ```
    pub fn individual() -> CreatePayeeBuilder {
        CreatePayeeBuilder::new(SubjectType::Individual)
    }

    /// A company (`account_type`, `country`, `currency` and
    /// `account_holder`), built field by field.
    pub fn enterprise() -> CreatePayeeBuilder {
        CreatePayeeBuilder::new(SubjectType::Enterprise)
    }

    /// Sets the given name.
    pub fn first_name(mut self, name: impl Into<String>) -> Self {
        self.first_name = Some(name.into());
        self
    }

    /// Sets the family name.
    pub fn last_name(mut self, name: impl Into<String>) -> Self {
        self.last_name = Some(name.into());
        self
    }

    /// Sets the account holder.
    pub fn account_holder(mut self, holder: impl Into<String>) -> Self {
        self.account_holder = Some(holder.into());
        self
    }

    fn validate(&self) -> Result<()> {
        validate::region("country", &self.country)?;
        validate::currency("currency", &self.currency)?;
        let chinese = self.account_type == AccountType::BankAccount && self.country == "CN";
        match self.subject_type {
            SubjectType::Individual => {
                for (field, value) in [
                    ("first_name", &self.first_name),
                    ("last_name", &self.last_name),
                ] {
                    let value = value.as_deref().unwrap_or("");
                    if value.trim().is_empty() {
                        return Err(Error::validation(
                            field,
                            "is required for an INDIVIDUAL payee",
                        ));
                    }
                    if chinese {
                        if !value.chars().all(is_han) {
                            return Err(Error::validation(
                                field,
                                "must be Chinese characters for a BANK_ACCOUNT payee in CN",
                            ));
                        }
                    } else if !value.chars().all(|c| c.is_ascii_alphabetic() || c == ' ') {
                        return Err(Error::validation(
                            field,
                            "must be English letters and spaces only",
                        ));
                    }
                }
            }
            SubjectType::Enterprise => {
                if self
                    .account_holder
                    .as_deref()
                    .is_none_or(|h| h.trim().is_empty())
                {
                    return Err(Error::validation(
                        "account_holder",
                        "is required for an ENTERPRISE payee",
                    ));
                }
            }
            SubjectType::Other(_) => {}
        }
        Ok(())
    }
}

/// CJK unified ideographs (and the middle dot used in transliterated names).
fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{20000}'..='\u{2A6DF}' | '·')
}

/// Filters for [`Payees::list`]. Under the `server` feature it also decodes;
/// a field the client did not send takes [`PayeesQuery::new`]'s value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[cfg_attr(feature = "server", serde(default = "PayeesQuery::new"))]
#[non_exhaustive]
pub struct PayeesQuery {
    /// Page, from 1.
    pub page: u32,
    /// Items per page.
    pub limit: u32,
    /// Only this payee.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payee_id: Option<String>,
    /// Name or company name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// ISO-3166 region.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// ISO-4217 currency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Contact number without the country code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mobile: Option<String>,
}

impl PayeesQuery {
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
    /// Only this payee.
    pub fn payee_id(mut self, id: impl Into<String>) -> Self {
        self.payee_id = Some(id.into());
        self
    }
    /// Name or company name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }
    /// ISO-3166 region.
    pub fn country(mut self, country: impl AsRef<str>) -> Self {
        self.country = Some(country.as_ref().to_owned());
        self
    }
    /// ISO-4217 currency.
    pub fn currency(mut self, currency: impl AsRef<str>) -> Self {
        self.currency = Some(currency.as_ref().to_owned());
        self
    }
    /// Contact number without the country code.
    pub fn mobile(mut self, mobile: impl Into<String>) -> Self {
        self.mobile = Some(mobile.into());
        self
    }

    fn validate(&self) -> Result<()> {
        validate::page(self.page, self.limit)?;
        if let Some(c) = &self.country {
            validate::region("country", c)?;
        }
        if let Some(c) = &self.currency {
            validate::currency("currency", c)?;
        }
        if let Some(m) = &self.mobile
            && (m.is_empty() || !m.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(Error::validation(
                "mobile",
                "must be digits only, without the country code",
            ));
        }
        Ok(())
    }
}

crate::models::list_query!(PayeesQuery);

list_response!(
    /// A page of payees.
    PayeeList,
    payees,
    Payee
);

/// The payout methods available to the merchant.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "server", derive(serde::Serialize))]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct PaymentMethods {
    /// The methods.
    #[serde(default)]
    pub payment_methods: Vec<PaymentMethod>,
    /// Every other field, as sent.
    #[serde(skip)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

crate::answer::answer_model!(PaymentMethods);

/// The body of [`Payees::add_account`] and [`Payees::update_account`]: an
/// e-wallet account. Under the `server` feature it also decodes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[non_exhaustive]
pub struct EWalletAccount {
    /// The payout method (`ALIPAY`...). Only the last account configured for a
    /// method is kept.
    pub payment_method: PaymentMethod,
    /// The account number in the wallet (`86-13721473389` for Alipay by phone).
    pub account_no: SecretString,
}

impl EWalletAccount {
    /// An account `account_no` for `payment_method`.
    pub fn new(payment_method: PaymentMethod, account_no: impl Into<SecretString>) -> Self {
        Self {
            payment_method,
            account_no: account_no.into(),
        }
    }

    fn validate(&self) -> Result<()> {
        if self.payment_method.as_str().is_empty() {
            return Err(Error::validation("payment_method", "must not be empty"));
        }
        if self.account_no.expose().trim().is_empty() {
            return Err(Error::validation("account_no", "must not be empty"));
        }
        Ok(())
    }
}

/// A payee account (e-wallet or bank) as the platform returns it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "server", derive(serde::Serialize, Default))]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct PayeeAccount {
    /// Account id: what a remittance quote pays into.
    pub account_id: String,
    /// Payout method.
    #[serde(default)]
    pub payment_method: Option<PaymentMethod>,
    /// Currencies the account receives.
    #[serde(default)]
    pub currencies: Vec<String>,
    /// The account number (redacted in `Debug`).
    #[serde(default)]
    pub account_no: Option<SecretString>,
    /// Status; wait for `ACTIVE` before paying.
    #[serde(default)]
    pub status: Option<AccountStatus>,
    /// Whether a remittance to this account must name a clearing network
    /// (bank accounts).
    #[serde(default)]
    pub require_clearing_network: Option<bool>,
    /// The form fields as registered (bank accounts).
    #[serde(default)]
    pub form_fields: Vec<serde_json::Value>,
    /// The registration URL to send to the payee, when the wallet needs one.
    #[serde(default)]
    pub register_url: Option<String>,
    /// Every other field, as sent.
    #[serde(skip)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

crate::answer::answer_model!(PayeeAccount);

/// The answer of [`Payees::accounts`]: `{accounts: [...]}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "server", derive(serde::Serialize))]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct PayeeAccountList {
    /// The payee's accounts.
    #[serde(default)]
    pub accounts: Vec<PayeeAccount>,
    /// Every other field, as sent.
    #[serde(skip)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

crate::answer::answer_model!(PayeeAccountList);

/// The query of [`Payees::accounts`]: `?language=` (left out when `None`).
/// Under the `server` feature it also decodes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[non_exhaustive]
pub struct AccountsQuery {
    /// The language of form descriptions (default `en`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

impl AccountsQuery {
    /// The accounts with descriptions in `language` (`None`: the default).
    pub fn new(language: Option<&str>) -> Self {
        Self {
            language: language.map(str::to_owned),
        }
    }
}

/// The query of [`Payees::payout_currencies`]: `?payment_method=`. Under the
/// `server` feature it also decodes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[non_exhaustive]
pub struct PayoutCurrenciesQuery {
    /// The payout method asked about.
    pub payment_method: PaymentMethod,
}

impl PayoutCurrenciesQuery {
    /// The countries and currencies `payment_method` pays out to.
    pub fn new(payment_method: PaymentMethod) -> Self {
        Self { payment_method }
    }
}

/// Query for [`Payees::account_form`]. Under the `server` feature it also
/// decodes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[non_exhaustive]
pub struct AccountFormQuery {
    /// The payout method; `BANK_TRANSFER`.
    pub payment_method: PaymentMethod,
    /// The account currency: required when the payee takes several.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// The form's language (default `en`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

impl AccountFormQuery {
    /// The bank-transfer form.
    pub fn bank_transfer() -> Self {
        Self {
            payment_method: PaymentMethod::BankTransfer,
            currency: None,
            language: None,
        }
    }
    /// The form for the account in this currency.
    pub fn currency(mut self, currency: impl AsRef<str>) -> Self {
        self.currency = Some(currency.as_ref().to_owned());
        self
    }
    /// The form's language (`en`, `zh`...).
    pub fn language(mut self, language: impl Into<String>) -> Self {
        self.language = Some(language.into());
        self
    }

    fn validate(&self) -> Result<()> {
        if let Some(c) = &self.currency {
            validate::currency("currency", c)?;
        }
        Ok(())
    }
}

/// One field of the bank account form, as [`Payees::account_form`] describes it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "server", derive(serde::Serialize, Default))]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct FormFieldSpec {
    /// The field's name, to send back in a [`FormField`].
    pub field_name: String,
    /// Whether it must be filled.
    #[serde(default)]
    pub required: bool,
    /// What to put there.
    #[serde(default)]
    pub description: Option<String>,
    /// Every other field, as sent.
    #[serde(skip)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

crate::answer::answer_model!(FormFieldSpec);

/// The form a bank account registration must fill.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "server", derive(serde::Serialize, Default))]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct AccountForm {
    /// Account type (`BANK_ACCOUNT`).
    #[serde(default)]
    pub account_type: Option<AccountType>,
    /// Payout method.
    #[serde(default)]
    pub payment_method: Option<PaymentMethod>,
    /// Person or company.
    #[serde(default)]
    pub subject_type: Option<SubjectType>,
    /// Currency.
    #[serde(default)]
    pub currency: Option<String>,
    /// Region.
    #[serde(default)]
    pub country: Option<String>,
    /// The fields.
    #[serde(default)]
    pub fields: Vec<FormFieldSpec>,
    /// Every other field, as sent.
    #[serde(skip)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

crate::answer::answer_model!(AccountForm);

/// One filled form field. The value is a [`SecretString`] because forms carry
/// account and certificate numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormField {
    /// The field's name from the form.
    pub field_name: String,
    /// The value.
    pub field_value: SecretString,
}

impl FormField {
    /// A field.
    pub fn new(name: impl Into<String>, value: impl Into<SecretString>) -> Self {
        Self {
            field_name: name.into(),
            field_value: value.into(),
        }
    }
}

/// The body of [`Payees::register_bank_account`]. Under the `server` feature
/// it also decodes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[non_exhaustive]
pub struct RegisterBankAccount {
    /// The payout method the form was fetched for (`BANK_TRANSFER`).
    pub payment_method: PaymentMethod,
    /// The account currency the form was fetched for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// The filled fields.
    pub fields: Vec<FormField>,
}

impl RegisterBankAccount {
    /// A bank-transfer registration with `fields`.
    pub fn bank_transfer(fields: Vec<FormField>) -> Self {
        Self {
            payment_method: PaymentMethod::BankTransfer,
            currency: None,
            fields,
        }
    }
    /// The account currency.
    pub fn currency(mut self, currency: impl AsRef<str>) -> Self {
        self.currency = Some(currency.as_ref().to_owned());
        self
    }

    fn validate(&self) -> Result<()> {
        if let Some(c) = &self.currency {
            validate::currency("currency", c)?;
        }
        validate_fields(&self.fields)
    }
}

fn validate_fields(fields: &[FormField]) -> Result<()> {
    if fields.is_empty() {
        return Err(Error::validation("fields", "must not be empty"));
    }
    for (i, f) in fields.iter().enumerate() {
        if f.field_name.trim().is_empty() {
            return Err(Error::validation(
                format!("fields[{i}].field_name"),
                "must not be empty",
            ));
        }
    }
    Ok(())
}

/// The body of [`Payees::update_bank_account`]: the whole form again. Under
/// the `server` feature it also decodes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[non_exhaustive]
pub struct UpdateBankAccount {
    /// The account currency the form was fetched for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Every field, not only the changed ones.
    pub fields: Vec<FormField>,
}

impl UpdateBankAccount {
    /// An update with every field of the form.
    pub fn new(fields: Vec<FormField>) -> Self {
        Self {
            currency: None,
            fields,
        }
    }
    /// The account currency.
    pub fn currency(mut self, currency: impl AsRef<str>) -> Self {
        self.currency = Some(currency.as_ref().to_owned());
        self
    }

    fn validate(&self) -> Result<()> {
        if let Some(c) = &self.currency {
            validate::currency("currency", c)?;
        }
        validate_fields(&self.fields)
    }
}

/// Countries and currencies a payout method pays out to.
///
/// The page does not document this answer's fields. The SDK reads
/// `countries: [{country, currencies: [..]}]`, and also a list under
/// `currencies` (or `list`, `items`, `records`, `rows`, `data`) whose rows
/// are `{country, currency}` or bare currency codes; everything else is kept
/// in `extra`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[cfg_attr(feature = "server", derive(serde::Serialize))]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct PayoutCurrencies {
    /// The method asked about, when echoed.
    #[serde(default)]
    pub payment_method: Option<PaymentMethod>,
    /// Where the method pays out, country by country.
    #[serde(default)]
    pub countries: Vec<PayoutCountry>,
    /// Every other field, as sent.
    #[serde(skip)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

crate::answer::answer_model!(PayoutCurrencies, reshape = reshape_payout_currencies);

fn reshape_payout_currencies(fields: &mut crate::answer::Fields) {
    let mut keys = vec!["currencies"];
    keys.extend_from_slice(crate::answer::LIST_KEYS);
    crate::answer::rename_list(fields, "countries", &keys);
    // Rows given as bare codes (`["CNY", "USD"]`) become `{"currency": ..}`.
    if let Some(list) = fields.get("countries")
        && let Ok(items) = serde_json::from_str::<Vec<serde_json::Value>>(list.get())
        && items.iter().any(serde_json::Value::is_string)
    {
        let rows: Vec<serde_json::Value> = items
            .into_iter()
            .map(|v| match v {
                serde_json::Value::String(c) => serde_json::json!({ "currency": c }),
                other => other,
            })
            .collect();
        if let Ok(raw) = serde_json::value::to_raw_value(&rows) {
            fields.insert("countries".to_owned(), raw);
        }
    }
}

/// One country a payout method pays out to, and its currencies.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[cfg_attr(feature = "server", derive(serde::Serialize))]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct PayoutCountry {
    /// Country (ISO-3166 alpha-2), when given.
    #[serde(default)]
    pub country: Option<String>,
    /// Currencies paid out there (ISO-4217); a row with one `currency` gives one.
    #[serde(default)]
    pub currencies: Vec<String>,
    /// Every other field, as sent.
    #[serde(skip)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

crate::answer::answer_model!(PayoutCountry, reshape = reshape_payout_country);

fn reshape_payout_country(fields: &mut crate::answer::Fields) {
    if !fields.contains_key("currencies")
        && let Some(c) = fields.remove("currency")
        && let Some(list) = serde_json::value::RawValue::from_string(format!("[{}]", c.get())).ok()
    {
        fields.insert("currencies".to_owned(), list);
    }
}

/// The body of [`Payees::update`]: the same fields as [`CreatePayee`].
pub type UpdatePayee = CreatePayee;

/// The old name of [`CreatePayee`].
#[deprecated(note = "renamed to `CreatePayee` (and `UpdatePayee` for updates)")]
pub type PayeeRequest = CreatePayee;

/// The old name of [`EWalletAccount`].
#[deprecated(note = "renamed to `EWalletAccount`")]
pub type EWalletAccountRequest = EWalletAccount;

/// The payees API: `client.payees()`.
#[derive(Debug, Clone, Copy)]
pub struct Payees<'a> {
    client: &'a Client,
}

impl Client {
    /// The payees API (收款人).
    pub fn payees(&self) -> Payees<'_> {
        Payees { client: self }
    }
}

impl<'a> Payees<'a> {
    /// `POST /v1/remittance/payees`: creates a payee.
    pub async fn create(&self, payee: &CreatePayee) -> Result<Payee> {
        self.client
            .send_json(PAYEE_CREATE, &[], payee.validate(), payee)
            .await
    }

    /// `GET /v1/remittance/payees`: one page.
    pub async fn list(&self, query: &PayeesQuery) -> Result<Page<Payee>> {
        self.client.list::<_, PayeeList>(PAYEES_LIST, query).await
    }

    /// Every payee matching `query`, from `query.page` on, page after page.
    pub fn list_stream(&self, query: PayeesQuery) -> Items<Payee> {
        self.client.list_all::<_, PayeeList>(PAYEES_LIST, query)
    }

    /// `PUT /v1/remittance/payees/{payee_id}`: replaces every field of a payee.
    pub async fn update(&self, payee_id: &str, payee: &UpdatePayee) -> Result<Payee> {
        self.client
            .send_json(PAYEE_UPDATE, &[payee_id], payee.validate(), payee)
            .await
    }

    /// `DELETE /v1/remittance/payees/{payee_id}`: asks for the payee to be
    /// deactivated. Acceptance only: the `PAYEE_DEACTIVATED` webhook or a
    /// query tells the outcome.
    pub async fn deactivate(&self, payee_id: &str) -> Result<()> {
        let _: serde::de::IgnoredAny = self
            .client
            .send_plain(PAYEE_DEACTIVATE, &[payee_id])
            .await?;
        Ok(())
    }

    /// `GET /v1/remittance/available_payment_methods`.
    pub async fn payment_methods(&self) -> Result<PaymentMethods> {
        self.client.send_plain(PAYMENT_METHODS, &[]).await
    }

    /// `POST /v1/remittance/payees/{payee_id}/accounts`: adds an e-wallet account.
    pub async fn add_account(
        &self,
        payee_id: &str,
        account: &EWalletAccount,
    ) -> Result<PayeeAccount> {
        self.client
            .send_json(PAYEE_ACCOUNT_ADD, &[payee_id], account.validate(), account)
            .await
    }

    /// `GET /v1/remittance/payees/{payee_id}/accounts`: the payee's accounts.
    /// `language` picks the language of form descriptions (default `en`).
    pub async fn accounts(
        &self,
        payee_id: &str,
        language: Option<&str>,
    ) -> Result<Vec<PayeeAccount>> {
        let call = self
            .client
            .call(PAYEE_ACCOUNTS_LIST, &[payee_id])?
            .query(&AccountsQuery::new(language))?;
        let list: PayeeAccountList = self.client.send(call).await?;
        Ok(list.accounts)
    }

    /// `PUT /v1/remittance/payees/{payee_id}/payee_accounts/{account_id}`:
    /// replaces an e-wallet account.
    pub async fn update_account(
        &self,
        payee_id: &str,
        account_id: &str,
        account: &EWalletAccount,
    ) -> Result<PayeeAccount> {
        self.client
            .send_json(
                PAYEE_ACCOUNT_UPDATE,
                &[payee_id, account_id],
                account.validate(),
                account,
            )
            .await
    }

    /// `GET /v1/remittance/payees/{payee_id}/account_register_format`: the
    /// form a bank account registration must fill.
    pub async fn account_form(
        &self,
        payee_id: &str,
        query: &AccountFormQuery,
    ) -> Result<AccountForm> {
        self.client
            .send_query(PAYEE_ACCOUNT_FORMAT, &[payee_id], query.validate(), query)
            .await
    }

    /// `POST /v1/remittance/payees/{payee_id}/account_registry`: registers a
    /// bank account from the filled form.
    pub async fn register_bank_account(
        &self,
        payee_id: &str,
        registration: &RegisterBankAccount,
    ) -> Result<PayeeAccount> {
        self.client
            .send_json(
                PAYEE_ACCOUNT_REGISTER,
                &[payee_id],
                registration.validate(),
                registration,
            )
            .await
    }

    /// `PUT /v1/remittance/payee_accounts/{account_id}`: replaces a bank
    /// account's form.
    pub async fn update_bank_account(
        &self,
        account_id: &str,
        update: &UpdateBankAccount,
    ) -> Result<PayeeAccount> {
        self.client
            .send_json(
                PAYEE_BANK_ACCOUNT_UPDATE,
                &[account_id],
                update.validate(),
                update,
            )
            .await
    }

    /// `DELETE /v1/remittance/payee_accounts/{account_id}`: asks for an account
    /// to be removed (acceptance only; query to confirm).
    pub async fn remove_account(&self, account_id: &str) -> Result<()> {
        let _: serde::de::IgnoredAny = self
            .client
            .send_plain(PAYEE_ACCOUNT_REMOVE, &[account_id])
            .await?;
        Ok(())
    }

    /// `GET /v1/remittance/payout_currencies?payment_method=`: the countries
    /// and currencies `payment_method` pays out to.
    pub async fn payout_currencies(
        &self,
        payment_method: &PaymentMethod,
    ) -> Result<PayoutCurrencies> {
        check(
            PAYOUT_CURRENCIES,
            if payment_method.as_str().trim().is_empty() {
                Err(Error::validation("payment_method", "must not be empty"))
            } else {
                Ok(())
            },
        )?;
        let call = self
            .client
            .call(PAYOUT_CURRENCIES, &[])?
            .query(&PayoutCurrenciesQuery::new(payment_method.clone()))?;
        self.client.send(call).await
    }
}
