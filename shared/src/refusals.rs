//! The words of every refusal, English beside Italian. English is what the server answers
//! (`Display`), word for word what the page shows in English; the page shows Italian from
//! the same place, so a new refusal cannot be added in one language only.

use std::fmt;

use crate::language::Lang;
use crate::model::{Role, SeatBounds};
use crate::roles::{Permission, roles_allowed};
use crate::rules::{DomainProblem, RuleError, SeatError, SeatErrorKind};

/// `pick!(lang, english, italian)`: the sentence in `lang`, only that one built.
macro_rules! pick {
    ($lang:expr, $en:expr, $it:expr $(,)?) => {
        match $lang {
            Lang::En => $en.into(),
            Lang::It => $it.into(),
        }
    };
}

/// A date-time of the wire ("2026-03-01T00:00:00Z") as a sentence writes it.
fn when(at: &str) -> &str {
    at.trim_end_matches('Z')
}

impl RuleError {
    /// The refusal in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            RuleError::RoleNotAllowed { role, permission } => {
                role_refusal(lang, *role, *permission)
            }
            RuleError::BoughtDirectly => pick!(
                lang,
                "This subscription was bought directly by the customer and can only be changed by them.",
                "Questa sottoscrizione è stata acquistata direttamente dal cliente e solo il cliente può modificarla."
            ),
            RuleError::SeatsWhileSuspended => pick!(
                lang,
                "This subscription is suspended: activate it before changing its seats.",
                "Questa sottoscrizione è sospesa: riattivala prima di cambiarne le licenze."
            ),
            RuleError::Seats(e) => e.message(lang),
            RuleError::QuantityUnchanged { quantity } => pick!(
                lang,
                format!("The subscription already has {quantity} seats: enter a different number."),
                format!(
                    "La sottoscrizione ha già {quantity} licenze: inserisci un numero diverso."
                )
            ),
            RuleError::StatusUnchanged { status } => pick!(
                lang,
                format!("The subscription is already {status}."),
                format!(
                    "La sottoscrizione è già {}.",
                    status.name(Lang::It).to_lowercase()
                )
            ),
            RuleError::UnknownStatus { given } => pick!(
                lang,
                format!(
                    "Status must be \"active\", \"suspended\" or \"cancelled\", not \"{given}\"."
                ),
                format!(
                    "Lo stato deve essere \"active\", \"suspended\" o \"cancelled\", non \"{given}\"."
                )
            ),
            RuleError::OfferNotAuthorised { offer_id } => pick!(
                lang,
                format!("Your partner account is not authorised to sell the offer \"{offer_id}\"."),
                format!(
                    "Il tuo account partner non è autorizzato a vendere l'offerta \"{offer_id}\"."
                )
            ),
            RuleError::NothingToChange => pick!(
                lang,
                "Nothing to change: send a new \"quantity\", \"status\", \"auto_renew\" or \"scheduled_change\".",
                "Niente da modificare: invia un nuovo \"quantity\", \"status\", \"auto_renew\" o \"scheduled_change\"."
            ),
            RuleError::OneChangeAtATime => pick!(
                lang,
                "Change one thing at a time: send one of \"quantity\", \"status\", \"auto_renew\" and \"scheduled_change\".",
                "Modifica una cosa alla volta: invia uno solo tra \"quantity\", \"status\", \"auto_renew\" e \"scheduled_change\"."
            ),
            RuleError::InvalidDomain {
                problem: DomainProblem::Empty,
                ..
            } => pick!(
                lang,
                "Enter the customer's primary domain, for example contoso.onmicrosoft.com.",
                "Inserisci il dominio principale del cliente, per esempio contoso.onmicrosoft.com."
            ),
            RuleError::InvalidDomain { given, problem } => pick!(
                lang,
                format!(
                    "\"{given}\" is not a domain name: {}.",
                    problem.message(lang)
                ),
                format!(
                    "\"{given}\" non è un nome di dominio: {}.",
                    problem.message(lang)
                )
            ),
            RuleError::DomainTaken { domain } => pick!(
                lang,
                format!("Another of your customers already has the primary domain {domain}."),
                format!("Un altro dei tuoi clienti ha già il dominio principale {domain}.")
            ),
            RuleError::InvalidName { field, max } => {
                let (en, it) = match *field {
                    "display_name" => ("the agent's name", "il nome dell'agente"),
                    "offer_name" => ("the offer's name", "il nome dell'offerta"),
                    _ => ("the company name", "la ragione sociale"),
                };
                pick!(
                    lang,
                    format!(
                        "Enter {en}: 1 to {max} characters, without control or invisible characters."
                    ),
                    format!(
                        "Inserisci {it}: da 1 a {max} caratteri, senza caratteri di controllo o invisibili."
                    )
                )
            }
            RuleError::InvalidEmail { given } => pick!(
                lang,
                format!("\"{given}\" is not an e-mail address: write it as name@company.com."),
                format!("\"{given}\" non è un indirizzo e-mail: scrivilo come nome@azienda.com.")
            ),
            RuleError::EmailTooLong { max } => pick!(
                lang,
                format!("An e-mail address has at most {max} characters."),
                format!("Un indirizzo e-mail ha al massimo {max} caratteri.")
            ),
            RuleError::EmailDomainNotOwned { domain, owned } => pick!(
                lang,
                format!("{domain} is not one of your partner's e-mail domains: {owned}."),
                format!("{domain} non è uno dei domini e-mail del tuo partner: {owned}.")
            ),
            RuleError::EmailTaken { email } => pick!(
                lang,
                format!("An agent already signs in with {email}."),
                format!("Un agente accede già con {email}.")
            ),
            RuleError::WeakPassword { min, max } => pick!(
                lang,
                format!("Choose a password of at least {min} characters (at most {max})."),
                format!("Scegli una password di almeno {min} caratteri (al massimo {max}).")
            ),
            RuleError::WrongPassword => pick!(
                lang,
                "Your current password is not correct.",
                "La password attuale non è corretta."
            ),
            RuleError::PasswordUnchanged => pick!(
                lang,
                "Choose a new password: this one is your current password.",
                "Scegli una nuova password: questa è la password attuale."
            ),
            RuleError::UnknownRole { given } => pick!(
                lang,
                format!("Role must be admin, sales, helpdesk or read_only, not \"{given}\"."),
                format!(
                    "Il ruolo deve essere admin, sales, helpdesk o read_only, non \"{given}\"."
                )
            ),
            RuleError::LastAdmin => pick!(
                lang,
                "This is your partner's last active admin agent: make another agent admin first.",
                "È l'ultimo agente amministratore attivo del tuo partner: prima rendi amministratore un altro agente."
            ),
            RuleError::AutoRenewWhileSuspended => pick!(
                lang,
                "This subscription is suspended: it does not renew, so auto-renew stays off until it is activated.",
                "Questa sottoscrizione è sospesa: non si rinnova, quindi il rinnovo automatico resta disattivato finché non viene riattivata."
            ),
            RuleError::AutoRenewUnchanged { on: true } => pick!(
                lang,
                "Auto-renew is already on.",
                "Il rinnovo automatico è già attivo."
            ),
            RuleError::AutoRenewUnchanged { on: false } => pick!(
                lang,
                "Auto-renew is already off.",
                "Il rinnovo automatico è già disattivato."
            ),
            RuleError::SubscriptionEnded { status } => pick!(
                lang,
                format!(
                    "This subscription is {status}: it is read-only for good. Order a new subscription instead."
                ),
                format!(
                    "Questa sottoscrizione è {}: è in sola lettura per sempre. Ordina invece una nuova sottoscrizione.",
                    status.name(Lang::It).to_lowercase()
                )
            ),
            RuleError::CancelOnlyActive => pick!(
                lang,
                "Only an active subscription can be cancelled: this one is suspended.",
                "Si può annullare solo una sottoscrizione attiva: questa è sospesa."
            ),
            RuleError::CancellationWindowClosed { closed_at } => {
                let closed = closed_at.replace('T', " ");
                let closed = when(&closed);
                pick!(
                    lang,
                    format!(
                        "A subscription can be cancelled only within 7 days of its order; this one's window closed on {closed} UTC. Suspend it, or turn auto-renew off so it expires at the end of its term."
                    ),
                    format!(
                        "Una sottoscrizione si può annullare solo entro 7 giorni dall'ordine; per questa il termine è scaduto il {closed} UTC. Sospendila, o disattiva il rinnovo automatico perché scada alla fine del periodo."
                    )
                )
            }
            RuleError::NotOrderedHere => pick!(
                lang,
                "This subscription was imported, not ordered here: cancel it in Partner Center, within 7 days of its order.",
                "Questa sottoscrizione è stata importata, non ordinata qui: annullala in Partner Center, entro 7 giorni dal suo ordine."
            ),
            RuleError::ScheduleNeedsAutoRenew => pick!(
                lang,
                "A change for the renewal needs auto-renew on: this subscription will not renew.",
                "Una modifica per il rinnovo richiede il rinnovo automatico attivo: questa sottoscrizione non si rinnova."
            ),
            RuleError::ScheduleUnchanged { quantity, term } => pick!(
                lang,
                format!(
                    "The renewal already keeps {quantity} seats, {term}: change the seats or the term."
                ),
                format!(
                    "Il rinnovo mantiene già {quantity} licenze, {}: cambia le licenze o la durata.",
                    term.name(Lang::It)
                )
            ),
            RuleError::NothingScheduled => pick!(
                lang,
                "No change is scheduled for the renewal.",
                "Non c'è nessuna modifica programmata per il rinnovo."
            ),
            RuleError::ReductionWindowClosed { removable: 0, .. } => pick!(
                lang,
                "Seats can be removed only within 7 days of being added, and none can be now: schedule a lower count for the renewal instead.",
                "Le licenze si possono rimuovere solo entro 7 giorni dall'aggiunta, e ora nessuna: programma un numero inferiore per il rinnovo."
            ),
            RuleError::ReductionWindowClosed { removable, until } => {
                let until = until.as_deref().map(|u| u.replace('T', " "));
                let until = until.as_deref().map(when);
                pick!(
                    lang,
                    format!(
                        "Seats can be removed only within 7 days of being added: you can remove at most {removable} seats now{}; schedule a lower count for the renewal for more.",
                        until
                            .map(|u| format!(" (until {u} UTC)"))
                            .unwrap_or_default()
                    ),
                    format!(
                        "Le licenze si possono rimuovere solo entro 7 giorni dall'aggiunta: ora puoi rimuoverne al massimo {removable}{}; per rimuoverne di più programma un numero inferiore per il rinnovo.",
                        until
                            .map(|u| format!(" (fino al {u} UTC)"))
                            .unwrap_or_default()
                    )
                )
            }
        }
    }
}

