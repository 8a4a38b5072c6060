//! The Partner Center stand-in of the tests as a process of its own, for the browser tests
//! (`scripts/test` starts it): `cargo run -p server --example partner_center_standin -- ADDR`.
//! It prints `stand-in listening on http://ADDR` once it answers. Test fixture only.

#[path = "../tests/api/partner_center_standin.rs"]
#[allow(dead_code)]
mod standin;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let address = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:0".to_owned());
    let standin = standin::StandIn::start_on(&address).await;
    println!("stand-in listening on {}", standin.base);
    std::future::pending::<()>().await;
}
