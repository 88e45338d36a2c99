//! 付款人 (payers) and the attachments (certificate images) they reference.
//!
//! Upload the payer's certificate images first with
//! [`Payers::upload_attachment`], then create the payer with the returned
//! file ids in `cert_files`.

use std::path::Path;

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use walletbridge_core::{Error, Result, SecretString};

use crate::client::{Client, check};
use crate::endpoints::{
    ATTACHMENT_UPLOAD, PAYER_CREATE, PAYER_GET, PAYER_REMOVE, PAYER_UPDATE, PAYERS_LIST,
};
use crate::models::{IntoCode, required};
use crate::payees::SubjectType;
use crate::validate;

walletbridge_core::open_enum! {
    /// A certificate type (证件类型).
    pub enum CertType {
        /// Passport.
        Passport = "PASSPORT",
        /// Driving licence.
        DrivingLicense = "DRIVING_LICENSE",
        /// Identity card.
        IdCard = "ID_CARD",
        /// Business licence (companies).
        BusinessLicense = "BUSINESS_LICENSE",
    }
}

walletbridge_core::open_enum! {
    /// An attachment's type. The page knows one.
    pub enum AttachmentType {
        /// A certificate (证件).
        CertFile = "CERT_FILE",
    }
}

walletbridge_core::open_enum! {
    /// A company payer's line of business (企业业务类型).
    pub enum BusinessScope {
        /// Miscellaneous services.
        MiscellaneousServices = "MISCELLANEOUS_SERVICES",
        /// Automobile rental services.
        AutomobileRentalServices = "AUTOMOBILE_RENTAL_SERVICES",
        /// Restaurants and leisure.
        RestaurantsLeisure = "RESTAURANTS_LEISURE",
        /// Professional consulting.
        ProfessionalConsulting = "PROFESSIONAL_CONSULTING",
        /// Education.
        Education = "EDUCATION",
        /// Data processing services.
        DataProcessingServices = "DATA_PROCESSING_SERVICES",
        /// Human resource and employment services.
        HumanResourceEmploymentServices = "HUMAN_RESOURCE_EMPLOYMENT_SERVICES",
        /// Environmental and facilities services.
        EnvironmentalFacilitiesServices = "ENVIRONMENTAL_FACILITIES_SERVICES",
        /// Other services.
        OtherServices = "OTHER_SERVICES",
        /// Agricultural.
        Agricultural = "AGRICULTURAL",
        /// Forestry.
        Forestry = "FORESTRY",
        /// Fishing, hunting and trapping.
        FishingHuntingAndTrapping = "FISHING_HUNTING_AND_TRAPPING",
        /// Transportation.
        Transportation = "TRANSPORTATION",
        /// Logistics and warehousing.
        LogisticsWarehousing = "LOGISTICS_WAREHOUSING",
        /// Airlines and air carriers.
        AirlinesAirCarriers = "AIRLINES_AIR_CARRIERS",
        /// Travel and accommodation.
        TravelAccommodation = "TRAVEL_ACCOMMODATION",
        /// Automobiles and vehicles.
        AutomobilesAndVehicles = "AUTOMOBILES_AND_VEHICLES",
        /// Office supplies.
        OfficeSupplies = "OFFICE_SUPPLIES",
        /// Distributors.
        Distributors = "DISTRIBUTORS",
        /// Apparel retail.
        ApparelRetail = "APPAREL_RETAIL",
        /// Computer and electronics retail.
        ComputerElectronicsRetail = "COMPUTER_ELECTRONICS_RETAIL",
        /// Home improvement and home furnishing retail.
        HomeImprovementHomefurnishingRetail = "HOME_IMPROVEMENT_HOMEFURNISHING_RETAIL",
        /// Culture, amusement and pets.
        CultureAmusementPets = "CULTURE_AMUSEMENT_PETS",
        /// Other retail.
        OtherRetail = "OTHER_RETAIL",
        /// Construction materials.
        ConstructionMaterials = "CONSTRUCTION_MATERIALS",
        /// Containers and packaging.
        ContainersPackaging = "CONTAINERS_PACKAGING",
        /// Building products.
        BuildingProducts = "BUILDING_PRODUCTS",
        /// Construction and engineering.
        ConstructionEngineering = "CONSTRUCTION_ENGINEERING",
        /// Electrical equipment.
        ElectricalEquipment = "ELECTRICAL_EQUIPMENT",
        /// Industrial conglomerates.
        IndustrialConglomerates = "INDUSTRIAL_CONGLOMERATES",
        /// Machinery.
        Machinery = "MACHINERY",
        /// Trading companies and distributors.
        TradingCompaniesDistributors = "TRADING_COMPANIES_DISTRIBUTORS",
        /// Automobile components.
        AutomobileComponents = "AUTOMOBILE_COMPONENTS",
        /// Automobiles.
        Automobiles = "AUTOMOBILES",
        /// Household durables.
        HouseholdDurables = "HOUSEHOLD_DURABLES",
        /// Leisure products.
        LeisureProducts = "LEISURE_PRODUCTS",
        /// Textiles, apparel and luxury goods.
        TextilesApparelLuxuryGoods = "TEXTILES_APPAREL_LUXURY_GOODS",
        /// Consumer staples distribution and retail.
        ConsumerStaplesDistributionRetail = "CONSUMER_STAPLES_DISTRIBUTION_RETAIL",
        /// Beverages.
        Beverages = "BEVERAGES",
        /// Food products.
        FoodProducts = "FOOD_PRODUCTS",
        /// Household products.
        HouseholdProducts = "HOUSEHOLD_PRODUCTS",
        /// Personal care products.
        PersonalCareProducts = "PERSONAL_CARE_PRODUCTS",
        /// Health care technology.
        HealthCareTechnology = "HEALTH_CARE_TECHNOLOGY",
        /// Biotechnology.
        Biotechnology = "BIOTECHNOLOGY",
        /// Software.
        Software = "SOFTWARE",
        /// Technology hardware, storage and peripherals.
        TechnologyHardwareStoragePeripherals = "TECHNOLOGY_HARDWARE_STORAGE_PERIPHERALS",
        /// Electronic equipment, instruments and components.
        ElectronicEquipmentInstrumentsComponents = "ELECTRONIC_EQUIPMENT_INSTRUMENTS_COMPONENTS",
        /// Semiconductors and semiconductor equipment.
        SemiconductorsSemiconductorEquipment = "SEMICONDUCTORS_SEMICONDUCTOR_EQUIPMENT",
        /// Media.
        Media = "MEDIA",
        /// Entertainment.
        Entertainment = "ENTERTAINMENT",
        /// Interactive media services.
        InteractiveMediaServices = "INTERACTIVE_MEDIA_SERVICES",
        /// Others (the page's own catch-all `OTHERS`).
        Others = "OTHERS",
    }
}

