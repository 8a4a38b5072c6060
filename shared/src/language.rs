//! The languages the console speaks, and the names of roles, statuses and terms in each: the
//! words every refusal (`refusals`) and every page use.

use crate::model::{Role, Status, Term};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    It,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::It];

    /// "it", "it-IT" → Italian; anything else → English.
    pub fn from_tag(tag: &str) -> Lang {
        if tag.to_ascii_lowercase().starts_with("it") {
            Lang::It
        } else {
            Lang::En
        }
    }

    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::It => "it",
        }
    }
}

impl Role {
    /// The role's name; in English as Partner Center writes it.
    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Role::Admin, Lang::En) => "Admin agent",
            (Role::Admin, Lang::It) => "Agente amministratore",
            (Role::Sales, Lang::En) => "Sales agent",
            (Role::Sales, Lang::It) => "Agente vendite",
            (Role::Helpdesk, Lang::En) => "Helpdesk agent",
            (Role::Helpdesk, Lang::It) => "Agente helpdesk",
            (Role::ReadOnly, Lang::En) => "Read-only agent",
            (Role::ReadOnly, Lang::It) => "Agente in sola lettura",
        }
    }
}

impl Status {
    /// The status as a page shows it ("Active", "Attiva").
    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Status::Active, Lang::En) => "Active",
            (Status::Active, Lang::It) => "Attiva",
            (Status::Suspended, Lang::En) => "Suspended",
            (Status::Suspended, Lang::It) => "Sospesa",
            (Status::Cancelled, Lang::En) => "Cancelled",
            (Status::Cancelled, Lang::It) => "Annullata",
            (Status::Expired, Lang::En) => "Expired",
            (Status::Expired, Lang::It) => "Scaduta",
            (Status::Disabled, Lang::En) => "Disabled",
            (Status::Disabled, Lang::It) => "Disattivata",
            (Status::Deleted, Lang::En) => "Deleted",
            (Status::Deleted, Lang::It) => "Eliminata",
        }
    }
}

impl Term {
    /// The term in a sentence ("monthly", "mensile").
    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Term::Monthly, Lang::En) => "monthly",
            (Term::Monthly, Lang::It) => "mensile",
            (Term::Annual, Lang::En) => "annual",
            (Term::Annual, Lang::It) => "annuale",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_language_tag_picks_the_language() {
        assert_eq!(Lang::from_tag("it-IT"), Lang::It);
        assert_eq!(Lang::from_tag("IT"), Lang::It);
        assert_eq!(Lang::from_tag("en-GB"), Lang::En);
        assert_eq!(Lang::from_tag("fr"), Lang::En);
        assert_eq!(Lang::It.tag(), "it");
    }
}
