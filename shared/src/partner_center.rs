//! The rules of working through Microsoft Partner Center (issue 22), written once for the
//! server's connector, its command line and the browser: how Partner Center spells statuses,
//! what a catalog item id looks like, when a change that got no answer is tried again, and how
//! which offer a Partner Center subscription is. (What a waiting change looks like on the wire
//! is `api::partner_center`.)

use crate::error_code::ErrorCode;
use crate::model::Status;

/// Attempts made before a change that Microsoft does not answer is marked failed: the first,
/// within the agent's request, and five retries with back-off (about an hour in all).
pub const MAX_ATTEMPTS: u32 = 6;

/// The longest wait between two attempts, whatever `Retry-After` asks for.
pub const MAX_RETRY_DELAY_SECONDS: u64 = 3600;

/// Seconds to wait before attempt `attempts + 1`, after `attempts` unanswered ones: 30 s, then
/// doubling (30, 60, 120, 240, 480), never sooner than Partner Center's `Retry-After` asks, and at
/// most an hour.
pub fn retry_delay_seconds(attempts: u32, retry_after: Option<u64>) -> u64 {
    let backoff = 30u64.saturating_mul(1 << attempts.saturating_sub(1).min(16));
    backoff
        .max(retry_after.unwrap_or(0))
        .min(MAX_RETRY_DELAY_SECONDS)
}

/// How Partner Center spells a status in a subscription's `status` (and what a PATCH sends):
/// new commerce cancels a subscription by setting it to `deleted`.
pub fn status_to_partner_center(status: Status) -> &'static str {
    match status {
        Status::Active => "active",
        Status::Suspended => "suspended",
        Status::Cancelled | Status::Deleted => "deleted",
        Status::Expired => "expired",
        Status::Disabled => "disabled",
    }
}

/// The console's status for Partner Center's `status` (`None` for one it does not know, such
/// as `pending` while an order is provisioned). `current` decides what `deleted` means: a
/// subscription the console holds as Deleted stays so; any other is Cancelled.
pub fn status_from_partner_center(text: &str, current: Option<Status>) -> Option<Status> {
    Some(match text.trim().to_ascii_lowercase().as_str() {
        "active" => Status::Active,
        "suspended" => Status::Suspended,
        "expired" => Status::Expired,
        "disabled" => Status::Disabled,
        "deleted" | "cancelled" => match current {
            Some(Status::Deleted) => Status::Deleted,
            _ => Status::Cancelled,
        },
        _ => return None,
    })
}

/// An offer's place in Partner Center's catalogue: `ProductId:SkuId:AvailabilityId`, the form
/// of the price list and of a cart line's `catalogItemId` (e.g. `CFQ7TTC0LH18:0001:CFQ7TTC0K59S`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogItem {
    pub product_id: String,
    pub sku_id: String,
    pub availability_id: String,
}

impl CatalogItem {
    /// Reads an offer id as a catalog item id: three parts of letters and digits joined by `:`.
    pub fn parse(offer_id: &str) -> Result<CatalogItem, String> {
        let parts: Vec<&str> = offer_id.split(':').collect();
        let valid = |p: &str| {
            !p.is_empty() && p.len() <= 32 && p.bytes().all(|b| b.is_ascii_alphanumeric())
        };
        match parts.as_slice() {
            [product, sku, availability]
                if [product, sku, availability].iter().all(|p| valid(p)) =>
            {
                Ok(CatalogItem {
                    product_id: product.to_ascii_uppercase(),
                    sku_id: sku.to_ascii_uppercase(),
                    availability_id: availability.to_ascii_uppercase(),
                })
            }
            _ => Err(format!(
                "\"{offer_id}\" is not a Partner Center catalog item id: write ProductId:SkuId:AvailabilityId as in Partner Center's price list (e.g. CFQ7TTC0LH18:0001:CFQ7TTC0K59S)"
            )),
        }
    }

    /// `ProductId:SkuId`: how a new-commerce subscription's `offerId` names its product.
    pub fn product_and_sku(&self) -> String {
        format!("{}:{}", self.product_id, self.sku_id)
    }

    pub fn id(&self) -> String {
        format!(
            "{}:{}:{}",
            self.product_id, self.sku_id, self.availability_id
        )
    }
}

