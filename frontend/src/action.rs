//! Actions that handle their own answer. A page says what to do with the answer when it
//! makes the action, instead of an effect that watches the action's value and copies it into
//! other signals (which the Leptos docs advise against: it runs a render late, and runs again
//! for a value already handled).

use std::future::Future;

use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// An action (`Action::new_local`) whose answer `then` handles as it arrives, before the
/// action's own `value()` shows it; only where it was asked: a page left before the answer came
/// (another path, or the part of the page gone) does nothing with it, so no navigation away
/// from where the agent went meanwhile, no write to a page that is gone.
pub fn action_then<I, O, Fu>(
    run: impl Fn(&I) -> Fu + 'static,
    then: impl Fn(&O) + Clone + 'static,
) -> Action<I, O>
where
    I: 'static,
    O: 'static,
    Fu: Future<Output = O> + 'static,
{
    // Disposed with the part of the page that made the action. A page the router has left is
    // disposed only once this future ends (it holds the page's owner): the path tells then.
    let open = Trigger::new();
    let path = use_location().pathname;
    Action::new_local(move |input: &I| {
        let (answer, then) = (run(input), then.clone());
        let asked_at = path.get_untracked();
        async move {
            let answer = answer.await;
            if !open.is_disposed() && path.try_get_untracked().as_ref() == Some(&asked_at) {
                then(&answer);
            }
            answer
        }
    })
}
