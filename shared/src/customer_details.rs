//! A customer's company name and primary domain, as Add customer and the Partner Center
//! import read them.

use crate::names::normalise_name;
pub use crate::rules::DomainProblem;
use crate::rules::RuleError;

/// A company name: see [`normalise_name`].
pub fn normalise_company_name(text: &str) -> Result<String, RuleError> {
    normalise_name("name", text)
}

/// A domain name as DNS allows it, lower-cased, without a trailing dot: at least two parts,
/// each 1–63 letters, digits or hyphens (not at either end), at most 253 in all, and a last
/// part that is not all digits (so an IP address is not taken for a domain).
pub fn normalise_domain(text: &str) -> Result<String, RuleError> {
    let given = text.trim();
    let fail = |problem| RuleError::InvalidDomain {
        given: given.chars().take(80).collect(),
        problem,
    };
    let domain = given
        .strip_suffix('.')
        .unwrap_or(given)
        .to_ascii_lowercase();
    if domain.is_empty() {
        return Err(fail(DomainProblem::Empty));
    }
    if domain.len() > 253 {
        return Err(fail(DomainProblem::TooLong));
    }
    if !domain
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
    {
        return Err(fail(DomainProblem::BadCharacter));
    }
    if !domain.contains('.') {
        return Err(fail(DomainProblem::NoDot));
    }
    for label in domain.split('.') {
        if label.is_empty() {
            return Err(fail(DomainProblem::EmptyLabel));
        }
        if label.len() > 63 {
            return Err(fail(DomainProblem::LabelTooLong));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(fail(DomainProblem::HyphenAtEdge));
        }
    }
    let tld = domain.rsplit('.').next().unwrap_or_default();
    if tld.chars().all(|c| c.is_ascii_digit()) {
        return Err(fail(DomainProblem::NumericTld));
    }
    Ok(domain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_domains_pass_lower_cased() {
        assert_eq!(
            normalise_domain(" Contoso.OnMicrosoft.com. ").unwrap(),
            "contoso.onmicrosoft.com"
        );
        assert_eq!(
            normalise_domain("xn--mller-kva.de").unwrap(),
            "xn--mller-kva.de"
        );
        assert_eq!(normalise_domain("a-1.co").unwrap(), "a-1.co");
    }

    #[test]
    fn each_problem_is_named() {
        let problem = |text: &str| match normalise_domain(text) {
            Err(RuleError::InvalidDomain { problem, .. }) => problem,
            other => panic!("{text:?} gave {other:?}"),
        };
        assert_eq!(problem(""), DomainProblem::Empty);
        assert_eq!(problem("contoso"), DomainProblem::NoDot);
        assert_eq!(problem("contoso..com"), DomainProblem::EmptyLabel);
        assert_eq!(problem(".contoso.com"), DomainProblem::EmptyLabel);
        assert_eq!(problem("müller.de"), DomainProblem::BadCharacter);
        assert_eq!(problem("con toso.com"), DomainProblem::BadCharacter);
        assert_eq!(problem("-contoso.com"), DomainProblem::HyphenAtEdge);
        assert_eq!(
            problem(&format!("{}.com", "a".repeat(64))),
            DomainProblem::LabelTooLong
        );
        assert_eq!(
            problem(&format!("{}.com", "a.".repeat(130))),
            DomainProblem::TooLong
        );
        assert_eq!(problem("10.0.0.1"), DomainProblem::NumericTld);
        assert_eq!(
            normalise_domain("contoso").unwrap_err().to_string(),
            "\"contoso\" is not a domain name: it needs at least one dot, as in contoso.com."
        );
    }
}