/// File extensions the SDK maps to a MIME type. The page accepts images
/// (jpg/png); pass [`Attachment::mime_type`] for anything else.
const MIME_BY_EXTENSION: &[(&str, &str)] = &[
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("png", "image/png"),
];

/// The MIME type for a file name's extension, when the SDK knows it.
pub fn mime_for_filename(filename: &str) -> Option<&'static str> {
    let ext = Path::new(filename)
        .extension()?
        .to_str()?
        .to_ascii_lowercase();
    MIME_BY_EXTENSION
        .iter()
        .find(|(e, _)| *e == ext)
        .map(|(_, m)| *m)
}

/// A file to upload with [`Payers::upload_attachment`]. It is sent as a data
/// URL (`data:image/png;base64,...`) in the `base64` field.
#[derive(Clone)]
#[non_exhaustive]
pub struct Attachment {
    /// The attachment type (`CERT_FILE`).
    pub kind: AttachmentType,
    /// The file name sent to the platform.
    pub filename: String,
    /// The MIME type; when `None`, inferred from `filename`'s extension.
    pub mime_type: Option<String>,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for Attachment {
    // Certificate images are personal data: show the size, not the bytes.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attachment")
            .field("kind", &self.kind)
            .field("filename", &self.filename)
            .field("mime_type", &self.mime_type)
            .field("len", &self.bytes.len())
            .finish()
    }
}

impl Attachment {
    /// A certificate image from memory, named `filename`.
    pub fn from_bytes(filename: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Self {
            kind: AttachmentType::CertFile,
            filename: filename.into(),
            mime_type: None,
            bytes: bytes.into(),
        }
    }

