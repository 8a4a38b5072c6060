//! The rules for agents: e-mail, name, password, role, and the admin a partner must keep.

use crate::model::Role;
use crate::rules::RuleError;

/// Shortest password an agent may choose (characters, not bytes).
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Longest: Argon2 takes any length, but a megabyte "password" is an attack, not a secret.
pub const MAX_PASSWORD_CHARS: usize = 256;
/// Longest display name or company name.
pub const MAX_NAME_CHARS: usize = 200;

/// A password an agent sets: at least [`MIN_PASSWORD_CHARS`] characters.
pub fn check_new_password(password: &str) -> Result<(), RuleError> {
    let n = password.chars().count();
    if (MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&n) {
        Ok(())
    } else {
        Err(RuleError::WeakPassword {
            min: MIN_PASSWORD_CHARS,
            max: MAX_PASSWORD_CHARS,
        })
    }
}

/// An agent's e-mail, trimmed and lower-cased (the sign-in key): one `@`, something before it,
/// a domain with a dot after it, no spaces or control characters, at most 254 characters.
pub fn normalise_email(text: &str) -> Result<String, RuleError> {
    let email = text.trim().to_lowercase();
    let invalid = || RuleError::InvalidEmail {
        given: text.trim().chars().take(60).collect(),
    };
    let (local, domain) = email.split_once('@').ok_or_else(invalid)?;
    let fine = !local.is_empty()
        && !domain.contains('@')
        && email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && crate::customer_details::normalise_domain(domain).is_ok();
    if fine { Ok(email) } else { Err(invalid()) }
}

/// A person's or company's name: trimmed, not empty, at most [`MAX_NAME_CHARS`] characters,
/// no control characters (they would break CSV exports and screen readers alike).
pub fn normalise_name(field: &'static str, text: &str) -> Result<String, RuleError> {
    let name = text.trim();
    let n = name.chars().count();
    if n == 0 || n > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(RuleError::InvalidName {
            field,
            max: MAX_NAME_CHARS,
        });
    }
    Ok(name.to_owned())
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
