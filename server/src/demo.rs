//! Demo data for `--demo`: two partners (so tenancy is visible), a realistic catalogue, and
//! customers with a mix of channels and statuses. Generated from a fixed seed: every demo
//! database has the same names, seat counts and statuses.

use shared::ids::{AgentId, CustomerId, OfferId, PartnerId, SubscriptionId};
use shared::lifecycle;
use shared::model::{BillingCycle, Channel, Offer, Role, ScheduledChange, Status, Term};
use shared::reduction_window::SeatBatch;
use uuid::Uuid;

use crate::clock::{self, Clock};

/// Demo data is dated by the system clock: it is written at start, before any test moves time.
static SYSTEM: Clock = Clock::system();
use crate::credentials::hash_password;
use crate::store::{NewSubscription, Seed, SeedAgent, SeedCustomer, SeedPartner};

pub const DEMO_PASSWORD: &str = "demo-password";

/// The demo sign-ins, as printed at start: (e-mail, role, partner).
pub const DEMO_AGENTS: [(&str, &str, &str); 5] = [
    ("admin@northwind.example", "admin", "Northwind Reseller"),
    ("sales@northwind.example", "sales", "Northwind Reseller"),
    (
        "helpdesk@northwind.example",
        "helpdesk",
        "Northwind Reseller",
    ),
    (
        "readonly@northwind.example",
        "read-only",
        "Northwind Reseller",
    ),
    ("admin@fabrikam.example", "admin", "Fabrikam Cloud"),
];

fn offer(id: &str, name: &str, max: u32, cents: u32, term: Term) -> Offer {
    Offer {
        id: id.into(),
        name: name.into(),
        min_quantity: 1,
        max_quantity: max,
        price_per_seat_cents: cents,
        currency: "EUR".into(),
        term,
        billing_cycle: BillingCycle::Monthly,
    }
}

pub fn catalogue() -> Vec<Offer> {
    use Term::{Annual, Monthly};
    vec![
        offer(
            "m365-business-basic",
            "Microsoft 365 Business Basic",
            300,
            560,
            Annual,
        ),
        offer(
            "m365-business-standard",
            "Microsoft 365 Business Standard",
            300,
            1170,
            Annual,
        ),
        offer(
            "m365-business-premium",
            "Microsoft 365 Business Premium",
            300,
            2060,
            Annual,
        ),
        offer(
            "m365-apps-for-business",
            "Microsoft 365 Apps for business",
            300,
            980,
            Monthly,
        ),
        offer("m365-e3", "Microsoft 365 E3", 10000, 3370, Annual),
        offer("m365-e5", "Microsoft 365 E5", 10000, 5370, Annual),
        offer(
            "exchange-online-plan-1",
            "Exchange Online (Plan 1)",
            5000,
            370,
            Monthly,
        ),
        offer(
            "teams-essentials",
            "Microsoft Teams Essentials",
            300,
            370,
            Monthly,
        ),
        offer("visio-plan-2", "Visio Plan 2", 5000, 1400, Annual),
    ]
}

const NORTHWIND_OFFERS: [&str; 6] = [
    "m365-business-basic",
    "m365-business-standard",
    "m365-business-premium",
    "m365-e3",
    "exchange-online-plan-1",
    "teams-essentials",
];

const FABRIKAM_OFFERS: [&str; 5] = [
    "m365-business-basic",
    "m365-business-standard",
    "m365-apps-for-business",
    "m365-e5",
    "visio-plan-2",
];

const NORTHWIND_CUSTOMERS: [&str; 40] = [
    "Contoso Ltd",
    "A. Datum Corporation",
    "Adventure Works Cycles",
    "Alpine Ski House",
    "Bellows College",
    "Best For You Organics",
    "Blue Yonder Airlines",
    "City Power & Light",
    "Coho Winery",
    "Consolidated Messenger",
    "Fincher Architects",
    "First Up Consultants",
    "Fourth Coffee",
    "Graphic Design Institute",
    "Humongous Insurance",
    "Lamna Healthcare",
    "Litware Inc",
    "Lucerne Publishing",
    "Margie's Travel",
    "Munson's Pickles and Preserves",
    "Nod Publishers",
    "Olympia Ristorante",
    "Proseware Inc",
    "Relecloud",
    "School of Fine Art",
    "Southridge Video",
    "Tailspin Toys",
    "Trey Research",
    "VanArsdel Ltd",
    "Wide World Importers",
    "Wingtip Toys",
    "Woodgrove Bank",
    "Boulder Innovations",
    "Baldwin Museum of Science",
    "Trattoria Da Mario",
    "Ferramenta Rossi",
    "Studio Legale Bianchi",
    "Müller Maschinenbau GmbH",
    "Ötztal Reisen",
    "Cantina Sociale Valpolicella",
];

const FABRIKAM_CUSTOMERS: [&str; 10] = [
    "Northridge Dental",
    "Parnell Aerospace",
    "Quick Print Shop",
    "Riverside Veterinary",
    "Sunset Bakery",
    "Tasmanian Traders",
    "Trey Logistics",
    "Vigneti Colli Euganei",
    "Wessex Solicitors",
    "Zava Fashion",
];

