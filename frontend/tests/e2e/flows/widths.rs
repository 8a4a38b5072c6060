//! Every page from phone to desktop width: nothing scrolls sideways, nothing overlaps.

use crate::support::*;
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
async fn flow_9_every_width_from_phone_to_desktop() {
    for width in [360, 390, 768, 1366] {
        // A base of its own per mount: an unmounted console's router still listens for link
        // clicks under its base (leptos_router keeps its window listener).
        let base = format!("/e2e-9-{width}");
        let m = open(&base, "/", Some(new_root_of_width(width))).await;
        let root = &m.root;
        sign_in(&m, ADMIN).await;
        until(root, "the customer list", || {
            find_all(root, ".rc-table tbody tr").len() == 15
        })
        .await;
        assert_eq!(
            overflow(root),
            0,
            "{width} px: the list fits, no sideways scrolling"
        );
        open_customer(root, "Wingtip Toys").await;
        assert_eq!(overflow(root), 0, "{width} px: list and pane fit");
        let (list, pane) = (rect(root, ".rc-list"), rect(root, ".rc-pane"));
        assert!(
            !overlaps(&list, &pane),
            "{width} px: the pane is drawn over the list"
        );
        if width < 860 {
            // One column: the pane replaces the list, with a way back.
            assert_eq!(
                list.height(),
                0.0,
                "{width} px: the list makes room for the pane"
            );
            let back = find(root, ".rc-back");
            until(root, "focus to follow into the pane", || has_focus(&back)).await;
            assert!(
                back.get_bounding_client_rect().height() >= 44.0,
                "{width} px: touch target"
            );
            back.click();
            until(root, "back to the list", || {
                rect(root, ".rc-list").height() > 0.0 && !exists(root, ".rc-pane-title")
            })
            .await;
            let row = find(root, ".rc-table tbody tr");
            assert!(
                row.get_bounding_client_rect().height() >= 44.0,
                "{width} px: row height"
            );
            open_customer(root, "Wingtip Toys").await;
        } else {
            assert!(
                list.height() > 0.0 && pane.height() > 0.0,
                "{width} px: side by side"
            );
        }
        let sub = api_first_partner_subscription(root).await;
        open_subscription(root, &sub).await;
        assert_eq!(overflow(root), 0, "{width} px: the subscription page fits");
        for button in find_all(root, ".rc-actions button") {
            if width < 860 {
                assert!(
                    button.get_bounding_client_rect().height() >= 44.0,
                    "{width} px: button"
                );
            }
        }
        // The order form, whose offer names are long.
        click(root, ".rc-breadcrumb a:nth-of-type(2)");
        until(root, "back to the pane", || {
            exists(root, ".rc-pane button.rc-primary")
        })
        .await;
        click(root, ".rc-pane button.rc-primary");
        until(root, "the order form", || exists(root, ".rc-order select")).await;
        assert_eq!(overflow(root), 0, "{width} px: the order form fits");
    }
    // Italian words are longer ("Acquistata direttamente · sola lettura"): the pane still fits.
    let m = open_in("it", "/e2e-9-it", "/", Some(new_root_of_width(360))).await;
    let root = &m.root;
    sign_in(&m, ADMIN).await;
    open_customer(root, "Wingtip Toys").await;
    until(root, "the pane's badges", || {
        exists(root, ".rc-sub .rc-badge")
    })
    .await;
    assert_eq!(overflow(root), 0, "360 px in Italian: the pane fits");
}