/// Whether a Partner Center subscription's `offerId` names this catalogue offer: the same
/// catalog item id, or its `ProductId:SkuId` (how subscriptions name their product).
pub fn offer_matches(offer_id: &str, partner_center_offer_id: &str) -> bool {
    let theirs = partner_center_offer_id.trim();
    if offer_id.eq_ignore_ascii_case(theirs) {
        return true;
    }
    match CatalogItem::parse(offer_id) {
        Ok(item) => {
            item.product_and_sku().eq_ignore_ascii_case(theirs)
                || CatalogItem::parse(theirs)
                    .is_ok_and(|t| t.product_and_sku() == item.product_and_sku())
        }
        Err(_) => false,
    }
}

/// The console's own code for a refusal of Partner Center: the rule it names where the console
/// has that rule, else `partner_center_refused`. Microsoft's codes are those of its REST error
/// page (<https://learn.microsoft.com/partner-center/developer/error-codes>) and of new
/// commerce's documented refusals.
pub fn refusal_code(partner_center_code: &str, http_status: u16) -> ErrorCode {
    let _ = http_status;
    match partner_center_code.trim() {
        // "Subscription quantity cannot be decreased" (outside new commerce's window).
        "800090" => ErrorCode::SeatReductionWindowClosed,
        // "You have passed your {0}-day cancellation window".
        "900117" => ErrorCode::CancellationWindowClosed,
        // Quantity outside the offer's bounds, or past the seat limit.
        "2002" | "800067" | "800088" => ErrorCode::InvalidQuantity,
        // No seat changes while suspended; none on a deleted subscription.
        "800091" | "2001" => ErrorCode::SubscriptionSuspended,
        "2011" => ErrorCode::SubscriptionEnded,
        _ => ErrorCode::PartnerCenterRefused,
    }
}

/// A term as Partner Center writes it (ISO 8601 durations): `P1M` monthly, `P1Y` annual.
pub fn term_to_partner_center(term: crate::model::Term) -> &'static str {
    match term {
        crate::model::Term::Monthly => "P1M",
        crate::model::Term::Annual => "P1Y",
    }
}

/// [`term_to_partner_center`] read back; a term the console does not sell (e.g. `P3Y`) is `None`.
pub fn term_from_partner_center(text: &str) -> Option<crate::model::Term> {
    match text.trim().to_ascii_uppercase().as_str() {
        "P1M" => Some(crate::model::Term::Monthly),
        "P1Y" | "P12M" => Some(crate::model::Term::Annual),
        _ => None,
    }
}

/// A tenant as Entra ID's token endpoint takes it (`/{tenant}/oauth2/token`): its GUID, or one
/// of its domains (`contoso.onmicrosoft.com`), lower-cased. Anything else would put a path
/// or a query into the sign-in URL.
pub fn parse_tenant(text: &str) -> Result<String, String> {
    let t = text.trim();
    if let Ok(id) = uuid::Uuid::parse_str(t) {
        return Ok(id.hyphenated().to_string());
    }
    crate::customer_details::normalise_domain(t).map_err(|_| {
        format!(
            "\"{}\" is not a tenant: give the partner's Entra tenant ID (a GUID) or one of its domains (e.g. contoso.onmicrosoft.com)",
            t.chars().take(80).collect::<String>()
        )
    })
}

