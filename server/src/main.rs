use std::process::ExitCode;

use clap::Parser;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    server::password_check::return_large_blocks_to_the_system();
    let cli = server::Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let result = match cli.command {
        None | Some(server::cli::Command::Serve) => {
            server::run(cli.config).await.map_err(|e| e.to_string())
        }
        Some(command) => server::cli::run(&cli.config, command).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("reseller-console: {e}");
            ExitCode::FAILURE
        }
    }
}
