//! The body of every error response, and a query or header value that cannot be read.

use serde::{Deserialize, Serialize};

use crate::api::subscriptions::SubscriptionView;
use crate::error_code::ErrorCode;
use crate::rules::RuleError;

/// The body of every error response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub code: ErrorCode,
    /// A sentence for the agent, naming what is wrong.
    pub message: String,
    /// The request field at fault, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// With `version_conflict`: the subscription as it is now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<Box<SubscriptionView>>,
    /// With `too_many_attempts`: seconds until an attempt will be accepted again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_seconds: Option<u64>,
    /// With `partner_center_refused` (or a rule code Partner Center's refusal maps to):
    /// Microsoft's own code and words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner_center: Option<Box<crate::api::PartnerCenterError>>,
    /// With `invalid_file`: each refused line of the file, in words ("line 4: …").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<String>,
}

impl ErrorBody {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ErrorBody {
            code,
            message: message.into(),
            field: None,
            current: None,
            retry_after_seconds: None,
            partner_center: None,
            lines: Vec::new(),
        }
    }
}

impl From<&RuleError> for ErrorBody {
    fn from(e: &RuleError) -> Self {
        ErrorBody {
            field: e.field().map(str::to_owned),
            ..ErrorBody::new(e.code(), e.to_string())
        }
    }
}

/// A query parameter or header that could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidParameter {
    pub field: &'static str,
    pub message: String,
    /// A well-formed value past its bounds (422), not one that could not be read (400).
    pub out_of_range: bool,
}