    /// A certificate image read from `path` now (a blocking read); the file
    /// name sent is the path's last component. A file that cannot be read is
    /// a validation error on `path`.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|e| {
            Error::validation("path", format!("cannot read `{}`: {e}", path.display()))
        })?;
        let filename = path.file_name().and_then(|n| n.to_str()).ok_or_else(|| {
            Error::validation(
                "path",
                format!("`{}` has no usable file name", path.display()),
            )
        })?;
        Ok(Self::from_bytes(filename, bytes))
    }

    /// Sets the MIME type instead of inferring it from the extension.
    pub fn mime_type(mut self, mime: impl Into<String>) -> Self {
        self.mime_type = Some(mime.into());
        self
    }

    /// Sets the attachment type (default `CERT_FILE`).
    pub fn kind(mut self, kind: AttachmentType) -> Self {
        self.kind = kind;
        self
    }

    /// The MIME type that will be sent: the override, or the one inferred.
    fn resolved_mime(&self) -> Result<String> {
        if let Some(m) = &self.mime_type {
            let ok = m.split_once('/').is_some_and(|(t, s)| {
                let token = |x: &str| {
                    !x.is_empty()
                        && x.bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b"!#$&^_.+-".contains(&b))
                };
                token(t) && token(s)
            });
            if !ok {
                return Err(Error::validation(
                    "mime_type",
                    format!("must look like `type/subtype`, got `{m}`"),
                ));
            }
            return Ok(m.clone());
        }
        mime_for_filename(&self.filename).map(str::to_owned).ok_or_else(|| {
            Error::validation(
                "filename",
                format!(
                    "cannot infer the file type of `{}`: use a .jpg, .jpeg or .png name, or set mime_type",
                    self.filename
                ),
            )
        })
    }

    /// The data URL sent in the `base64` field.
    pub fn data_url(&self) -> Result<String> {
        let mime = self.resolved_mime()?;
        Ok(format!(
            "data:{mime};base64,{}",
            base64::engine::general_purpose::STANDARD.encode(&self.bytes)
        ))
    }

    fn validate(&self) -> Result<()> {
        if self.filename.trim().is_empty() {
            return Err(Error::validation("filename", "must not be empty"));
        }
        if self.bytes.is_empty() {
            return Err(Error::validation(
                "base64",
                format!("the file `{}` is empty", self.filename),
            ));
        }
        self.resolved_mime().map(|_| ())
    }
}

/// The body of [`Payers::upload_attachment`] as the wire carries it: the
/// file as a data URL in `base64`. Under the `server` feature it also
/// decodes. `Debug` shows the data URL's length, not the file.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[non_exhaustive]
pub struct AttachmentBody {
    /// The attachment type (`CERT_FILE`).
    #[serde(rename = "type")]
    pub kind: AttachmentType,
    /// The file name.
    pub filename: String,
    /// The file as a data URL (`data:image/png;base64,...`).
    pub base64: String,
}

impl std::fmt::Debug for AttachmentBody {
    // Certificate images are personal data: show the size, not the bytes.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AttachmentBody")
            .field("kind", &self.kind)
            .field("filename", &self.filename)
            .field("base64_len", &self.base64.len())
            .finish()
    }
}

impl AttachmentBody {
    /// The body that uploads `attachment`; fails as
    /// [`Attachment::data_url`] does (a MIME type that cannot be inferred).
    pub fn new(attachment: &Attachment) -> Result<Self> {
        Ok(Self {
            kind: attachment.kind.clone(),
            filename: attachment.filename.clone(),
            base64: attachment.data_url()?,
        })
    }
}

/// An uploaded attachment.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "server", derive(serde::Serialize, Default))]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct UploadedAttachment {
    /// The id to put in a payer's `cert_files`.
    pub file_id: String,
    /// Every other field, as sent.
    #[serde(skip)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

crate::answer::answer_model!(UploadedAttachment);

/// A payer's postal address: the same [`models::Address`](crate::models::Address)
/// as a card holder's bill address (one type; a field left unset or blank is
/// not sent).
pub use crate::models::Address;

