//! Placeholder for the browser app: it proves `shared` builds for wasm32 from day one.

fn main() {
    // The seat rule the app will show live, compiled into the browser build.
    let bounds = shared::SeatBounds::new(1, 300);
    let _ = shared::SeatInput::from("12").for_offer(bounds);
}
