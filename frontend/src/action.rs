//! Actions that handle their own answer. A page says what to do with the answer when it
//! makes the action, instead of an effect that watches the action's value and copies it into
//! other signals (which the Leptos docs advise against: it runs a render late, and runs again
//! for a value already handled).

use std::future::Future;

use leptos::prelude::*;

/// An action (`Action::new_local`) whose answer `then` handles as it arrives, before the
/// action's own `value()` shows it. A page left before the answer came does nothing with it:
/// no navigation away from where the agent went meanwhile, no write to a page that is gone.
pub fn action_then<I, O, Fu>(
    run: impl Fn(&I) -> Fu + 'static,
    then: impl Fn(&O) + Clone + 'static,
) -> Action<I, O>
where
    I: 'static,
    O: 'static,
    Fu: Future<Output = O> + 'static,
{
    // Disposed with the page that made the action: whether it is still open.
    let open = Trigger::new();
    Action::new_local(move |input: &I| {
        let (answer, then) = (run(input), then.clone());
        async move {
            let answer = answer.await;
            if !open.is_disposed() {
                then(&answer);
            }
            answer
        }
    })
}
