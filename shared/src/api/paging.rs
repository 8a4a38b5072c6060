//! Pages of a list: the page asked for and the page answered.

use serde::{Deserialize, Serialize};

use crate::api::errors::InvalidParameter;

/// One page of a longer list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    /// How many there are; with `total_is_at_least`, how many were counted before counting
    /// stopped ("1,000+").
    pub total: u64,
    #[serde(default)]
    pub total_is_at_least: bool,
    /// Whether a page follows this one.
    #[serde(default)]
    pub has_next: bool,
    pub page: u32,
    pub per_page: u32,
}

impl<T> Page<T> {
    /// A page from up to `per_page + 1` rows (the extra one only says a next page exists) and
    /// a count that stopped at `limit + 1`.
    pub fn from_rows(mut items: Vec<T>, counted: u64, limit: u64, request: PageRequest) -> Self {
        let per_page = request.per_page as usize;
        let has_next = items.len() > per_page;
        items.truncate(per_page);
        Page {
            items,
            total: counted.min(limit),
            total_is_at_least: counted > limit,
            has_next,
            page: request.page,
            per_page: request.per_page,
        }
    }
}

/// A whole (short) list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemList<T> {
    pub items: Vec<T>,
}

/// Which page of a list to return: 1-based, at most [`PageRequest::MAX_PER_PAGE`] items.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageRequest {
    pub page: u32,
    pub per_page: u32,
}

/// How many matches a search counts, and pages through, before it says "1,000+": a search
/// that matches more is narrowed by typing, not read page by page (exports give them all).
pub const SEARCH_LIMIT: u32 = 1000;

impl PageRequest {
    pub const DEFAULT_PER_PAGE: u32 = 25;

    /// A search's pages end with its first [`SEARCH_LIMIT`] matches.
    pub fn check_search_depth(self) -> Result<Self, InvalidParameter> {
        if self.offset() < u64::from(SEARCH_LIMIT) {
            return Ok(self);
        }
        Err(InvalidParameter {
            out_of_range: true,
            field: "page",
            message: format!(
                "A search shows its first {SEARCH_LIMIT} matches, and page {} of {} starts after them: type more of the name or domain to narrow it, or export the list.",
                self.page, self.per_page
            ),
        })
    }
    pub const MAX_PER_PAGE: u32 = 100;

    /// Reads `page` and `per_page` as they arrive in a query string.
    pub fn parse(page: Option<&str>, per_page: Option<&str>) -> Result<Self, InvalidParameter> {
        let number = |field: &'static str, raw: Option<&str>, default: u32, max: u32| match raw
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => Ok(default),
            // Digits only: no sign, no space inside (as the OpenAPI pattern says).
            Some(s) => match s
                .parse::<u32>()
                .ok()
                .filter(|_| s.bytes().all(|b| b.is_ascii_digit()))
            {
                Some(n) if (1..=max).contains(&n) => Ok(n),
                _ => Err(InvalidParameter {
                    // A number, just not one allowed (422); anything else is unreadable (400).
                    out_of_range: s.bytes().all(|b| b.is_ascii_digit()),
                    field,
                    message: format!("\"{field}\" must be a whole number from 1 to {max}."),
                }),
            },
        };
        Ok(PageRequest {
            page: number("page", page, 1, 1_000_000)?,
            per_page: number(
                "per_page",
                per_page,
                Self::DEFAULT_PER_PAGE,
                Self::MAX_PER_PAGE,
            )?,
        })
    }

    pub fn offset(self) -> u64 {
        u64::from(self.page - 1) * u64::from(self.per_page)
    }
}
