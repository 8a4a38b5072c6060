//! The rules for agents: e-mail, name, password, role, and the admin a partner must keep.

use crate::model::Role;
pub use crate::names::{MAX_NAME_CHARS, normalise_name};
use crate::rules::RuleError;

/// Shortest password an agent may choose (characters, not bytes).
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Longest: Argon2 takes any length, but a megabyte "password" is an attack, not a secret.
pub const MAX_PASSWORD_CHARS: usize = 256;
/// Longest e-mail address (RFC 5321's path limit less its angle brackets).
pub const MAX_EMAIL_CHARS: usize = 254;

/// An e-mail typed to sign in is refused outright past [`MAX_EMAIL_CHARS`]: no agent has one.
pub fn check_email_length(email: &str) -> Result<(), RuleError> {
    if email.chars().count() > MAX_EMAIL_CHARS {
        Err(RuleError::EmailTooLong {
            max: MAX_EMAIL_CHARS,
        })
    } else {
        Ok(())
    }
}

/// The domain of a normalised e-mail (what follows its `@`).
pub fn email_domain(email: &str) -> &str {
    email.rsplit_once('@').map_or("", |(_, d)| d)
}

/// A partner adds agents only with e-mails in the domains it owns: no partner can take (or
/// probe for) an address of another's. `email` is normalised; `owned` the partner's domains.
pub fn check_email_domain(email: &str, owned: &[String]) -> Result<(), RuleError> {
    let domain = email_domain(email);
    if owned.iter().any(|d| d == domain) {
        Ok(())
    } else {
        Err(RuleError::EmailDomainNotOwned {
            domain: domain.to_owned(),
            owned: owned.join(", "),
        })
    }
}

/// A password an agent sets: at least [`MIN_PASSWORD_CHARS`] characters, not all spaces.
pub fn check_new_password(password: &str) -> Result<(), RuleError> {
    let n = password.chars().count();
    if (MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&n) && !password.trim().is_empty() {
        Ok(())
    } else {
        Err(RuleError::WeakPassword {
            min: MIN_PASSWORD_CHARS,
            max: MAX_PASSWORD_CHARS,
        })
    }
}

/// An agent's e-mail, trimmed and lower-cased (the sign-in key): one `@`, before it ASCII
/// letters, digits and `.!#$%&'*+/=?^_`{|}~-`, after it a domain name (see
/// [`normalise_domain`](crate::customer_details::normalise_domain), trailing dot dropped), at
/// most 254 characters. ASCII only: a full-width "ａｄｍｉｎ" or an invisible character would make
/// a second agent that looks exactly like the first.
pub fn normalise_email(text: &str) -> Result<String, RuleError> {
    let trimmed = text.trim();
    let invalid = || RuleError::InvalidEmail {
        given: trimmed.chars().take(60).collect(),
    };
    let (local, domain) = trimmed.rsplit_once('@').ok_or_else(invalid)?;
    let local_fine = !local.is_empty()
        && local.len() <= 64
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".!#$%&'*+/=?^_`{|}~-".contains(c));
    check_email_length(trimmed)?;
    let domain = crate::customer_details::normalise_domain(domain).map_err(|_| invalid())?;
    let email = format!("{}@{domain}", local.to_ascii_lowercase());
    if local_fine && email.len() <= MAX_EMAIL_CHARS {
        Ok(email)
    } else {
        Err(invalid())
    }
}

/// The key an e-mail is looked up by (sign-in, tokens, throttling): trimmed, lower-cased.
/// Stored e-mails passed [`normalise_email`], which writes them this way.
pub fn email_key(text: &str) -> String {
    text.trim().to_lowercase()
}

/// Reads a role as the API spells it (`admin`, `sales`, `helpdesk`, `read_only`).
pub fn parse_role(text: &str) -> Result<Role, RuleError> {
    text.trim().parse().map_err(|()| RuleError::UnknownRole {
        given: text.chars().take(40).collect(),
    })
}

/// An agent as the last-admin rule sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AgentStanding {
    pub role: Role,
    pub active: bool,
}

impl AgentStanding {
    fn is_active_admin(self) -> bool {
        self.active && self.role == Role::Admin
    }
}

/// A partner always keeps one active admin: nobody else could then add one back.
/// `active_admins` counts the partner's active admins before the change.
pub fn check_admin_remains(
    before: AgentStanding,
    after: AgentStanding,
    active_admins: usize,
) -> Result<(), RuleError> {
    if before.is_active_admin() && !after.is_active_admin() && active_admins <= 1 {
        Err(RuleError::LastAdmin)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e_mails_are_bounded_and_added_only_in_owned_domains() {
        assert!(check_email_length(&"a".repeat(254)).is_ok());
        assert_eq!(
            check_email_length(&"a".repeat(255)),
            Err(RuleError::EmailTooLong { max: 254 })
        );
        let long = format!("{}@example.com", "a".repeat(60_000));
        assert!(matches!(
            normalise_email(&long),
            Err(RuleError::EmailTooLong { .. })
        ));
        let owned = vec!["northwind.example".to_owned()];
        assert!(check_email_domain("ann@northwind.example", &owned).is_ok());
        assert_eq!(
            check_email_domain("ann@fabrikam.example", &owned),
            Err(RuleError::EmailDomainNotOwned {
                domain: "fabrikam.example".into(),
                owned: "northwind.example".into()
            })
        );
        // A subdomain is another domain.
        assert!(check_email_domain("ann@eu.northwind.example", &owned).is_err());
    }

    #[test]
    fn passwords_need_twelve_characters_not_bytes() {
        assert!(check_new_password("eleven-char").is_err());
        assert!(check_new_password("twelve-chars").is_ok());
        assert!(check_new_password("ààààààààààà").is_err()); // 11 chars, 22 bytes
        assert!(check_new_password(&"x".repeat(257)).is_err());
        assert_eq!(
            check_new_password("short").unwrap_err().to_string(),
            "Choose a password of at least 12 characters (at most 256)."
        );
    }

    #[test]
    fn emails_are_trimmed_lower_cased_and_checked() {
        assert_eq!(
            normalise_email(" Ann@Contoso.COM ").unwrap(),
            "ann@contoso.com"
        );
        for bad in [
            "",
            "ann",
            "@contoso.com",
            "ann@",
            "ann@contoso",
            "a b@c.com",
            "a@b@c.com",
        ] {
            assert!(normalise_email(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(
            normalise_name("name", "  Contoso Ltd ").unwrap(),
            "Contoso Ltd"
        );
        assert!(normalise_name("name", "   ").is_err());
        assert!(normalise_name("name", "a\u{7}b").is_err());
        assert!(normalise_name("name", "evil\u{202e}txt.exe").is_err());
        assert!(check_new_password("            ").is_err());
        assert!(normalise_name("name", &"x".repeat(201)).is_err());
    }

    #[test]
    fn the_last_active_admin_stays() {
        let admin = AgentStanding {
            role: Role::Admin,
            active: true,
        };
        let demoted = AgentStanding {
            role: Role::Sales,
            active: true,
        };
        let disabled = AgentStanding {
            role: Role::Admin,
            active: false,
        };
        assert_eq!(
            check_admin_remains(admin, demoted, 1),
            Err(RuleError::LastAdmin)
        );
        assert_eq!(
            check_admin_remains(admin, disabled, 1),
            Err(RuleError::LastAdmin)
        );
        assert!(check_admin_remains(admin, demoted, 2).is_ok());
        assert!(check_admin_remains(demoted, admin, 0).is_ok());
        assert!(check_admin_remains(disabled, admin, 0).is_ok());
    }
}