/// A fixed-seed generator (xorshift64*): the same demo data every time, no extra crate.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// `contoso.onmicrosoft.com` from "Contoso Ltd", folding the accents an initial domain cannot have.
pub fn initial_domain(name: &str) -> String {
    let slug: String = name
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'à' | 'á' | 'ä' => 'a',
            'è' | 'é' => 'e',
            'ì' | 'í' => 'i',
            'ò' | 'ó' | 'ö' => 'o',
            'ù' | 'ú' | 'ü' => 'u',
            c => c,
        })
        .filter(char::is_ascii_alphanumeric)
        .collect();
    format!("{slug}.onmicrosoft.com")
}

fn subscription(
    customer: CustomerId,
    offer: &Offer,
    dice: &mut Dice,
    channel: Channel,
) -> NewSubscription {
    let created = SYSTEM.days_ago(30 + dice.below(900) as i64);
    // The commitment end is the end of the term running today.
    let today = SYSTEM.now().date().to_string();
    let ordered = created.unix_timestamp();
    let mut end = lifecycle::first_term_end(ordered, offer.term);
    while end <= today {
        end = lifecycle::next_term_end(&end, offer.term, u32::from(created.day()))
            .expect("a date it wrote");
    }
    let suspended = dice.chance(15);
    let span = u64::from(offer.max_quantity.min(60) - offer.min_quantity + 1);
    NewSubscription {
        id: SubscriptionId(Uuid::new_v4()),
        customer_id: customer,
        offer_id: offer.id.clone(),
        quantity: offer.min_quantity + dice.below(span) as u32,
        status: if suspended {
            Status::Suspended
        } else {
            Status::Active
        },
        channel,
        auto_renew: !suspended && dice.chance(80),
        created_at: clock::rfc3339(created),
        commitment_end: end,
        // Bought a month or more ago: its reduction window closed long since.
        seat_batches: Vec::new(),
        scheduled: None,
        // Seeded with Partner Center-like dates, as an import would be.
        ordered_here: false,
    }
}

fn customers(
    names: &[&str],
    authorised: &[&str],
    catalogue: &[Offer],
    dice: &mut Dice,
) -> Vec<SeedCustomer> {
    let sellable: Vec<&Offer> = catalogue
        .iter()
        .filter(|o| authorised.contains(&o.id.0.as_str()))
        .collect();
    names
        .iter()
        .map(|name| {
            let id = CustomerId(Uuid::new_v4());
            let count = 1 + dice.below(5);
            let mut subscriptions: Vec<NewSubscription> = Vec::new();
            while subscriptions.len() < count as usize {
                // Customers also buy directly, and not only what their partner sells.
                let (offer, channel) = if dice.chance(25) {
                    (
                        &catalogue[dice.below(catalogue.len() as u64) as usize],
                        Channel::Direct,
                    )
                } else {
                    (
                        sellable[dice.below(sellable.len() as u64) as usize],
                        Channel::Partner,
                    )
                };
                // One subscription per offer and customer, as a real tenant would have.
                if subscriptions.iter().all(|s| s.offer_id != offer.id) {
                    subscriptions.push(subscription(id, offer, dice, channel));
                }
            }
            SeedCustomer {
                id,
                name: (*name).to_owned(),
                domain: initial_domain(name),
                created_at: clock::rfc3339(SYSTEM.days_ago(950 + dice.below(400) as i64)),
                subscriptions,
            }
        })
        .collect()
}

