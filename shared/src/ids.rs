//! Typed ids, so a customer id can never be passed where a subscription id is expected.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, format = Uuid))]
        pub struct $name(pub Uuid);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map($name)
            }
        }
    };
}

uuid_id!(
    /// A reseller partner: the tenant. Everything else belongs to exactly one partner.
    PartnerId
);
uuid_id!(
    /// A partner's agent, who signs in to the console.
    AgentId
);
uuid_id!(
    /// One of a partner's customers.
    CustomerId
);
uuid_id!(
    /// One subscription of a customer.
    SubscriptionId
);

/// A catalogue offer, e.g. `m365-business-basic`. Readable on purpose: it appears in URLs and logs.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct OfferId(pub String);

impl fmt::Display for OfferId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for OfferId {
    fn from(s: &str) -> Self {
        OfferId(s.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_as_plain_strings() {
        let id: CustomerId = "0b7c5a84-6a4e-4f6b-9f0e-2d7e8a1c3b5d".parse().unwrap();
        assert_eq!(id.to_string(), "0b7c5a84-6a4e-4f6b-9f0e-2d7e8a1c3b5d");
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, "\"0b7c5a84-6a4e-4f6b-9f0e-2d7e8a1c3b5d\"");
        assert!("not-an-id".parse::<SubscriptionId>().is_err());
    }
}
