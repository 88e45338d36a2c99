//! Payers and attachments (`/v1/remittance/payers...`, `/v1/attachments`),
//! on the crate's wire types.
//!
//! A payer's record keeps the request that made it ([`wire::CreatePayer`],
//! written as its wire form).

use walletbridge_gsalary::payers::{self as wire, AttachmentBody};

use super::*;

/// An uploaded file, as the sandbox keeps it (its bytes are not kept).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Attachment {
    file_id: String,
    kind: String,
    filename: String,
    mime: String,
    size: usize,
}

pub(super) fn attachment(cx: &mut Cx<'_, '_>) -> R<Option<wire::UploadedAttachment>> {
    let b: AttachmentBody = cx.body()?;
    if b.filename.trim().is_empty() {
        return Err(missing("filename"));
    }
    let Some(rest) = b.base64.strip_prefix("data:") else {
        return Err(invalid("`base64` must be a data URL"));
    };
    let Some((mime, data)) = rest.split_once(";base64,") else {
        return Err(invalid("`base64` must be a base64 data URL"));
    };
    let bytes = walletbridge_core::encoding::decode_base64_lenient(data)
        .map_err(|_| invalid("`base64` does not decode"))?;
    if bytes.is_empty() {
        return Err(invalid("the file is empty"));
    }
    if bytes.len() > 5 * 1024 * 1024 {
        return Err(invalid("the file is larger than 5 MB"));
    }
    let id = cx.id("file_");
    let record = Attachment {
        file_id: id.clone(),
        kind: b.kind.as_str().to_owned(),
        filename: b.filename,
        mime: mime.to_owned(),
        size: bytes.len(),
    };
    cx.tx.put(ATTACHMENTS, &id, &record);
    let mut m = wire::UploadedAttachment::default();
    m.file_id = id;
    Ok(Some(m))
}

/// The body of a create or an update, checked; returns it as the record's
/// fields.
fn payer_fields(cx: &Cx<'_, '_>) -> R<Map<String, Value>> {
    let b: wire::CreatePayer = cx.body()?;
    for id in &b.cert_files {
        if !cx.tx.contains(ATTACHMENTS, id) {
            return Err(invalid(format!("cert_files: unknown file id `{id}`")));
        }
    }
    match serde_json::to_value(&b) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(invalid("the payer cannot be stored")),
    }
}

/// A payer as the crate's model.
fn payer_of(p: &Payer) -> wire::Payer {
    let mut m = wire::Payer::default();
    m.payer_id = p.payer_id.clone();
    if let Ok(r) = serde_json::from_value::<wire::CreatePayer>(Value::Object(p.fields.clone())) {
        m.subject_type = Some(r.subject_type);
        m.first_name = r.first_name;
        m.last_name = r.last_name;
        m.cert_type = Some(r.cert_type);
        m.cert_number = Some(r.cert_number);
        m.cert_files = r.cert_files;
        m.birthday = r.birthday;
        m.region = Some(r.region);
        m.company_name = r.company_name;
        m.register_number = r.register_number;
        m.business_scopes = r.business_scopes.unwrap_or_default();
        m.address = Some(r.address);
    }
    m
}

pub(super) fn payer_create(cx: &mut Cx<'_, '_>) -> R<Option<wire::Payer>> {
    let fields = payer_fields(cx)?;
    let p = Payer {
        payer_id: cx.id("payer_"),
        fields,
        at: cx.now,
    };
    cx.tx.put(PAYERS, &p.payer_id, &p);
    Ok(Some(payer_of(&p)))
}

pub(super) fn get_payer(cx: &Cx<'_, '_>, id: &str) -> R<Payer> {
    cx.tx
        .get(PAYERS, id)
        .ok_or_else(|| not_found("payer not found"))
}

pub(super) fn payer_get(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<wire::Payer>> {
    Ok(Some(payer_of(&get_payer(cx, id)?)))
}

pub(super) fn payer_update(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<wire::Payer>> {
    let mut p = get_payer(cx, id)?;
    p.fields = payer_fields(cx)?;
    cx.tx.put(PAYERS, id, &p);
    Ok(Some(payer_of(&p)))
}

pub(super) fn payer_remove(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<()>> {
    get_payer(cx, id)?;
    cx.tx.delete(PAYERS, id);
    Ok(None)
}

pub(super) fn payers_list(cx: &mut Cx<'_, '_>) -> R<Option<wire::PayerList>> {
    let mut list = wire::PayerList::default();
    list.payers = cx.tx.scan::<Payer>(PAYERS).iter().map(payer_of).collect();
    Ok(Some(list))
}
