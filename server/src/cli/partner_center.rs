//! `partner connect`, `partner disconnect` and `sync`: a partner's connection to Microsoft
//! Partner Center, from the command line (the work is the connector's, `crate::partner_center`).

use std::path::PathBuf;
use std::sync::Arc;

use shared::ids::PartnerId;

use crate::clock::Clock;
use crate::config::Config;
use crate::store::Store;

/// The files `partner connect` reads its secrets from.
pub struct SecretFiles {
    pub app_secret: PathBuf,
    pub refresh_token: Option<PathBuf>,
}

pub async fn connect(
    config: &Config,
    store: &Arc<dyn Store>,
    clock: &Arc<Clock>,
    partner: PartnerId,
    tenant: &str,
    app_id: &str,
    files: SecretFiles,
) -> Result<(), String> {
    let connector = connector(config, store, clock)?;
    let given = crate::partner_center::Connection {
        tenant_id: shared::partner_center::parse_tenant(tenant)
            .map_err(|e| format!("--tenant: {e}"))?,
        app_id: shared::partner_center::parse_app_id(app_id)
            .map_err(|e| format!("--app-id: {e}"))?,
        app_secret: read_secret(&files.app_secret, "--app-secret-file")?,
        refresh_token: files
            .refresh_token
            .as_ref()
            .map(|f| read_secret(f, "--refresh-token-file"))
            .transpose()?,
    };
    let kind = if given.refresh_token.is_some() {
        "app + user tokens"
    } else {
        "app-only tokens"
    };
    connector.connect(partner, given).await?;
    println!(
        "partner {partner} connected to Partner Center ({kind}); its changes now go through Partner Center. Run `reseller-console sync --partner {partner}` to bring its customers in."
    );
    Ok(())
}

pub async fn disconnect(store: &Arc<dyn Store>, partner: PartnerId) -> Result<(), String> {
    match store
        .remove_connection(partner)
        .await
        .map_err(|e| e.to_string())?
    {
        Some((changes, orders)) => {
            println!(
                "partner {partner} disconnected from Partner Center; its stored secrets are removed"
            );
            if changes + orders > 0 {
                // Sent later, they would overwrite what the console (its own record again)
                // changes meanwhile: given up, and said so.
                println!(
                    "given up: {changes} change(s) and {orders} order(s) that were waiting for Microsoft (check them in Partner Center; a sync after reconnecting brings in what Microsoft did)"
                );
            }
        }
        None => println!("partner {partner} was not connected to Partner Center"),
    }
    Ok(())
}

pub async fn sync(
    config: &Config,
    store: &Arc<dyn Store>,
    clock: &Arc<Clock>,
    partner: PartnerId,
) -> Result<(), String> {
    if store
        .connection(partner)
        .await
        .map_err(|e| e.to_string())?
        .is_none()
    {
        return Err(format!(
            "partner {partner} is not connected to Partner Center: `partner connect` first"
        ));
    }
    let connector = connector(config, store, clock)?;
    match crate::partner_center::sync::run_once(&connector, partner).await? {
        None => Err(
            "another process is syncing this partner right now: try again when it is done".into(),
        ),
        Some(report) => {
            for skipped in &report.skipped {
                println!("skipped: {skipped}");
            }
            println!("{}", report.summary());
            Ok(())
        }
    }
}

fn connector(
    config: &Config,
    store: &Arc<dyn Store>,
    clock: &Arc<Clock>,
) -> Result<crate::partner_center::Connector, String> {
    crate::startup::partner_center_connector(config, store, clock).map_err(|e| e.to_string())
}

/// A secret from a file (surrounding whitespace ignored). The error names the file, never
/// what it holds.
fn read_secret(path: &std::path::Path, flag: &str) -> Result<String, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{flag}: cannot read {}: {e}", path.display()))?;
    let t = text.trim();
    if t.is_empty() || t.chars().any(char::is_control) {
        return Err(format!(
            "{flag}: {} holds no secret on one line",
            path.display()
        ));
    }
    Ok(t.to_owned())
}
