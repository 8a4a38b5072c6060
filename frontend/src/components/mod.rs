//! Pieces used by the pages, one per file.

pub mod action_pane;
pub mod badges;
pub mod change;
pub mod header;
pub mod history;
pub mod notice;
pub mod renewal_form;
pub mod seat_field;
pub mod seat_form;
pub mod seat_history;
pub mod status_form;
pub mod text_field;