/// The body of [`Payers::create`] and [`Payers::update`] (an update replaces
/// every field). Under the `server` feature it also decodes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[non_exhaustive]
pub struct CreatePayer {
    /// Person or company.
    pub subject_type: SubjectType,
    /// Given name (people): English letters and spaces.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Family name (people): English letters and spaces.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Certificate type.
    pub cert_type: CertType,
    /// Certificate number (redacted in `Debug`).
    pub cert_number: SecretString,
    /// Ids of the uploaded certificate images.
    pub cert_files: Vec<String>,
    /// Birthday (people), `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub birthday: Option<String>,
    /// ISO-3166 two-letter region.
    pub region: String,
    /// Company name (companies): English letters, digits and spaces.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    /// Company registration number (companies).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub register_number: Option<String>,
    /// Lines of business (companies).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub business_scopes: Option<Vec<BusinessScope>>,
    /// Address.
    pub address: Address,
}

impl CreatePayer {
    /// A person, built field by field:
    ///
    /// ```
    /// use walletbridge_gsalary::models::Address;
    /// use walletbridge_gsalary::payers::{CertType, CreatePayer};
    /// let payer = CreatePayer::individual()
    ///     .first_name("Ada")
    ///     .last_name("Lovelace")
    ///     .birthday("1990-01-01")
    ///     .cert(CertType::Passport, "E1234567", vec!["file-1".into()])
    ///     .region("GB")
    ///     .address(Address::new().city("London").country("GB"))
    ///     .build()?;
    /// assert_eq!(payer.region, "GB");
    /// // A field left out is named.
    /// let err = CreatePayer::individual().first_name("Ada").build().unwrap_err();
    /// assert!(err.to_string().contains("last_name"));
    /// # Ok::<(), walletbridge_gsalary::Error>(())
    /// ```
    pub fn individual() -> CreatePayerBuilder {
        CreatePayerBuilder::new(SubjectType::Individual)
    }

    /// A company, built field by field (`company_name`, `register_number`,
    /// `business_scopes`, the certificate, `region` and `address`).
    pub fn enterprise() -> CreatePayerBuilder {
        CreatePayerBuilder::new(SubjectType::Enterprise)
    }

    fn validate(&self) -> Result<()> {
        if self.cert_number.expose().trim().is_empty() {
            return Err(Error::validation("cert_number", "must not be empty"));
        }
        if self.cert_files.is_empty() {
            return Err(Error::validation(
                "cert_files",
                "must name at least one uploaded attachment",
            ));
        }
        if let Some(i) = self.cert_files.iter().position(|f| f.trim().is_empty()) {
            return Err(Error::validation(
                format!("cert_files[{i}]"),
                "must not be empty",
            ));
        }
        validate::region("region", &self.region)?;
        self.address.validate("address")?;
        let letters = |c: char| c.is_ascii_alphabetic() || c == ' ';
        match self.subject_type {
            SubjectType::Individual => {
                for (field, value) in [
                    ("first_name", &self.first_name),
                    ("last_name", &self.last_name),
                ] {
                    let v = value.as_deref().unwrap_or("");
                    if v.trim().is_empty() {
                        return Err(Error::validation(
                            field,
                            "is required for an INDIVIDUAL payer",
                        ));
                    }
                    if !v.chars().all(letters) {
                        return Err(Error::validation(
                            field,
                            "must be English letters and spaces only",
                        ));
                    }
                }
                match &self.birthday {
                    Some(b) => validate::iso_date("birthday", b)?,
                    None => {
                        return Err(Error::validation(
                            "birthday",
                            "is required for an INDIVIDUAL payer",
                        ));
                    }
                }
            }
            SubjectType::Enterprise => {
                let name = self.company_name.as_deref().unwrap_or("");
                if name.trim().is_empty() {
                    return Err(Error::validation(
                        "company_name",
                        "is required for an ENTERPRISE payer",
                    ));
                }
                if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ') {
                    return Err(Error::validation(
                        "company_name",
                        "must be English letters, digits and spaces only",
                    ));
                }
                if self
                    .register_number
                    .as_deref()
                    .is_none_or(|r| r.trim().is_empty())
                {
                    return Err(Error::validation(
                        "register_number",
                        "is required for an ENTERPRISE payer",
                    ));
                }
                if self.business_scopes.as_ref().is_none_or(Vec::is_empty) {
                    return Err(Error::validation(
                        "business_scopes",
                        "is required for an ENTERPRISE payer",
                    ));
                }
                if let Some(b) = &self.birthday {
                    validate::iso_date("birthday", b)?;
                }
            }
            SubjectType::Other(_) => {}
        }
        Ok(())
    }
}

