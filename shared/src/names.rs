//! Names as people type them (an agent's, a company's): one rule for the forms, the API and
//! the imports.

use crate::rules::RuleError;

/// Longest display name or company name.
pub const MAX_NAME_CHARS: usize = 200;

/// Characters a name may not hold: control characters, and the invisible ones that reorder
/// or hide text (bidirectional overrides, zero-width spaces), which make names look like others.
pub(crate) fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// A person's or company's name: trimmed, not empty, at most [`MAX_NAME_CHARS`] characters,
/// no control characters (they would break CSV exports and screen readers alike).
pub fn normalise_name(field: &'static str, text: &str) -> Result<String, RuleError> {
    let name = text.trim();
    let n = name.chars().count();
    if n == 0 || n > MAX_NAME_CHARS || name.chars().any(is_hidden) {
        return Err(RuleError::InvalidName {
            field,
            max: MAX_NAME_CHARS,
        });
    }
    Ok(name.to_owned())
}