/// "Your role (Sales agent) cannot change existing subscriptions: ask a Helpdesk agent or an
/// Admin agent." Built from the role table, so the message can never disagree with it.
fn role_refusal(lang: Lang, role: Role, permission: Permission) -> String {
    let allowed = roles_allowed(permission);
    let names = allowed.iter().map(|r| r.name(lang));
    match lang {
        Lang::En => {
            let what = match permission {
                Permission::View => "view this partner's data",
                Permission::Order => "add customers or order subscriptions",
                Permission::Change => "change existing subscriptions",
                Permission::ManageTeam => "manage the team",
                Permission::SeeCosts => "see costs and margins",
                Permission::SetPrices => "set prices",
            };
            let who: Vec<String> = names
                .map(|name| {
                    let vowel = name.starts_with(['A', 'E', 'I', 'O', 'U']);
                    format!("{} {name}", if vowel { "an" } else { "a" })
                })
                .collect();
            let role = role.name(lang);
            format!(
                "Your role ({role}) cannot {what}: ask {}.",
                who.join(" or ")
            )
        }
        Lang::It => {
            let what = match permission {
                Permission::View => "vedere i dati di questo partner",
                Permission::Order => "aggiungere clienti o ordinare sottoscrizioni",
                Permission::Change => "modificare le sottoscrizioni esistenti",
                Permission::ManageTeam => "gestire il team",
                Permission::SeeCosts => "vedere costi e margini",
                Permission::SetPrices => "impostare i prezzi",
            };
            let who: Vec<&str> = names.collect();
            let role = role.name(lang);
            format!(
                "Il tuo ruolo ({role}) non consente di {what}: chiedi a un {}.",
                who.join(" o a un ")
            )
        }
    }
}