/// A payer as the platform returns it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "server", derive(serde::Serialize, Default))]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct Payer {
    /// Payer id: what a remittance quote names in `payer_id`.
    pub payer_id: String,
    /// Person or company.
    #[serde(default)]
    pub subject_type: Option<SubjectType>,
    /// Given name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Family name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// Certificate type.
    #[serde(default)]
    pub cert_type: Option<CertType>,
    /// Certificate number (redacted in `Debug`).
    #[serde(default)]
    pub cert_number: Option<SecretString>,
    /// Certificate attachment ids.
    #[serde(default)]
    pub cert_files: Vec<String>,
    /// Birthday, `YYYY-MM-DD`.
    #[serde(default)]
    pub birthday: Option<String>,
    /// Region.
    #[serde(default)]
    pub region: Option<String>,
    /// Company name.
    #[serde(default)]
    pub company_name: Option<String>,
    /// Company registration number.
    #[serde(default)]
    pub register_number: Option<String>,
    /// Lines of business.
    #[serde(default)]
    pub business_scopes: Vec<BusinessScope>,
    /// Address.
    #[serde(default)]
    pub address: Option<Address>,
    /// Every other field, as sent.
    #[serde(skip)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

crate::answer::answer_model!(Payer);

/// The answer of [`Payers::list`]: `{payers: [...]}` (not paged).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "server", derive(serde::Serialize))]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct PayerList {
    /// Every payer.
    #[serde(default)]
    pub payers: Vec<Payer>,
    /// Every other field, as sent.
    #[serde(skip)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

crate::answer::answer_model!(PayerList);

/// Builds a [`CreatePayer`]: from [`CreatePayer::individual`] or
/// [`CreatePayer::enterprise`]. [`build`](Self::build) names the first
/// required field left out (`first_name`, `last_name` and `birthday` for a
/// person; `company_name`, `register_number` and `business_scopes` for a
/// company; `cert_type`, `cert_number`, `cert_files`, `region` and `address`
/// for both) and a `region` that is not an ISO-3166 alpha-2 code. The
/// remaining rules (letters only, dates, attachments) are checked when the
/// request is sent.
#[derive(Debug)]
#[must_use = "call .build() to get the request"]
pub struct CreatePayerBuilder {
    subject_type: SubjectType,
    first_name: Option<String>,
    last_name: Option<String>,
    birthday: Option<String>,
    cert: Option<(CertType, SecretString, Vec<String>)>,
    region: Option<Result<walletbridge_core::Region>>,
    company_name: Option<String>,
    register_number: Option<String>,
    business_scopes: Option<Vec<BusinessScope>>,
    address: Option<Address>,
}

impl CreatePayerBuilder {
    fn new(subject_type: SubjectType) -> Self {
        Self {
            subject_type,
            first_name: None,
            last_name: None,
            birthday: None,
            cert: None,
            region: None,
            company_name: None,
            register_number: None,
            business_scopes: None,
            address: None,
        }
    }
    /// Given name (people): English letters and spaces.
    pub fn first_name(mut self, v: impl Into<String>) -> Self {
        self.first_name = Some(v.into());
        self
    }
    /// Family name (people): English letters and spaces.
    pub fn last_name(mut self, v: impl Into<String>) -> Self {
        self.last_name = Some(v.into());
        self
    }
    /// Birthday (people), ISO-8601 `YYYY-MM-DD`.
    pub fn birthday(mut self, v: impl Into<String>) -> Self {
        self.birthday = Some(v.into());
        self
    }
    /// The certificate: its type, its number and the ids of its uploaded
    /// images ([`Payers::upload_attachment`]).
    pub fn cert(
        mut self,
        cert_type: CertType,
        cert_number: impl Into<SecretString>,
        cert_files: Vec<String>,
    ) -> Self {
        self.cert = Some((cert_type, cert_number.into(), cert_files));
        self
    }
    /// Region: a two-letter uppercase ISO-3166 alpha-2 code (`GB`), as text
    /// or a [`walletbridge_core::Region`].
    pub fn region(mut self, v: impl IntoCode<walletbridge_core::Region>) -> Self {
        self.region = Some(v.into_code("region"));
        self
    }
    /// Company name (companies): English letters, digits and spaces.
    pub fn company_name(mut self, v: impl Into<String>) -> Self {
        self.company_name = Some(v.into());
        self
    }
    /// Company registration number (companies).
    pub fn register_number(mut self, v: impl Into<String>) -> Self {
        self.register_number = Some(v.into());
        self
    }
    /// Lines of business (companies).
    pub fn business_scopes(mut self, v: Vec<BusinessScope>) -> Self {
        self.business_scopes = Some(v);
        self
    }
    /// The address.
    pub fn address(mut self, v: Address) -> Self {
        self.address = Some(v);
        self
    }

