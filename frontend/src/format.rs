//! Numbers, money and dates for display, through the browser's own Intl (no locale tables in
//! the wasm).

use js_sys::{Date, Intl, Object, Reflect};
use wasm_bindgen::JsValue;

use crate::i18n::Lang;

fn locale(lang: Lang) -> js_sys::Array {
    js_sys::Array::of1(&JsValue::from_str(match lang {
        Lang::En => "en-GB",
        Lang::It => "it-IT",
    }))
}

fn options(pairs: &[(&str, &str)]) -> Object {
    let o = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &JsValue::from_str(k), &JsValue::from_str(v));
    }
    o
}

/// "€843.75" / "843,75 €" from minor units (cents; yen have none).
pub fn money(lang: Lang, cents: u64, currency: &str) -> String {
    let f = Intl::NumberFormat::new(
        &locale(lang),
        &options(&[("style", "currency"), ("currency", currency)]),
    );
    f.format()
        .call1(
            &JsValue::NULL,
            &JsValue::from_f64(cents as f64 / 10f64.powi(shared::money::decimals(currency) as i32)),
        )
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| format!("{}.{:02} {currency}", cents / 100, cents % 100))
}

/// [`money`] of an amount that may be below zero (a margin under cost): "−€1.20".
pub fn signed_money(lang: Lang, cents: i64, currency: &str) -> String {
    let text = money(lang, cents.unsigned_abs(), currency);
    if cents < 0 {
        format!("−{text}")
    } else {
        text
    }
}

/// "12 Mar 2027" from "2027-03-12" (read as a calendar day, not shifted by time zone).
pub fn day(lang: Lang, iso_date: &str) -> String {
    let d = Date::new(&JsValue::from_str(&format!("{iso_date}T00:00:00Z")));
    if d.get_time().is_nan() {
        return iso_date.to_owned();
    }
    let o = options(&[
        ("day", "numeric"),
        ("month", "short"),
        ("year", "numeric"),
        ("timeZone", "UTC"),
    ]);
    d.to_locale_date_string(&locale_tag(lang), &o).into()
}

/// "November 2026" / "novembre 2026" from a day of the month (`YYYY-MM-DD`).
pub fn month(lang: Lang, iso_date: &str) -> String {
    let d = Date::new(&JsValue::from_str(&format!("{iso_date}T00:00:00Z")));
    if d.get_time().is_nan() {
        return iso_date.to_owned();
    }
    let o = options(&[("month", "long"), ("year", "numeric"), ("timeZone", "UTC")]);
    d.to_locale_date_string(&locale_tag(lang), &o).into()
}

/// "24 Nov 2026, 14:02" in the agent's time zone, from RFC 3339.
pub fn moment(lang: Lang, rfc3339: &str) -> String {
    let d = Date::new(&JsValue::from_str(rfc3339));
    if d.get_time().is_nan() {
        return rfc3339.to_owned();
    }
    let o = options(&[
        ("day", "numeric"),
        ("month", "short"),
        ("year", "numeric"),
        ("hour", "2-digit"),
        ("minute", "2-digit"),
    ]);
    d.to_locale_string(&locale_tag(lang), &o).into()
}

fn locale_tag(lang: Lang) -> String {
    match lang {
        Lang::En => "en-GB",
        Lang::It => "it-IT",
    }
    .to_owned()
}

/// A whole number with its thousands grouped, as the language writes it: "100,000" / "100.000".
pub fn whole(lang: Lang, n: u64) -> String {
    Intl::NumberFormat::new(&locale(lang), &Object::new())
        .format()
        .call1(&JsValue::NULL, &JsValue::from_f64(n as f64))
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| n.to_string())
}
