//! Intercom's two ways through a long list: numbered pages with `pages.next`, and the scroll API.

use std::time::Instant;

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::http::{ApiError, Query};
use crate::world::{SCROLL_EXPIRY, Scroll, World};

/// Intercom's default page size, and the largest it allows.
const DEFAULT_PER_PAGE: i64 = 50;
const MAX_PER_PAGE: i64 = 60;

/// One page of `items` as Intercom lists them: `{"type": "<kind>.list", "<key>": [...], "total_count": n,
/// "pages": {"type": "pages", "page", "per_page", "total_pages", "next"}}`. `next` is the absolute URL of the
/// next page (the request's other parameters kept), or `null` on the last page.
pub(crate) fn page(
    world: &World,
    items: Vec<Value>,
    kind: &str,
    key: &str,
    path: &str,
    query: &Query,
) -> Result<Value, ApiError> {
    let per_page = query.number("per_page")?.unwrap_or(DEFAULT_PER_PAGE);
    if !(1..=MAX_PER_PAGE).contains(&per_page) {
        return Err(ApiError::malformed("per_page", format!("per_page must be between 1 and {MAX_PER_PAGE}")));
    }
    // Pages count from 1: page 0 or below is refused rather than taken for the first page.
    let page = query.number_from("page", 1)?.unwrap_or(1);
    let total = items.len();
    let per_page_size = usize::try_from(per_page).unwrap_or(1);
    let total_pages = total.div_ceil(per_page_size).max(1);
    let start = usize::try_from(page - 1).unwrap_or(usize::MAX).saturating_mul(per_page_size);
    let slice: Vec<Value> = items.into_iter().skip(start).take(per_page_size).collect();
    let next = (usize::try_from(page).unwrap_or(usize::MAX) < total_pages).then(|| {
        let mut pairs = query.without(&["page", "per_page"]);
        pairs.push(("per_page".to_owned(), per_page.to_string()));
        pairs.push(("page".to_owned(), (page + 1).to_string()));
        let query = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
        format!("{}{path}?{query}", world.base_url)
    });
    Ok(json!({
        "type": format!("{kind}.list"),
        key: slice,
        "total_count": total,
        "pages": { "type": "pages", "page": page, "per_page": per_page, "total_pages": total_pages, "next": next },
    }))
}

/// The next page of a scroll over `items`, as Intercom's scroll API answers: `{"type": "<kind>.list",
/// "<key>": [...], "scroll_param": "..."}`. Without `scroll_param` a scroll starts, which fails while another
/// is open (one per app, until it ends or has not been used for a minute); a page that comes back empty ends
/// it.
pub(crate) fn scroll(
    world: &mut World,
    resource: &'static str,
    items: Vec<Value>,
    kind: &str,
    query: &Query,
) -> Result<Value, ApiError> {
    let now = Instant::now();
    if world.scroll.as_ref().is_some_and(|open| now.duration_since(open.last_used) >= SCROLL_EXPIRY) {
        world.scroll = None;
    }
    let page_size = world.settings.scroll_page_size;
    let mut open = match (query.get("scroll_param"), world.scroll.take()) {
        (None, Some(open)) => {
            world.scroll = Some(open);
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "scroll_exists",
                "scroll already exists for this workspace",
            ));
        }
        (None, None) => Scroll { resource, param: world.new_uuid(), offset: 0, last_used: now },
        (Some(param), Some(open)) if open.param == param && open.resource == resource => open,
        (Some(_), open) => {
            world.scroll = open;
            return Err(ApiError::not_found("Scroll parameter not found: it expired or belongs to another scroll"));
        }
    };
    let page: Vec<Value> = items.into_iter().skip(open.offset).take(page_size).collect();
    let param = open.param.clone();
    if !page.is_empty() {
        open.offset += page.len();
        open.last_used = now;
        world.scroll = Some(open);
    }
    Ok(json!({ "type": format!("{kind}.list"), resource: page, "scroll_param": param }))
}