/// How many seats an offer allows, in a sentence: "between 1 and 300 seats".
fn allowed(bounds: SeatBounds, lang: Lang) -> String {
    match (bounds.min == bounds.max, bounds.min, lang) {
        (true, 1, Lang::En) => "exactly 1 seat".into(),
        (true, 1, Lang::It) => "esattamente 1 licenza".into(),
        (true, n, _) => pick!(
            lang,
            format!("exactly {n} seats"),
            format!("esattamente {n} licenze")
        ),
        (false, min, _) => {
            let max = bounds.max;
            pick!(
                lang,
                format!("between {min} and {max} seats"),
                format!("tra {min} e {max} licenze")
            )
        }
    }
}

impl SeatError {
    /// Why the seat count is refused, naming the offer's bounds, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let allowed = allowed(self.bounds, lang);
        match self.kind {
            SeatErrorKind::Missing => pick!(
                lang,
                format!("Enter the number of seats: {allowed}."),
                format!("Inserisci il numero di licenze: {allowed}.")
            ),
            SeatErrorKind::NotANumber => pick!(
                lang,
                format!("Not a number: enter {allowed}."),
                format!("Non è un numero: inserisci {allowed}.")
            ),
            SeatErrorKind::NotWhole => pick!(
                lang,
                format!("Whole seats only: enter {allowed}."),
                format!("Solo licenze intere: inserisci {allowed}.")
            ),
            SeatErrorKind::TooFew => pick!(
                lang,
                format!("Too few: this offer allows {allowed}."),
                format!("Troppo poche: questa offerta consente {allowed}.")
            ),
            SeatErrorKind::TooMany => pick!(
                lang,
                format!("Too many: this offer allows {allowed}."),
                format!("Troppe: questa offerta consente {allowed}.")
            ),
        }
    }
}