/// Builds the demo data. Hashes the demo password once per agent (slow on purpose).
pub fn seed() -> Seed {
    let offers = catalogue();
    let mut dice = Dice(0x5EED_CAFE_F00D_1234);
    let agent = |email: &str, display_name: &str, role: Role| SeedAgent {
        id: AgentId(Uuid::new_v4()),
        email: email.into(),
        display_name: display_name.into(),
        role,
        password_hash: hash_password(DEMO_PASSWORD),
    };
    let authorised = |ids: &[&str]| ids.iter().map(|id| OfferId((*id).into())).collect();
    let mut northwind_customers =
        customers(&NORTHWIND_CUSTOMERS, &NORTHWIND_OFFERS, &offers, &mut dice);
    // The first customer always shows every case side by side: partner-bought active and
    // suspended, and bought directly.
    let contoso = &mut northwind_customers[0];
    let by_id = |id: &str| {
        offers
            .iter()
            .find(|o| o.id.0 == id)
            .expect("in the catalogue")
    };
    contoso.subscriptions = vec![
        // Seats added lately, so the reduction window shows on day one: 5 seats two days ago
        // (removable for almost 5 more days) and 2 seats almost 7 days ago (hours left).
        NewSubscription {
            quantity: 25,
            status: Status::Active,
            auto_renew: true,
            seat_batches: vec![
                SeatBatch {
                    quantity: 2,
                    added_at: SYSTEM.unix() - (6 * 24 + 20) * 3600,
                },
                SeatBatch {
                    quantity: 5,
                    added_at: SYSTEM.unix() - (2 * 24 + 3) * 3600,
                },
            ],
            ..subscription(
                contoso.id,
                by_id("m365-business-basic"),
                &mut dice,
                Channel::Partner,
            )
        },
        NewSubscription {
            status: Status::Suspended,
            auto_renew: false,
            ..subscription(
                contoso.id,
                by_id("m365-business-premium"),
                &mut dice,
                Channel::Partner,
            )
        },
        NewSubscription {
            status: Status::Active,
            ..subscription(contoso.id, by_id("m365-e5"), &mut dice, Channel::Direct)
        },
    ];
    // The second shows what time does: a renewal in 3 days with a lower seat count scheduled,
    // one expired 10 days ago (auto-renew was off), one disabled (its term ended 50 days ago),
    // and one ordered 2 days ago and cancelled the next day.
    let datum = &mut northwind_customers[1];
    let now = SYSTEM.unix();
    let day_text =
        |days: i64| shared::calendar::date_text(shared::calendar::date_of(now + days * 86_400));
    let at = |days: i64| clock::rfc3339(SYSTEM.days_ago(-days));
    datum.subscriptions = vec![
        NewSubscription {
            quantity: 40,
            status: Status::Active,
            auto_renew: true,
            created_at: at(-362),
            commitment_end: day_text(3),
            scheduled: Some(ScheduledChange {
                quantity: 30,
                term: Term::Annual,
            }),
            ..subscription(
                datum.id,
                by_id("m365-business-standard"),
                &mut dice,
                Channel::Partner,
            )
        },
        NewSubscription {
            quantity: 12,
            status: Status::Expired,
            auto_renew: false,
            created_at: at(-375),
            commitment_end: day_text(-10),
            ..subscription(datum.id, by_id("m365-e3"), &mut dice, Channel::Partner)
        },
        NewSubscription {
            quantity: 8,
            status: Status::Disabled,
            auto_renew: false,
            created_at: at(-80),
            commitment_end: day_text(-50),
            ..subscription(
                datum.id,
                by_id("teams-essentials"),
                &mut dice,
                Channel::Partner,
            )
        },
        NewSubscription {
            quantity: 15,
            status: Status::Cancelled,
            auto_renew: false,
            created_at: at(-2),
            ordered_here: true,
            ..subscription(
                datum.id,
                by_id("exchange-online-plan-1"),
                &mut dice,
                Channel::Partner,
            )
        },
    ];
    let fabrikam_customers = customers(&FABRIKAM_CUSTOMERS, &FABRIKAM_OFFERS, &offers, &mut dice);
    Seed {
        partners: vec![
            SeedPartner {
                id: PartnerId(Uuid::new_v4()),
                name: "Northwind Reseller".into(),
                authorised_offers: authorised(&NORTHWIND_OFFERS),
                agents: vec![
                    agent("admin@northwind.example", "Giulia Rossi", Role::Admin),
                    agent("sales@northwind.example", "Chiara Neri", Role::Sales),
                    agent(
                        "helpdesk@northwind.example",
                        "Marco Bianchi",
                        Role::Helpdesk,
                    ),
                    agent("readonly@northwind.example", "Luca Verdi", Role::ReadOnly),
                ],
                customers: northwind_customers,
            },
            SeedPartner {
                id: PartnerId(Uuid::new_v4()),
                name: "Fabrikam Cloud".into(),
                authorised_offers: authorised(&FABRIKAM_OFFERS),
                agents: vec![agent("admin@fabrikam.example", "Sam Taylor", Role::Admin)],
                customers: fabrikam_customers,
            },
        ],
        offers,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_data_is_plausible_and_mixes_every_case() {
        let seed = seed();
        assert_eq!(seed.partners[0].customers.len(), 40);
        assert_eq!(seed.partners[1].customers.len(), 10);
        for p in &seed.partners {
            let subs: Vec<_> = p.customers.iter().flat_map(|c| &c.subscriptions).collect();
            assert!(
                p.customers
                    .iter()
                    .all(|c| (1..=5).contains(&c.subscriptions.len()))
            );
            assert!(subs.iter().any(|s| s.channel == Channel::Direct));
            assert!(subs.iter().any(|s| s.status == Status::Suspended));
            for s in &subs {
                let offer = seed.offers.iter().find(|o| o.id == s.offer_id).unwrap();
                assert!(offer.seat_bounds().contains(s.quantity));
                if s.channel == Channel::Partner {
                    assert!(
                        p.authorised_offers.contains(&s.offer_id),
                        "partner sells only what it may"
                    );
                }
                assert!(s.status == Status::Active || !s.auto_renew);
                // Nothing is due at start: live terms end in the future.
                if s.status.is_live() {
                    assert!(s.commitment_end > SYSTEM.now().date().to_string());
                }
            }
            assert!(
                p.customers
                    .iter()
                    .all(|c| c.domain.ends_with(".onmicrosoft.com"))
            );
        }
        assert_eq!(
            initial_domain("Müller Maschinenbau GmbH"),
            "mullermaschinenbaugmbh.onmicrosoft.com"
        );
    }
}
