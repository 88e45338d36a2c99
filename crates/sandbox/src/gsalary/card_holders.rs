//! Card holders (`/v1/card_holders...`), on the crate's wire types. The
//! sandbox stores a holder's fields as the client sent them.

use walletbridge_gsalary::card_holders::{
    CardHolder, CardHolderList, CardHoldersQuery, CreateCardHolder, UpdateCardHolder,
};

use super::*;

/// A stored holder's fields, as the client sent them.
pub(super) fn holder_fields(h: &Holder) -> UpdateCardHolder {
    serde_json::from_value(Value::Object(h.fields.clone())).unwrap_or_default()
}

/// A stored holder as the crate's model.
fn holder_of(h: &Holder) -> CardHolder {
    let f = holder_fields(h);
    let mut m = CardHolder::default();
    m.card_holder_id = h.card_holder_id.clone();
    m.first_name = f.first_name;
    m.last_name = f.last_name;
    m.birth = f.birth;
    m.email = f.email;
    m.mobile = f.mobile;
    m.region = f.region;
    m.bill_address = f.bill_address;
    m.create_time = Some(wire_time(h.at));
    m
}

/// The sandbox's rules on a holder's fields (what is set of them).
fn check_holder(f: &UpdateCardHolder) -> R<()> {
    for (k, v) in [
        ("first_name", &f.first_name),
        ("last_name", &f.last_name),
        ("birth", &f.birth),
        ("email", &f.email),
        ("region", &f.region),
    ] {
        if v.as_deref().is_some_and(|s| s.trim().is_empty()) {
            return Err(invalid(format!("`{k}` must be a non-empty string")));
        }
    }
    for (k, v) in [("first_name", &f.first_name), ("last_name", &f.last_name)] {
        if let Some(n) = v
            && (n.chars().count() > 40 || !n.chars().all(|c| c.is_ascii_alphabetic() || c == ' '))
        {
            return Err(invalid(format!("`{k}` must be 1 to 40 letters and spaces")));
        }
    }
    if let Some(e) = &f.email
        && !e.contains('@')
    {
        return Err(invalid("`email` is not an e-mail address"));
    }
    if f.mobile.as_ref().is_some_and(|m| m.mobile.is_empty()) {
        return Err(missing("mobile"));
    }
    Ok(())
}

/// The fields as stored: what the client sent, as the wire writes it.
fn stored(f: &UpdateCardHolder) -> Map<String, Value> {
    match serde_json::to_value(f) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    }
}

pub(super) fn holder_create(cx: &mut Cx<'_, '_>) -> R<Option<CardHolder>> {
    let b: CreateCardHolder = cx.body()?;
    let mut f = UpdateCardHolder::new();
    f.first_name = Some(b.first_name);
    f.last_name = Some(b.last_name);
    f.birth = Some(b.birth);
    f.email = Some(b.email);
    f.mobile = Some(b.mobile);
    f.region = Some(b.region);
    f.bill_address = b.bill_address;
    check_holder(&f)?;
    let h = Holder {
        card_holder_id: cx.id("holder_"),
        at: cx.now,
        fields: stored(&f),
    };
    cx.tx.put(HOLDERS, &h.card_holder_id, &h);
    Ok(Some(holder_of(&h)))
}

pub(super) fn holder_get(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<CardHolder>> {
    let h: Holder = cx
        .tx
        .get(HOLDERS, id)
        .ok_or_else(|| not_found("card holder not found"))?;
    Ok(Some(holder_of(&h)))
}

pub(super) fn holder_update(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<CardHolder>> {
    let mut h: Holder = cx
        .tx
        .get(HOLDERS, id)
        .ok_or_else(|| not_found("card holder not found"))?;
    let b: UpdateCardHolder = cx.body()?;
    check_holder(&b)?;
    let fields = stored(&b);
    if fields.is_empty() {
        return Err(invalid("an update needs at least one field"));
    }
    h.fields.extend(fields);
    cx.tx.put(HOLDERS, id, &h);
    Ok(Some(holder_of(&h)))
}

pub(super) fn holders_list(cx: &mut Cx<'_, '_>) -> R<Option<CardHolderList>> {
    let q: CardHoldersQuery = cx.query_as()?;
    check_paging(q.page, q.limit)?;
    let w = window_of(q.time_start, q.time_end);
    let items: Vec<CardHolder> = cx
        .tx
        .scan::<Holder>(HOLDERS)
        .iter()
        .filter(|h| in_window(h.at, w))
        .map(holder_of)
        .collect();
    Ok(Some(list_answer!(
        CardHolderList,
        card_holders,
        items,
        q.page,
        q.limit,
        &cx.query
    )))
}