    /// The request, or a validation error naming the first required field
    /// left out.
    pub fn build(self) -> Result<CreatePayer> {
        let region = self.region.transpose()?;
        let person = self.subject_type == SubjectType::Individual;
        let (first_name, last_name, birthday) = if person {
            (
                Some(required("first_name", self.first_name)?),
                Some(required("last_name", self.last_name)?),
                Some(required("birthday", self.birthday)?),
            )
        } else {
            (self.first_name, self.last_name, self.birthday)
        };
        let (company_name, register_number, business_scopes) = if person {
            (
                self.company_name,
                self.register_number,
                self.business_scopes,
            )
        } else {
            (
                Some(required("company_name", self.company_name)?),
                Some(required("register_number", self.register_number)?),
                Some(required("business_scopes", self.business_scopes)?),
            )
        };
        let (cert_type, cert_number, cert_files) = required("cert_type", self.cert)?;
        Ok(CreatePayer {
            subject_type: self.subject_type,
            first_name,
            last_name,
            cert_type,
            cert_number,
            cert_files,
            birthday,
            region: required("region", region)?.to_string(),
            company_name,
            register_number,
            business_scopes,
            address: required("address", self.address)?,
        })
    }
}

/// The body of [`Payers::update`]: the same fields as [`CreatePayer`].
pub type UpdatePayer = CreatePayer;

/// The payers API: `client.payers()`.
#[derive(Debug, Clone, Copy)]
pub struct Payers<'a> {
    client: &'a Client,
}

impl Client {
    /// The payers API (付款人), attachments included.
    pub fn payers(&self) -> Payers<'_> {
        Payers { client: self }
    }
}

impl Payers<'_> {
    /// `POST /v1/attachments`: uploads a certificate image, sent as a data URL.
    pub async fn upload_attachment(&self, attachment: &Attachment) -> Result<UploadedAttachment> {
        check(ATTACHMENT_UPLOAD, attachment.validate())?;
        let body = AttachmentBody::new(attachment)
            .map_err(|e| e.in_call(crate::PROVIDER, ATTACHMENT_UPLOAD.operation))?;
        let call = self.client.call(ATTACHMENT_UPLOAD, &[])?.json(&body)?;
        self.client.send(call).await
    }

    /// `POST /v1/remittance/payers`: creates a payer.
    pub async fn create(&self, payer: &CreatePayer) -> Result<Payer> {
        self.client
            .send_json(PAYER_CREATE, &[], payer.validate(), payer)
            .await
    }

    /// `GET /v1/remittance/payers`: every payer (the list is not paged).
    pub async fn list(&self) -> Result<Vec<Payer>> {
        let list: PayerList = self.client.send_plain(PAYERS_LIST, &[]).await?;
        Ok(list.payers)
    }

    /// `GET /v1/remittance/payers/{payer_id}`.
    pub async fn get(&self, payer_id: &str) -> Result<Payer> {
        self.client.send_plain(PAYER_GET, &[payer_id]).await
    }

    /// `PUT /v1/remittance/payers/{payer_id}`: replaces every field of a payer.
    pub async fn update(&self, payer_id: &str, payer: &UpdatePayer) -> Result<Payer> {
        self.client
            .send_json(PAYER_UPDATE, &[payer_id], payer.validate(), payer)
            .await
    }

    /// `DELETE /v1/remittance/payers/{payer_id}`: asks for the payer to be
    /// removed (acceptance only; query to confirm).
    pub async fn remove(&self, payer_id: &str) -> Result<()> {
        let _: serde::de::IgnoredAny = self.client.send_plain(PAYER_REMOVE, &[payer_id]).await?;
        Ok(())
    }
}
