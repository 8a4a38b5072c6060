//! Italian, following the source article.

use super::{Lang, Text};

pub static IT: Text = Text {
    lang: Lang::It,
    language_name: "Italiano",
    language: "Lingua",
    brand: "Reseller Console",
    sign_out: "Esci",
    sign_in_title: "Accedi a Reseller Console",
    email: "E-mail",
    password: "Password",
    sign_in: "Accedi",
    signing_in: "Accesso in corso…",
    bad_credentials: "E-mail o password non corrette.",
    session_expired: "La sessione è scaduta: accedi di nuovo per riprendere da dove eri.",
    loading: "Caricamento…",
    network_error: "Impossibile raggiungere il server. Controlla la connessione e riprova.",
    page_unavailable_title: "Pagina non caricata",
    page_unavailable: "Impossibile caricare questa pagina. Controlla la connessione e riprova; se non funziona ancora, ricarica la console: potrebbe essere stata aggiornata.",
    retry: "Riprova",
    not_found: "Non trovato: potrebbe essere stato rimosso, o il link è errato.",
    customers: "Clienti",
    search_label: "Cerca clienti",
    search_placeholder: "Cerca per azienda o dominio",
    col_company: "Azienda",
    col_domain: "Dominio",
    col_subscriptions: "Sottoscrizioni",
    previous: "Precedente",
    next: "Successiva",
    showing: |from, to, total| format!("{from}–{to} di {total} clienti"),
    matching: |q| format!(" per “{q}”"),
    no_customers: "Nessun cliente corrisponde.",
    keyboard_hint: "↑ ↓ per spostarsi, Invio per aprire, Esc per chiudere",
    select_customer: "Seleziona un cliente per vederne le sottoscrizioni.",
    all_customers: "← Tutti i clienti",
    subscription_count: |n| {
        if n == 1 {
            "1 sottoscrizione".into()
        } else {
            format!("{n} sottoscrizioni")
        }
    },
    add_subscriptions: "Aggiungi nuove sottoscrizioni",
    no_subscriptions: "Ancora nessuna sottoscrizione.",
    bought_directly_read_only: "Acquistata direttamente · sola lettura",
    bought_directly: "Acquistata direttamente",
    new_badge: "Nuova",
    seats: |n| {
        if n == 1 {
            "1 licenza".into()
        } else {
            format!("{n} licenze")
        }
    },
    renews: |d| format!("si rinnova il {d}"),
    auto_renew_off: "rinnovo automatico disattivato",
    customer: "Cliente",
    seats_label: "Licenze",
    seats_value: |n, min, max| format!("{n} ({min} – {max} per questa offerta)"),
    status: "Stato",
    bought: "Acquisto",
    through_partner: |p| format!("Tramite {p}"),
    auto_renew: "Rinnovo automatico",
    on: "Attivo",
    off: "Disattivato",
    created: "Creata",
    commitment_end: "Fine dell'impegno",
    history: "Cronologia",
    no_history: "Ancora nessuna modifica.",
    seats_over_time: "Licenze nel tempo",
    chart_from: "Dal",
    chart_seats: "Licenze",
    chart_range: |most, now| format!("al massimo {most} · ora {now}"),
    download_csv: "Scarica CSV",
    event_created: |n| format!("sottoscrizione ordinata, {n} licenze"),
    event_seats: |a, b| format!("licenze {a} → {b}"),
    event_status: |a, b| format!("stato {a} → {b}"),
    edit_quantity: "Modifica quantità",
    number_of_licences: "Numero di licenze",
    submit: "Invia",
    saving: "Salvataggio…",
    cancel: "Annulla",
    seats_changed: |n| format!("Salvato: la sottoscrizione ha ora {n} licenze."),
    change_status: "Cambia stato",
    changing_prefix: "Stai modificando",
    changing_for: "per",
    new_status: "Nuovo stato",
    suspend: "Sospendi",
    activate: "Attiva",
    suspend_warning: "La sospensione avvia il processo di cancellazione del cliente: i suoi utenti perdono l'accesso e il rinnovo automatico viene disattivato.",
    save: "Salva",
    now_suspended: "Salvato: la sottoscrizione è sospesa e il rinnovo automatico è disattivato.",
    now_active: "Salvato: la sottoscrizione è di nuovo attiva.",
    conflict: |seats, status| {
        format!(
            "Qualcun altro ha modificato questa sottoscrizione mentre lavoravi: ora ha {seats} licenze ed è {status}. Quanto hai inserito è conservato qui sotto."
        )
    },
    apply_again: "Applica di nuovo la modifica",
    new_subscription_for: |c| format!("Aggiungi nuove sottoscrizioni per {c}"),
    step_choose: "1 Offerta e licenze",
    step_confirm: "2 Conferma",
    select_offer: "Seleziona offerta",
    choose_offer: "Scegli un'offerta…",
    choose_offer_error: "Seleziona prima un'offerta.",
    offer_option: |name, price, min, max| {
        format!("{name} — {price} per licenza/mese, {min}–{max} licenze")
    },
    number_of_seats: "Numero di licenze",
    confirm_title: "Conferma la nuova sottoscrizione",
    offer: "Offerta",
    monthly_cost: "Costo mensile",
    confirm_note: "Controlla l'offerta e il numero di licenze: Fine effettua l'ordine.",
    back: "Indietro",
    finish: "Fine",
    ordering: "Ordine in corso…",
    back_to_customers: "Clienti",
    sections: "Sezioni della console",
    team: "Team",
    account: "Il tuo account",
    add_customer: "Aggiungi cliente",
    company_name: "Ragione sociale",
    primary_domain: "Dominio principale",
    domain_hint: "Per esempio contoso.onmicrosoft.com: unico tra i tuoi clienti.",
    adding: "Aggiunta in corso…",
    col_agent: "Agente",
    col_role: "Ruolo",
    col_last_sign_in: "Ultimo accesso",
    col_state: "Stato",
    never: "Mai",
    state_active: "Attivo",
    state_disabled: "Disattivato",
    disable: "Disattiva",
    enable: "Riattiva",
    you: "(tu)",
    add_agent: "Aggiungi un agente",
    agent_name: "Nome",
    role: "Ruolo",
    save_role: "Salva ruolo",
    password_optional: "Password (lascia vuoto per una password monouso)",
    one_time_password: |e| format!("Comunica a {e} questa password monouso. È mostrata solo ora:"),
    agent_added: |e| format!("Aggiunto {e}."),
    agent_saved: |e| format!("Salvato: {e}."),
    recent_changes: "Modifiche recenti",
    no_team_changes: "Ancora nessuna modifica al team.",
    team_event: |actor, agent, action, before, after| match action {
        "added" => format!("{actor} ha aggiunto {agent} come {after}"),
        "disabled" => format!("{actor} ha disattivato {agent}"),
        "enabled" => format!("{actor} ha riattivato {agent}"),
        "password_set" => format!("{agent} ha cambiato la propria password"),
        _ => format!("{actor} ha modificato {agent}: {before} → {after}"),
    },
    change_password: "Cambia password",
    current_password: "Password attuale",
    new_password: "Nuova password (almeno 12 caratteri)",
    repeat_password: "Ripeti la nuova password",
    passwords_differ: "Le due nuove password sono diverse.",
    password_changed: "Salvato: la password è cambiata e le altre sessioni sono terminate.",
    choose_own_password: "Hai effettuato l'accesso con una password ricevuta: scegline una tua per continuare.",
    removable_seats: "Licenze ancora rimovibili",
    removable_badge: |n| format!("{n} rimovibili"),
    turn_auto_renew_off: "Disattiva il rinnovo automatico",
    turn_auto_renew_on: "Attiva il rinnovo automatico",
    auto_renew_now_off: "Salvato: rinnovo automatico disattivato; la sottoscrizione termina con il periodo.",
    auto_renew_now_on: "Salvato: rinnovo automatico attivo; la sottoscrizione si rinnova alla fine del periodo.",
    event_auto_renew: |on| {
        format!(
            "rinnovo automatico {}",
            if on { "attivo" } else { "disattivato" }
        )
    },
    renewals: "Rinnovi",
    renewals_intro: "Le sottoscrizioni vendute da te il cui periodo termina presto: quelle in rinnovo bloccano le licenze per un altro periodo; le altre scadono.",
    next_days: |d| format!("Prossimi {d} giorni"),
    col_term_ends: "Fine periodo",
    col_offer: "Offerta",
    col_monthly: "Mensile",
    term_renews: "Si rinnova",
    term_expires: "Scade",
    term_ends: "Termina (sospesa)",
    days_left: |d| match d {
        0 => "oggi".into(),
        1 => "tra 1 giorno".into(),
        d => format!("tra {d} giorni"),
    },
    no_renewals: "Nessun periodo termina in questo intervallo.",
    terms_ending: |n, d| match n {
        1 => format!("1 periodo termina nei prossimi {d} giorni."),
        n => format!("{n} periodi terminano nei prossimi {d} giorni."),
    },
    add_to_calendar: "Aggiungi al calendario (.ics, promemoria 7 giorni prima)",
    cost_preview: |from, to, up, per_month, now| {
        if up {
            format!(
                "{from} → {to} licenze: +{per_month} al mese; {now} addebitati ora per il resto del periodo."
            )
        } else {
            format!(
                "{from} → {to} licenze: −{per_month} al mese; {now} accreditati per il resto del periodo."
            )
        }
    },
    margin_preview: |to, cost, margin, below| {
        let flag = if below {
            " Sotto costo: il prezzo di questo cliente è inferiore a quanto ti addebita Microsoft."
        } else {
            ""
        };
        format!(
            "Con {to} licenze: {cost} al mese a Microsoft, un margine di {margin} al mese.{flag}"
        )
    },
    margin_cell: |margin, below| {
        if below {
            format!("Sotto costo: {margin}")
        } else {
            format!("Margine {margin}")
        }
    },
    none_removable: "Nessuna: le licenze si possono rimuovere solo entro 7 giorni dall'aggiunta.",
    removable_until: |n, when| {
        if n == 1 {
            format!("1 licenza fino al {when}")
        } else {
            format!("{n} licenze fino al {when}")
        }
    },
    cancel_subscription: "Annulla la sottoscrizione",
    cancel_warning: |refund, full| {
        format!(
            "L'annullamento chiude subito la sottoscrizione: i suoi utenti perdono l'accesso e non si potrà riattivare. Rimborso: {refund}{}.",
            if full {
                " (tutto: entro 24 ore dall'ordine)"
            } else {
                " per i giorni non usati del periodo"
            }
        )
    },
    now_cancelled: "Salvato: la sottoscrizione è annullata.",
    drops_schedule: "Questo rimuove anche la modifica programmata per il rinnovo.",
    term_label: "Durata",
    billed_monthly: "fatturazione mensile",
    billed_annually: "fatturazione annuale",
    renews_on: |d, w| format!("si rinnova il {d} ({w})"),
    expires_on: |d, w| format!("scade il {d} ({w}): il rinnovo automatico è disattivato"),
    disabled_on: |d, w| format!("viene disattivata il {d} ({w})"),
    deleted_on: |d, w| format!("viene eliminata il {d} ({w})"),
    cancelled_for_good: "annullata: sola lettura",
    at_renewal: "Al rinnovo",
    renews_unchanged: "Nessuna modifica programmata: si rinnova così com'è.",
    scheduled_value: |n, term, cost| format!("{n} licenze, {term}: {cost} al mese"),
    manage_renewal: "Gestisci rinnovo",
    next_term: "Prossimo periodo",
    remove_schedule: "Rimuovi la modifica programmata",
    schedule_saved: "Salvato: la modifica è programmata per il rinnovo.",
    schedule_removed: "Salvato: la sottoscrizione si rinnova così com'è.",
    expires_badge: |d| format!("scade il {d}"),
    renewal_actor: "rinnovo automatico",
    term_end_actor: "fine del periodo",
    import_actor: "importazione",
    event_imported: |src, n, status, end| {
        format!("importata da {src}: {n} licenze, {status}, periodo fino al {end}")
    },
    older_in_csv: "Sono mostrate solo le modifiche più recenti: il CSV le contiene tutte.",
    activity: "Attività",
    activity_intro: "Ogni modifica alle sottoscrizioni dei tuoi clienti, dalla più recente.",
    date_from: "Dal",
    date_to: "Al",
    col_when: "Quando",
    col_change: "Modifica",
    any_action: "Tutte le azioni",
    any_agent: "Tutti gli agenti",
    only_me: "Solo io",
    action_label: "Azione",
    actions: [
        "Ordinata",
        "Licenze modificate",
        "Stato modificato",
        "Rinnovo automatico modificato",
        "Rinnovo pianificato",
        "Rinnovata",
        "Importata",
        "Modificato in Partner Center",
    ],
    newer: "Più recenti",
    older: "Meno recenti",
    no_activity: "Nessuna modifica corrisponde a questi filtri.",
    customer_filter: |name| format!("Cliente: {name}"),
    all_customers_filter: "Tutti i clienti",
    only_this_customer: "Mostra solo le modifiche di questo cliente",
    downloads: "Scarica (CSV):",
    export_customers: "clienti",
    export_subscriptions: "tutte le sottoscrizioni",
    event_renewed: |end, n| format!("rinnovata fino al {end}, {n} licenze"),
    event_scheduled: |n, term| format!("programmata per il rinnovo: {n} licenze, {term}"),
    event_schedule_removed: "modifica programmata rimossa",
    time_left: |s| match s {
        s if s <= 0 => "chiusa".into(),
        s if s >= 86_400 => format!("restano {} giorni e {} ore", s / 86_400, s % 86_400 / 3600),
        s if s >= 3600 => format!("restano {} ore e {} min", s / 3600, s % 3600 / 60),
        s => format!("restano {} min", (s + 59) / 60),
    },
    partner_center_actor: "Partner Center",
    event_partner_center: |c| format!("modificato in Partner Center: {c}"),
    event_ends: |end| format!("il periodo termina il {end}"),
    waiting_badge: "In attesa di Microsoft",
    failed_badge: "Microsoft non ha risposto",
    missing_badge: "Non in Partner Center",
    missing_explained: |when| {
        format!(
            "L'ultima sincronizzazione ({when}) non ha trovato questa sottoscrizione in Partner Center. Resta qui; verificala in Partner Center."
        )
    },
    renewal_settings: "impostazioni di rinnovo",
    pending_title: |what| format!("In attesa di Microsoft: {what}."),
    pending_detail: |by, when, n| format!("Richiesta da {by}, {when}. Tentativi finora: {n}."),
    pending_values: "I valori qui sotto cambiano quando Partner Center la conferma.",
    pending_next: |when| format!("Prossimo tentativo {when}."),
    pending_last_error: |e| format!("Ultimo tentativo: {e}."),
    failed_title: |what| {
        format!(
            "Microsoft non ha risposto: {what}. Non è stato cambiato nulla, né qui né in Partner Center."
        )
    },
    send_again: "Invia di nuovo",
    discard_change: "Annulla la modifica",
    sent_waiting: "Inviata a Microsoft: comparirà qui quando Partner Center la conferma.",
    change_discarded: "Annullata: la sottoscrizione resta com'è.",
    microsoft_confirmed: "Fatto: Partner Center ha confermato la modifica.",
    orders_waiting: |n| match n {
        1 => "1 ordine in attesa di Microsoft".into(),
        n => format!("{n} ordini in attesa di Microsoft"),
    },
    pending_orders_title: "Ordini in attesa di Microsoft",
    order_pending_title: |offer, n| format!("In attesa di Microsoft: {n} × {offer}."),
    order_failed_title: |offer, n| {
        format!("Microsoft non ha risposto a questo ordine: {n} × {offer}.")
    },
    stage_cart: "Non ancora in Partner Center.",
    stage_checkout: "In un carrello di Partner Center, non ancora ordinato.",
    stage_provisioning: "Ordinato: Microsoft sta creando la sottoscrizione.",
    order_sent_waiting: "Inviato a Microsoft: la sottoscrizione entra nell'elenco del cliente quando Partner Center l'ha creata.",
    order_confirmed: "Fatto: Microsoft ha creato la sottoscrizione.",
    order_answered: "Partner Center ha risposto a un ordine: le sottoscrizioni del cliente mostrano cosa ha creato.",
    discard_order: "Rinuncia all'ordine",
    order_discarded: "Ordine abbandonato: a Microsoft non viene inviato altro.",
    refused_badge: "Rifiutato da Microsoft",
    attempts_so_far: |n| format!("Tentativi: {n}."),
    order_of: |n, offer| format!("ordine di {n} × {offer}"),
    queue_title: "In attesa di Microsoft",
    queue_note: "Modifiche e ordini che Partner Center non ha ancora confermato, e quelli rifiutati da Microsoft negli ultimi 7 giorni (per questi non è stato cambiato né acquistato nulla).",
};
