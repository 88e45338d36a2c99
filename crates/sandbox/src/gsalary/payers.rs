//! Payers and attachments (`/v1/remittance/payers...`, `/v1/attachments`).

use super::*;

pub(super) fn attachment(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    #[derive(Deserialize)]
    struct B {
        #[serde(rename = "type")]
        kind: String,
        filename: String,
        base64: String,
    }
    let b: B = cx.body()?;
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
    cx.tx.put(
        ATTACHMENTS,
        &id,
        &json!({"file_id": id, "type": b.kind, "filename": b.filename, "mime": mime, "size": bytes.len()}),
    );
    Ok(Some(json!({"file_id": id})))
}

pub(super) fn payer_fields(cx: &Cx<'_, '_>) -> R<Map<String, Value>> {
    let v: Value = cx.body()?;
    let Value::Object(m) = v else {
        return Err(invalid("the body must be a JSON object"));
    };
    for k in [
        "subject_type",
        "cert_type",
        "cert_number",
        "region",
        "address",
    ] {
        if m.get(k).is_none_or(Value::is_null) {
            return Err(missing(k));
        }
    }
    let files = m
        .get("cert_files")
        .and_then(Value::as_array)
        .ok_or_else(|| missing("cert_files"))?;
    for f in files {
        let id = f.as_str().unwrap_or_default();
        if !cx.tx.contains(ATTACHMENTS, id) {
            return Err(invalid(format!("cert_files: unknown file id `{id}`")));
        }
    }
    Ok(m)
}

pub(super) fn payer_json(p: &Payer) -> Value {
    let mut m = p.fields.clone();
    m.insert("payer_id".into(), json!(p.payer_id));
    Value::Object(m)
}

pub(super) fn payer_create(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    let fields = payer_fields(cx)?;
    let p = Payer {
        payer_id: cx.id("payer_"),
        fields,
        at: cx.now,
    };
    cx.tx.put(PAYERS, &p.payer_id, &p);
    Ok(Some(payer_json(&p)))
}

pub(super) fn get_payer(cx: &Cx<'_, '_>, id: &str) -> R<Payer> {
    cx.tx
        .get(PAYERS, id)
        .ok_or_else(|| not_found("payer not found"))
}

pub(super) fn payer_get(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<Value>> {
    Ok(Some(payer_json(&get_payer(cx, id)?)))
}

pub(super) fn payer_update(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<Value>> {
    let mut p = get_payer(cx, id)?;
    p.fields = payer_fields(cx)?;
    cx.tx.put(PAYERS, id, &p);
    Ok(Some(payer_json(&p)))
}

pub(super) fn payer_remove(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<Value>> {
    get_payer(cx, id)?;
    cx.tx.delete(PAYERS, id);
    Ok(None)
}

pub(super) fn payers_list(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    let items: Vec<Value> = cx.tx.scan::<Payer>(PAYERS).iter().map(payer_json).collect();
    Ok(Some(json!({"payers": items})))
}
