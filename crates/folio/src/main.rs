//! The `folio` binary: parses configuration, starts logging and hands over to the
//! library crates. All behaviour lives in `folio-web` and `folio-db`.

mod cli;
mod config;
mod doctor;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = config::Cli::parse();
    init_tracing(&cli.common.log);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("folio: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(cli::run(cli)) {
        Ok(code) => code,
        Err(e) => {
            // Printed once, plainly: this is the operator's terminal or service log.
            eprintln!("folio: {e}");
            ExitCode::FAILURE
        }
    }
}

fn init_tracing(filter: &str) {
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        // Standard output may carry data (`folio backup`, `folio export`): logs go to
        // standard error.
        .with_writer(std::io::stderr)
        .init();
}
