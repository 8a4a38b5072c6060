//! Seats over time, drawn from the audit trail: a small step chart the app draws itself (inline
//! SVG, no chart library), and the same figures as a table for screen readers.

use leptos::prelude::*;
use shared::api::{EventAction, SubscriptionEvent};

use crate::console::use_console;
use crate::format;

/// One step of the chart: from `at` (RFC 3339) on, the subscription had `seats`.
#[derive(Clone, Debug, PartialEq)]
pub struct SeatStep {
    pub at: String,
    pub seats: u32,
}

/// The seats the subscription had since `created_at`, oldest first, from its audit trail: the
/// count it started with, then every change of seats. Subscriptions older than their trail
/// (imported, seeded) start with the count before their first recorded change.
pub fn seat_steps(created_at: &str, seats_now: u32, events: &[SubscriptionEvent]) -> Vec<SeatStep> {
    let changes: Vec<&SubscriptionEvent> = events
        .iter()
        .filter(|e| match (e.action, &e.before) {
            (EventAction::Created, _) | (_, None) => true,
            (_, Some(before)) => before.quantity != e.after.quantity,
        })
        .collect();
    let first = match changes.first() {
        Some(e) if e.action != EventAction::Created => {
            e.before.as_ref().map_or(e.after.quantity, |b| b.quantity)
        }
        Some(e) => e.after.quantity,
        None => seats_now,
    };
    let mut steps = vec![SeatStep {
        at: created_at.to_owned(),
        seats: first,
    }];
    for e in changes {
        if steps.last().is_some_and(|s| s.seats != e.after.quantity) {
            steps.push(SeatStep {
                at: e.at.clone(),
                seats: e.after.quantity,
            });
        }
    }
    steps
}

const WIDTH: f64 = 600.0;
const TOP: f64 = 18.0;
const BOTTOM: f64 = 100.0;

/// The chart's step line, from the first step to `now` (ms since 1970).
fn step_path(steps: &[SeatStep], now: f64) -> String {
    let times: Vec<f64> = steps.iter().map(|s| js_sys::Date::parse(&s.at)).collect();
    let start = times.first().copied().unwrap_or(now);
    let span = (now - start).max(1.0);
    // The vertical scale spans the counts seen, with room around them, so that 11 → 12 seats
    // is a visible step and not a pixel at the top.
    let most = f64::from(steps.iter().map(|s| s.seats).max().unwrap_or(1));
    let least = f64::from(steps.iter().map(|s| s.seats).min().unwrap_or(0));
    let pad = ((most - least) / 4.0).max(1.0);
    let (low, high) = ((least - pad).max(0.0), most + pad);
    let x = |t: f64| ((t - start) / span * WIDTH).clamp(0.0, WIDTH);
    let y = |seats: u32| BOTTOM - (f64::from(seats) - low) / (high - low) * (BOTTOM - TOP);
    // Whole pixels of a 600 × 120 drawing: formatting floats would cost the app ~4 KB.
    let px = |v: f64| v.round() as i64;
    let mut path = String::new();
    for (i, (step, t)) in steps.iter().zip(&times).enumerate() {
        if i == 0 {
            path.push_str(&format!("M {} {}", px(x(*t)), px(y(step.seats))));
        } else {
            path.push_str(&format!(" H {} V {}", px(x(*t)), px(y(step.seats))));
        }
    }
    path.push_str(&format!(" H {}", px(WIDTH)));
    path
}

#[component]
pub fn SeatHistory(
    created_at: String,
    seats_now: u32,
    events: Vec<SubscriptionEvent>,
) -> impl IntoView {
    let console = use_console();
    let steps = seat_steps(&created_at, seats_now, &events);
    let now = js_sys::Date::now();
    let path = step_path(&steps, now);
    let most = steps.iter().map(|s| s.seats).max().unwrap_or(0);
    let first = steps[0].at.get(..10).unwrap_or_default().to_owned();
    let last = steps[steps.len() - 1].seats;
    view! {
        <figure class="rc-seat-chart">
            <figcaption class="rc-small rc-muted">{console.t().seats_over_time}</figcaption>
            // WIDTH × HEIGHT, the axis at BOTTOM, written out: no float formatting in the app.
            <svg viewBox="0 0 600 120" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                <line class="rc-chart-axis" x1="0" y1="100" x2="600" y2="100" />
                <path class="rc-chart-line" d=path vector-effect="non-scaling-stroke" />
            </svg>
            <div class="rc-chart-labels rc-small rc-muted" aria-hidden="true">
                <span>{move || format::day(console.lang.get(), &first)}</span>
                <span>{move || (console.t().chart_range)(most, last)}</span>
            </div>
            <table class="rc-visually-hidden">
                <caption>{console.t().seats_over_time}</caption>
                <thead>
                    <tr>
                        <th scope="col">{console.t().chart_from}</th>
                        <th scope="col">{console.t().chart_seats}</th>
                    </tr>
                </thead>
                <tbody>
                    {steps.into_iter().map(|s| {
                        let at = s.at.clone();
                        view! {
                            <tr>
                                <td><time datetime=s.at.clone()>{move || format::moment(console.lang.get(), &at)}</time></td>
                                <td>{s.seats}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </figure>
    }
}