/// An Entra application (client) ID: a GUID.
pub fn parse_app_id(text: &str) -> Result<String, String> {
    let t = text.trim();
    uuid::Uuid::parse_str(t)
        .map(|id| id.hyphenated().to_string())
        .map_err(|_| {
            format!(
                "\"{}\" is not an application ID: give the app's Application (client) ID, a GUID",
                t.chars().take(80).collect::<String>()
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_and_honour_retry_after_within_an_hour() {
        assert_eq!(retry_delay_seconds(1, None), 30);
        assert_eq!(retry_delay_seconds(2, None), 60);
        assert_eq!(retry_delay_seconds(5, None), 480);
        assert_eq!(retry_delay_seconds(1, Some(120)), 120);
        assert_eq!(retry_delay_seconds(2, Some(5)), 60);
        assert_eq!(retry_delay_seconds(40, None), MAX_RETRY_DELAY_SECONDS);
        assert_eq!(
            retry_delay_seconds(1, Some(u64::MAX)),
            MAX_RETRY_DELAY_SECONDS
        );
        // The whole schedule fits within about an hour.
        let total: u64 = (1..MAX_ATTEMPTS)
            .map(|a| retry_delay_seconds(a, None))
            .sum();
        assert!(total <= 3600, "{total}");
    }

    #[test]
    fn statuses_round_trip_and_deleted_means_cancelled() {
        for s in [
            Status::Active,
            Status::Suspended,
            Status::Expired,
            Status::Disabled,
        ] {
            assert_eq!(
                status_from_partner_center(status_to_partner_center(s), Some(s)),
                Some(s)
            );
        }
        assert_eq!(status_to_partner_center(Status::Cancelled), "deleted");
        assert_eq!(
            status_from_partner_center("deleted", Some(Status::Active)),
            Some(Status::Cancelled)
        );
        assert_eq!(
            status_from_partner_center("deleted", Some(Status::Deleted)),
            Some(Status::Deleted)
        );
        assert_eq!(
            status_from_partner_center("Suspended", None),
            Some(Status::Suspended)
        );
        assert_eq!(status_from_partner_center("pending", None), None);
    }

    #[test]
    fn catalog_item_ids_have_three_parts_and_match_subscriptions_by_product_and_sku() {
        let item = CatalogItem::parse("cfq7ttc0lh18:0001:CFQ7TTC0K59S").unwrap();
        assert_eq!(item.id(), "CFQ7TTC0LH18:0001:CFQ7TTC0K59S");
        assert_eq!(item.product_and_sku(), "CFQ7TTC0LH18:0001");
        for bad in ["m365-e3", "A:B", "A:B:C:D", "A::C", "A:B:C D", "A:B:É"] {
            assert!(CatalogItem::parse(bad).is_err(), "{bad}");
        }
        assert!(offer_matches(
            "CFQ7TTC0LH18:0001:CFQ7TTC0K59S",
            "CFQ7TTC0LH18:0001"
        ));
        assert!(offer_matches(
            "CFQ7TTC0LH18:0001:CFQ7TTC0K59S",
            "CFQ7TTC0LH18:0001:CFQ7TTC0K5ZZ"
        ));
        assert!(!offer_matches(
            "CFQ7TTC0LH18:0001:CFQ7TTC0K59S",
            "CFQ7TTC0LH18:0002"
        ));
        assert!(offer_matches("m365-e3", "M365-E3"));
        assert!(!offer_matches("m365-e3", "CFQ7TTC0LH18:0001"));
    }

    #[test]
    fn microsofts_documented_refusals_keep_the_consoles_own_codes() {
        assert_eq!(
            refusal_code("800090", 400),
            ErrorCode::SeatReductionWindowClosed
        );
        assert_eq!(
            refusal_code("900117", 400),
            ErrorCode::CancellationWindowClosed
        );
        assert_eq!(refusal_code("800088", 403), ErrorCode::InvalidQuantity);
        assert_eq!(refusal_code("20003", 404), ErrorCode::PartnerCenterRefused);
        assert_eq!(
            refusal_code("invalid_client", 401),
            ErrorCode::PartnerCenterRefused
        );
    }

    #[test]
    fn a_tenant_is_a_guid_or_a_domain_and_an_app_id_a_guid() {
        assert_eq!(
            parse_tenant(" 7A5C3F4E-1B2D-4C6E-9F80-1A2B3C4D5E6F ").unwrap(),
            "7a5c3f4e-1b2d-4c6e-9f80-1a2b3c4d5e6f"
        );
        assert_eq!(
            parse_tenant("Contoso.onmicrosoft.com").unwrap(),
            "contoso.onmicrosoft.com"
        );
        for bad in ["", "common/../x", "contoso", "a?b=c", "7a5c3f4e-1b2d"] {
            assert!(parse_tenant(bad).is_err(), "{bad}");
        }
        assert!(parse_app_id("0d9c8b7a-6f5e-4d3c-2b1a-098765432100").is_ok());
        assert!(parse_app_id("my-app").unwrap_err().contains("GUID"));
    }

    #[test]
    fn terms_read_back_as_written() {
        for term in [crate::model::Term::Monthly, crate::model::Term::Annual] {
            assert_eq!(
                term_from_partner_center(term_to_partner_center(term)),
                Some(term)
            );
        }
        assert_eq!(
            term_from_partner_center("p12m"),
            Some(crate::model::Term::Annual)
        );
        assert_eq!(term_from_partner_center("P3Y"), None);
    }
}
