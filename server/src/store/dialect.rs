//! What the two databases' SQL differs in, as one typed contract: `sql_store!` writes every
//! query once and takes these pieces from the store it writes them for.

use super::CustomerSearch;

pub trait Dialect {
    /// The statement, if any, that serialises work on one key (`$1`: an e-mail's sign-in
    /// attempts, a partner's team) across every server process, inside a write transaction.
    const KEY_LOCK: Option<&'static str>;
    /// Statements run on each table an import filled, after it commits (`{table}` is its name).
    const AFTER_IMPORT: Option<&'static [&'static str]>;
    /// `FROM … WHERE …` naming the customers (as `m`) that the index finds for the `$2` of
    /// [`Dialect::match_argument`], for a search of three characters or more …
    const TRIGRAM_MATCH: &'static str;
    /// … and of one or two.
    const GRAM_MATCH: &'static str;
    /// The SQL function giving the position of its second argument in its first, from 1; 0 when absent.
    const POSITION_OF: &'static str;
    /// What `$2` of [`Dialect::TRIGRAM_MATCH`] / [`Dialect::GRAM_MATCH`] is for a search.
    fn match_argument(search: &CustomerSearch) -> String;
}