impl DomainProblem {
    /// What is wrong, as the second half of "… is not a domain name: …".
    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            DomainProblem::Empty => pick!(lang, "it is empty", "è vuoto"),
            DomainProblem::NoDot => pick!(
                lang,
                "it needs at least one dot, as in contoso.com",
                "serve almeno un punto, come in contoso.com"
            ),
            DomainProblem::EmptyLabel => pick!(
                lang,
                "it has an empty part (two dots in a row, or a dot at the start)",
                "ha una parte vuota (due punti di seguito, o un punto all'inizio)"
            ),
            DomainProblem::BadCharacter => pick!(
                lang,
                "only letters a–z, digits, hyphens and dots are allowed (write international names in their xn-- form)",
                "sono ammessi solo lettere a–z, cifre, trattini e punti (i nomi internazionali nella forma xn--)"
            ),
            DomainProblem::HyphenAtEdge => pick!(
                lang,
                "a part cannot start or end with a hyphen",
                "una parte non può iniziare o finire con un trattino"
            ),
            DomainProblem::LabelTooLong => pick!(
                lang,
                "a part between dots is longer than 63 characters",
                "una parte tra due punti supera i 63 caratteri"
            ),
            DomainProblem::TooLong => pick!(
                lang,
                "it is longer than 253 characters",
                "supera i 253 caratteri"
            ),
            DomainProblem::NumericTld => pick!(
                lang,
                "the last part must contain a letter",
                "l'ultima parte deve contenere una lettera"
            ),
        }
    }
}

