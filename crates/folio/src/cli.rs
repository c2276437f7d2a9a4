//! Subcommand dispatch: serve, migrate, doctor, user, demo, backup, restore, export,
//! import.

mod backup;
mod progress;
mod transfer;

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use folio_core::{CurrencyCode, Email, Password, Role};
use folio_db::Db;
use folio_db::models::NewUser;
use folio_db::repo::users;

use crate::config::{Cli, Command, UserCommand};

/// Anything that ends a subcommand with a message and a non-zero exit.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Bad configuration.
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    /// The database refused or failed.
    #[error("database: {0}")]
    Db(#[from] folio_db::DbError),
    /// Bad input on the command line.
    #[error("{0}")]
    Input(String),
    /// The server failed.
    #[error("server: {0}")]
    Io(#[from] std::io::Error),
    /// The demo portfolio could not be created.
    #[error("demo: {0}")]
    Demo(#[from] folio_web::demo::DemoError),
}

/// Runs the chosen subcommand.
pub async fn run(cli: Cli) -> Result<ExitCode, CliError> {
    let db_cfg = cli.common.db_config()?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(&cli.serve, &db_cfg).await,
        Command::Migrate => {
            let db = Db::connect_lazy(&db_cfg)?;
            let n = db.migrate().await?;
            println!("applied {n} migration(s) to {}", db_cfg.redacted_url());
            db.close().await;
            Ok(ExitCode::SUCCESS)
        }
        Command::Doctor => crate::doctor::run(&db_cfg).await,
        Command::User(cmd) => user(cmd, &db_cfg).await,
        Command::Backup { output } => backup_cmd(output, &db_cfg).await,
        Command::Restore { file } => restore_cmd(&file, &db_cfg).await,
        Command::Export {
            user,
            format,
            output,
        } => {
            let db = Db::connect_lazy(&db_cfg)?;
            db.migrate().await?;
            let r = transfer::export(&db, &user, &format, output.as_deref()).await;
            db.close().await;
            r.map(|()| ExitCode::SUCCESS)
        }
        Command::Import {
            file,
            user,
            format,
            dry_run,
        } => {
            let db = Db::connect_lazy(&db_cfg)?;
            db.migrate().await?;
            let r = transfer::import(&db, &file, &user, &format, dry_run).await;
            db.close().await;
            r.map(|clean| {
                if clean {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::FAILURE
                }
            })
        }
        Command::Demo => {
            let db = Db::connect_lazy(&db_cfg)?;
            db.migrate().await?;
            let seeded = folio_web::demo::seed(&db).await?;
            print_demo(&seeded, None);
            db.close().await;
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn serve(
    args: &crate::config::ServeArgs,
    db_cfg: &folio_db::DbConfig,
) -> Result<ExitCode, CliError> {
    let web_cfg = args.web_config()?;
    let db = Db::connect_lazy(db_cfg)?;
    let state = folio_web::AppState::new_pending_schema(db.clone(), web_cfg);
    let mut demo = None;
    match db.migrate().await {
        Ok(applied) => {
            tracing::info!(database = %db_cfg.redacted_url(), migrations_applied = applied, "database ready");
            if args.demo {
                demo = Some(folio_web::demo::seed(&db).await?);
            }
            state.mark_schema_ready();
        }
        // No free slot (or the server is starting): serve 503s and keep trying rather
        // than crash-looping against a full server.
        Err(e) if e.is_unavailable() => {
            tracing::warn!(error = %e, "database unavailable at start-up; serving 503 until migrations can run");
            tokio::spawn(migrate_when_possible(db.clone(), state.clone(), args.demo));
        }
        Err(e) => return Err(e.into()),
    }
    let listener = tokio::net::TcpListener::bind(args.listen).await?;
    tracing::info!("listening on http://{}", listener.local_addr()?);
    if let Some(seeded) = &demo {
        print_demo(seeded, Some(listener.local_addr()?));
    }
    folio_web::serve(listener, state, shutdown_signal()).await?;
    db.close().await;
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
}

/// Retries migrations with capped exponential backoff until they succeed (then seeds
/// the demo, if asked).
async fn migrate_when_possible(db: Db, state: folio_web::AppState, demo: bool) {
    let mut wait = std::time::Duration::from_secs(1);
    loop {
        tokio::time::sleep(wait).await;
        match db.migrate().await {
            Ok(applied) => {
                tracing::info!(migrations_applied = applied, "database ready");
                if demo {
                    match folio_web::demo::seed(&db).await {
                        Ok(seeded) => print_demo(&seeded, None),
                        Err(e) => tracing::error!(error = %e, "demo portfolio not created"),
                    }
                }
                state.mark_schema_ready();
                return;
            }
            Err(e) => {
                tracing::warn!(error = %e, retry_in_s = wait.as_secs(), "migrations still cannot run");
                wait = (wait * 2).min(std::time::Duration::from_secs(30));
            }
        }
    }
}

async fn backup_cmd(
    output: Option<std::path::PathBuf>,
    db_cfg: &folio_db::DbConfig,
) -> Result<ExitCode, CliError> {
    // Batch work: the background share of the budget, with its longer deadline.
    let db = Db::connect_lazy(db_cfg)?.background();
    let rows = match &output {
        Some(path) => {
            let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
            backup::write_backup(&db, &mut out).await?
        }
        None => backup::write_backup(&db, &mut std::io::BufWriter::new(std::io::stdout())).await?,
    };
    db.close().await;
    if let Some(path) = output {
        eprintln!("backed up {rows} rows to {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

async fn restore_cmd(
    file: &std::path::Path,
    db_cfg: &folio_db::DbConfig,
) -> Result<ExitCode, CliError> {
    let db = Db::connect_lazy(db_cfg)?.background();
    let rows = if file.as_os_str() == "-" {
        backup::read_backup(&db, &mut std::io::stdin().lock()).await?
    } else {
        let f = std::fs::File::open(file)
            .map_err(|e| CliError::Input(format!("cannot open {}: {e}", file.display())))?;
        backup::read_backup(&db, &mut std::io::BufReader::new(f)).await?
    };
    db.close().await;
    println!(
        "restored {rows} rows into {} in one transaction",
        db_cfg.redacted_url()
    );
    Ok(ExitCode::SUCCESS)
}

/// Prints the demo login (stdout: the operator's terminal), with the login URL when
/// serving. Write errors (a closed pipe, as in `folio demo | head -1`) are ignored:
/// the demo is already stored, and `println!` would panic.
fn print_demo(seeded: &folio_web::demo::Seeded, addr: Option<std::net::SocketAddr>) {
    use std::io::Write;
    let what = if seeded.created {
        "created"
    } else {
        "already present, left unchanged"
    };
    let mut text = format!(
        "Demo portfolio {what}: {} activities, {} prices, {} FX rates; value today {} {}.\n",
        seeded.activities, seeded.prices, seeded.fx_rates, seeded.value, seeded.base
    );
    if let Some(addr) = addr {
        text.push_str(&format!("  Open:     http://{addr}/login\n"));
    }
    text.push_str(&format!(
        "  Email:    {}\n  Password: {}\n  This password is fixed and published: the demo \
         user holds synthetic data for trying Folio. Never put real data in it.\n",
        seeded.email, seeded.password
    ));
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => return std::future::pending().await,
            };
        tokio::select! { _ = ctrl_c => {}, _ = term.recv() => {} }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}

async fn user(cmd: UserCommand, db_cfg: &folio_db::DbConfig) -> Result<ExitCode, CliError> {
    let db = Db::connect_lazy(db_cfg)?;
    db.migrate().await?;
    match cmd {
        UserCommand::Add {
            email,
            admin,
            currency,
        } => {
            let email =
                Email::parse(&email).map_err(|e| CliError::Input(format!("--email: {e}")))?;
            let base_currency = CurrencyCode::parse(&currency)
                .map_err(|e| CliError::Input(format!("--currency: {e}")))?;
            let password = read_password()?;
            let password_hash = folio_web::auth::hash_password(&password)
                .map_err(|e| CliError::Input(e.to_string()))?;
            let role = admin.then_some(Role::Admin).or(Some(Role::User));
            let new = NewUser {
                email,
                password_hash,
                base_currency,
                role,
            };
            let created = users::insert_user(&db, &new).await.map_err(|e| match e {
                folio_db::DbError::Conflict => {
                    CliError::Input("a user with that email already exists".into())
                }
                other => other.into(),
            })?;
            println!(
                "created {} ({}) with id {}",
                created.email,
                created.role.label(),
                created.id
            );
        }
        UserCommand::Passwd { email } => {
            let email =
                Email::parse(&email).map_err(|e| CliError::Input(format!("--email: {e}")))?;
            let found = users::find_user_by_email(&db, &email)
                .await?
                .ok_or_else(|| CliError::Input("no such user".into()))?;
            let password = read_password()?;
            let hash = folio_web::auth::hash_password(&password)
                .map_err(|e| CliError::Input(e.to_string()))?;
            users::update_password(&db, found.id, &hash, None).await?;
            println!("password changed for {email}; their sessions were ended");
        }
        UserCommand::List => {
            for u in users::list_users(&db).await? {
                println!(
                    "{}\t{}\t{}\t{}",
                    u.id,
                    u.email,
                    u.role.label(),
                    u.base_currency
                );
            }
        }
    }
    db.close().await;
    Ok(ExitCode::SUCCESS)
}

/// Reads a new password: at a terminal it is prompted twice without echo; otherwise one
/// line is read from stdin (for scripts: `printf '%s\n' "$PW" | folio user add ...`).
fn read_password() -> Result<Password, CliError> {
    let stdin = std::io::stdin();
    let line = if stdin.is_terminal() {
        let prompt = format!("Password (at least {} characters): ", Password::MIN_CHARS);
        let first = rpassword::prompt_password(prompt)?;
        let again = rpassword::prompt_password("Repeat the password: ")?;
        if first != again {
            return Err(CliError::Input("the two passwords differ".into()));
        }
        first
    } else {
        let mut line = String::new();
        stdin.lock().read_line(&mut line)?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    };
    Password::parse(&line).map_err(|e| CliError::Input(e.to_string()))
}
