//! Card holders (`/v1/card_holders...`).

use super::*;

pub(super) fn holder_json(h: &Holder) -> Value {
    let mut m = h.fields.clone();
    m.insert("card_holder_id".into(), json!(h.card_holder_id));
    m.insert("create_time".into(), json!(iso(h.at)));
    Value::Object(m)
}

pub(super) fn holder_fields(cx: &Cx<'_, '_>, partial: bool) -> R<Map<String, Value>> {
    let v: Value = cx.body()?;
    let Value::Object(m) = v else {
        return Err(invalid("the body must be a JSON object"));
    };
    let text = |k: &str| m.get(k).and_then(Value::as_str);
    for k in ["first_name", "last_name", "birth", "email", "region"] {
        match m.get(k) {
            None if partial => {}
            None => return Err(missing(k)),
            Some(Value::String(s)) if !s.trim().is_empty() => {}
            Some(_) => return Err(invalid(format!("`{k}` must be a non-empty string"))),
        }
    }
    for k in ["first_name", "last_name"] {
        if let Some(n) = text(k)
            && (n.chars().count() > 40 || !n.chars().all(|c| c.is_ascii_alphabetic() || c == ' '))
        {
            return Err(invalid(format!("`{k}` must be 1 to 40 letters and spaces")));
        }
    }
    if let Some(e) = text("email")
        && !e.contains('@')
    {
        return Err(invalid("`email` is not an e-mail address"));
    }
    match m.get("mobile") {
        None if partial => {}
        Some(Value::Object(mo))
            if mo
                .get("mobile")
                .and_then(Value::as_str)
                .is_some_and(|s| !s.is_empty()) => {}
        _ => return Err(missing("mobile")),
    }
    Ok(m)
}

pub(super) fn holder_create(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    let fields = holder_fields(cx, false)?;
    let h = Holder {
        card_holder_id: cx.id("holder_"),
        at: cx.now,
        fields,
    };
    cx.tx.put(HOLDERS, &h.card_holder_id, &h);
    Ok(Some(holder_json(&h)))
}

pub(super) fn holder_get(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<Value>> {
    let h: Holder = cx
        .tx
        .get(HOLDERS, id)
        .ok_or_else(|| not_found("card holder not found"))?;
    Ok(Some(holder_json(&h)))
}

pub(super) fn holder_update(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<Value>> {
    let mut h: Holder = cx
        .tx
        .get(HOLDERS, id)
        .ok_or_else(|| not_found("card holder not found"))?;
    let fields = holder_fields(cx, true)?;
    if fields.is_empty() {
        return Err(invalid("an update needs at least one field"));
    }
    h.fields.extend(fields);
    cx.tx.put(HOLDERS, id, &h);
    Ok(Some(holder_json(&h)))
}

pub(super) fn holders_list(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    let (page, limit) = cx.paging()?;
    let w = cx.window("time_start", "time_end")?;
    let items: Vec<Value> = cx
        .tx
        .scan::<Holder>(HOLDERS)
        .iter()
        .filter(|h| in_window(h.at, w))
        .map(holder_json)
        .collect();
    Ok(Some(paged("card_holders", items, page, limit, &cx.query)))
}