// What the server answers: the English words.
impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl fmt::Display for SeatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl fmt::Display for DomainProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message(Lang::En))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Status, Term};

    /// One of each refusal, with what it carries: every one must read differently in Italian.
    fn one_of_each() -> Vec<RuleError> {
        let bounds = SeatBounds::new(1, 300);
        let mut all = vec![
            RuleError::BoughtDirectly,
            RuleError::SeatsWhileSuspended,
            RuleError::QuantityUnchanged { quantity: 5 },
            RuleError::StatusUnchanged {
                status: Status::Suspended,
            },
            RuleError::UnknownStatus {
                given: "paused".into(),
            },
            RuleError::OfferNotAuthorised {
                offer_id: crate::ids::OfferId("x".into()),
            },
            RuleError::NothingToChange,
            RuleError::OneChangeAtATime,
            RuleError::DomainTaken {
                domain: "contoso.com".into(),
            },
            RuleError::InvalidName {
                field: "display_name",
                max: 100,
            },
            RuleError::InvalidEmail { given: "x".into() },
            RuleError::EmailTooLong { max: 254 },
            RuleError::EmailDomainNotOwned {
                domain: "a.com".into(),
                owned: "b.com".into(),
            },
            RuleError::EmailTaken {
                email: "a@b.com".into(),
            },
            RuleError::WeakPassword { min: 12, max: 128 },
            RuleError::WrongPassword,
            RuleError::PasswordUnchanged,
            RuleError::UnknownRole {
                given: "boss".into(),
            },
            RuleError::LastAdmin,
            RuleError::AutoRenewWhileSuspended,
            RuleError::AutoRenewUnchanged { on: true },
            RuleError::AutoRenewUnchanged { on: false },
            RuleError::SubscriptionEnded {
                status: Status::Expired,
            },
            RuleError::CancelOnlyActive,
            RuleError::CancellationWindowClosed {
                closed_at: "2026-03-08T10:00:00Z".into(),
            },
            RuleError::NotOrderedHere,
            RuleError::ScheduleNeedsAutoRenew,
            RuleError::ScheduleUnchanged {
                quantity: 5,
                term: Term::Annual,
            },
            RuleError::NothingScheduled,
            RuleError::ReductionWindowClosed {
                removable: 0,
                until: None,
            },
            RuleError::ReductionWindowClosed {
                removable: 3,
                until: Some("2026-03-08T10:00:00Z".into()),
            },
        ];
        for problem in [
            DomainProblem::Empty,
            DomainProblem::NoDot,
            DomainProblem::EmptyLabel,
            DomainProblem::BadCharacter,
            DomainProblem::HyphenAtEdge,
            DomainProblem::LabelTooLong,
            DomainProblem::TooLong,
            DomainProblem::NumericTld,
        ] {
            all.push(RuleError::InvalidDomain {
                given: "x".into(),
                problem,
            });
        }
        for kind in SeatErrorKind::ALL {
            all.push(RuleError::Seats(SeatError { kind, bounds }));
        }
        for role in Role::ALL {
            for permission in Permission::ALL {
                if !crate::roles::role_allows(*role, *permission) {
                    all.push(RuleError::RoleNotAllowed {
                        role: *role,
                        permission: *permission,
                    });
                }
            }
        }
        all
    }

    #[test]
    fn every_refusal_has_its_own_words_in_both_languages() {
        let all = one_of_each();
        let english: Vec<String> = all.iter().map(|e| e.message(Lang::En)).collect();
        let italian: Vec<String> = all.iter().map(|e| e.message(Lang::It)).collect();
        for (i, e) in all.iter().enumerate() {
            assert_eq!(e.to_string(), english[i], "Display is the English");
            assert_ne!(english[i], italian[i], "{e:?} is not translated");
            for (j, other) in english.iter().enumerate() {
                assert!(
                    i == j || english[i] != *other,
                    "{e:?} reads like {:?}",
                    all[j]
                );
                assert!(
                    i == j || italian[i] != italian[j],
                    "{e:?} reads like {:?} in Italian",
                    all[j]
                );
            }
        }
    }

    #[test]
    fn refusals_name_what_they_carry() {
        let e = RuleError::ReductionWindowClosed {
            removable: 3,
            until: Some("2026-03-08T10:00:00Z".into()),
        };
        assert!(
            e.message(Lang::En)
                .contains("at most 3 seats now (until 2026-03-08 10:00:00 UTC)")
        );
        assert!(
            e.message(Lang::It)
                .contains("al massimo 3 (fino al 2026-03-08 10:00:00 UTC)")
        );
        let seats = SeatError {
            kind: SeatErrorKind::TooFew,
            bounds: SeatBounds::new(5, 5),
        };
        assert_eq!(
            seats.message(Lang::En),
            "Too few: this offer allows exactly 5 seats."
        );
        assert_eq!(
            seats.message(Lang::It),
            "Troppo poche: questa offerta consente esattamente 5 licenze."
        );
        let one = SeatError {
            kind: SeatErrorKind::Missing,
            bounds: SeatBounds::new(1, 1),
        };
        assert_eq!(
            one.message(Lang::It),
            "Inserisci il numero di licenze: esattamente 1 licenza."
        );
        let role = RuleError::RoleNotAllowed {
            role: Role::Sales,
            permission: Permission::Change,
        };
        assert_eq!(
            role.message(Lang::It),
            "Il tuo ruolo (Agente vendite) non consente di modificare le sottoscrizioni esistenti: chiedi a un Agente amministratore o a un Agente helpdesk."
        );
    }
}
