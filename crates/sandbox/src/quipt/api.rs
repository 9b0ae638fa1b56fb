//! Quipt's Merchant API v2 endpoints under `/v2` (`shared/api/quipt.md`). Handlers only translate
//! between HTTP and the state; the rules live in `rules.rs`, the gate in `gate.rs`.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::records::*;
use super::responses::parse_body;
use super::rules::{self, AckBody, CancelShipmentBody, ShipBody};
use super::state::QuiptState;

/// Largest page size (contract: at most 200).
pub const MAX_PAGE_SIZE: u32 = 200;

fn render(order: &SimOrder, includes: &[String]) -> Value {
    let mut value = serde_json::to_value(order).expect("orders serialize");
    for (pointer, garbled) in &order.garbled {
        if let Some(slot) = value.pointer_mut(pointer) {
            *slot = garbled.clone();
        }
    }
    let has = |name: &str| includes.iter().any(|i| i.eq_ignore_ascii_case(name));
    if let Some(map) = value.as_object_mut() {
        if !has("Shipments") {
            map.remove("Shipments");
        }
        if !has("Cancellations") {
            map.remove("Cancellations");
        }
        if !has("Acknowledgements")
            && let Some(Value::Array(lines)) = map.get_mut("Lines")
        {
            for line in lines {
                if let Some(line) = line.as_object_mut() {
                    line.remove("Acknowledgements");
                }
            }
        }
    }
    value
}

pub async fn fulfillment_get(
    State(state): State<QuiptState>,
    Path((first, second)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> Response {
    let reply = state.reply();
    let params: HashMap<String, String> =
        url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    let list = |key: &str| -> Vec<String> {
        params
            .get(key)
            .map(|v| {
                v.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default()
    };
    if first == "id" {
        // One order, with what `include` asks for, as a listing's orders.
        return match state.order(&second) {
            Some(order) => reply.envelope(
                StatusCode::OK,
                render(&order, &list("include")),
                None,
                true,
                Vec::new(),
            ),
            None => reply.error(
                StatusCode::NOT_FOUND,
                "NotFound",
                format!("No order with id {second}."),
            ),
        };
    }
    let bad = |text: String| reply.error(StatusCode::BAD_REQUEST, "BadRequest", text);
    let size: u32 = match first.parse() {
        Ok(n) if (1..=MAX_PAGE_SIZE).contains(&n) => n,
        _ => {
            return bad(format!(
                "pageSize must be between 1 and {MAX_PAGE_SIZE}, not {first}."
            ));
        }
    };
    let page: u32 = match second.parse() {
        Ok(n) if n >= 1 => n,
        _ => return bad(format!("pageNumber must be 1 or more, not {second}.")),
    };
    let mut statuses = Vec::new();
    for s in list("orderStatus") {
        match s.parse::<i64>() {
            Ok(code) => statuses.push(code),
            Err(_) => return bad(format!("orderStatus has an invalid code: {s}.")),
        }
    }
    let warehouse_ids = list("warehouseIds");
    let modified_after = match params.get("modifiedAfter") {
        Some(t) => match DateTime::parse_from_rfc3339(t) {
            Ok(t) => Some(t.with_timezone(&Utc)),
            Err(_) => return bad(format!("modifiedAfter is not an ISO 8601 timestamp: {t}.")),
        },
        None => None,
    };
    let includes = list("include");

    let inner = state.lock();
    let mut matching: Vec<&SimOrder> = inner
        .records
        .orders()
        .iter()
        .filter(|o| statuses.is_empty() || statuses.contains(&o.status))
        .filter(|o| {
            warehouse_ids.is_empty()
                || o.warehouse
                    .as_ref()
                    .is_some_and(|w| warehouse_ids.contains(&w.id))
        })
        .filter(|o| modified_after.is_none_or(|t| o.modified_at > t))
        .collect();
    // Ordered by fields that never change, so acknowledging or shipping an order while a client
    // pages through the list does not shift the later pages.
    matching.sort_by(|a, b| (a.ordered_at, &a.id).cmp(&(b.ordered_at, &b.id)));
    let total = matching.len() as u64;
    let start = (page as usize - 1) * size as usize;
    let items: Vec<Value> = matching
        .iter()
        .skip(start)
        .take(size as usize)
        .map(|o| render(o, &includes))
        .collect();
    let has_more = (start + items.len()) < matching.len();
    drop(inner);
    let paging = json!({"PageNumber": page, "Total": total, "HasMoreRecords": has_more});
    reply.envelope(
        StatusCode::OK,
        Value::Array(items),
        Some(paging),
        true,
        Vec::new(),
    )
}

pub async fn acknowledge(
    State(state): State<QuiptState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let reply = state.reply();
    match parse_body::<AckBody>(&body) {
        Ok(body) => {
            reply.outcome(state.write(&id, |order, now| rules::acknowledge(order, body, now)))
        }
        Err(text) => reply.bad_body(text),
    }
}

pub async fn ship(
    State(state): State<QuiptState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let reply = state.reply();
    match parse_body::<ShipBody>(&body) {
        Ok(body) => reply.outcome(state.write(&id, |order, now| rules::ship(order, body, now))),
        Err(text) => reply.bad_body(text),
    }
}

pub async fn void(
    State(state): State<QuiptState>,
    Path((id, external_id)): Path<(String, String)>,
) -> Response {
    let reply = state.reply();
    reply.outcome(state.write(&id, |order, now| rules::void(order, &external_id, now)))
}

pub async fn cancel_shipment(
    State(state): State<QuiptState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let reply = state.reply();
    match parse_body::<CancelShipmentBody>(&body) {
        Ok(body) => {
            reply.outcome(state.write(&id, |order, now| rules::cancel_shipment(order, body, now)))
        }
        Err(text) => reply.bad_body(text),
    }
}

pub async fn warehouses(State(state): State<QuiptState>) -> Response {
    let reply = state.reply();
    let result = serde_json::to_value(state.warehouses()).expect("warehouses serialize");
    reply.envelope(StatusCode::OK, result, None, true, Vec::new())
}

pub async fn partners(State(state): State<QuiptState>) -> Response {
    let reply = state.reply();
    let result = serde_json::to_value(state.partners()).expect("partners serialize");
    reply.envelope(StatusCode::OK, result, None, true, Vec::new())
}
