//! Folio's configuration: one typed struct from flags and environment, validated at
//! start-up. Secrets (the database URL) are redacted in `Debug` and logs.

mod db_flags;

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use secrecy::{ExposeSecret, SecretString};

pub use db_flags::DbFlags;

/// Folio: a self-hosted, multi-user investment dashboard.
#[derive(Debug, Parser)]
#[command(name = "folio", version, about, long_about = None)]
pub struct Cli {
    /// Settings shared by every subcommand.
    #[command(flatten)]
    pub common: Common,

    /// Web server settings (used by `serve`, the default).
    #[command(flatten)]
    pub serve: ServeArgs,

    /// What to do; `serve` when omitted.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Settings every subcommand needs: where the data is and how to reach it.
#[derive(Debug, Clone, Args)]
pub struct Common {
    /// Database URL: sqlite://path, mysql://user:pass@host/db, mariadb://..., postgres://...
    /// Falls back to DATABASE_URL, then to a SQLite file in --data-dir.
    #[arg(
        long,
        env = "FOLIO_DATABASE_URL",
        global = true,
        hide_env_values = true
    )]
    pub database_url: Option<SecretString>,

    /// Directory for the default SQLite database.
    #[arg(
        long,
        env = "FOLIO_DATA_DIR",
        default_value = "./folio-data",
        global = true
    )]
    pub data_dir: PathBuf,

    /// Log filter, e.g. `info` or `folio_web=debug,info`.
    #[arg(long, env = "FOLIO_LOG", default_value = "info", global = true)]
    pub log: String,

    /// Database connection budget.
    #[command(flatten)]
    pub db: DbFlags,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Check the database connection and print the limits Folio would work within.
    Doctor,
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
    /// Create (once) the demo user with a synthetic six-year portfolio, print its login
    /// and exit. Its password is fixed and published: use it only to try Folio.
    Demo,
    /// Write every user's data (password hashes included, sessions excluded) to one file.
    Backup {
        /// File to write; standard output when omitted.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Write one user's data as Folio JSON (lossless) or Folio CSV (activities).
    Export {
        /// The user's login email.
        #[arg(long)]
        user: String,
        /// `json` or `csv`.
        #[arg(long, default_value = "json", value_parser = ["json", "csv"])]
        format: String,
        /// File to write; standard output when omitted.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Import a file for a user: prints the preview, then writes all rows or none.
    Import {
        /// The file (Folio CSV/JSON, Ghostfolio CSV/JSON, Wealthfolio CSV, any CSV).
        file: PathBuf,
        /// The user's login email.
        #[arg(long)]
        user: String,
        /// auto, folio, ghostfolio, wealthfolio or mapping:NAME (a saved mapping).
        #[arg(long, default_value = "auto")]
        format: String,
        /// Print the preview (the first 2,000 rows, every error) and write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Load a backup into an empty database (any backend), all or nothing.
    Restore {
        /// Backup file written by `folio backup` (`-` for standard input).
        file: PathBuf,
    },
}

/// Web server settings.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(
        long,
        env = "FOLIO_LISTEN",
        global = true,
        default_value = "127.0.0.1:8080"
    )]
    pub listen: SocketAddr,

    /// Allow new users to register themselves (the first user can always register).
    #[arg(long, env = "FOLIO_REGISTRATION", global = true, default_value = "open", value_parser = ["open", "closed"])]
    pub registration: String,

    /// Public URL of this instance; an https:// URL marks cookies Secure.
    #[arg(long, env = "FOLIO_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,

    /// Take the client address from X-Forwarded-For (the entry your proxy appended, the
    /// rightmost); only behind a reverse proxy you run.
    #[arg(
        long,
        env = "FOLIO_TRUST_PROXY",
        global = true,
        default_value_t = false
    )]
    pub trust_proxy: bool,

    /// Sign-ups accepted per client address per 15 minutes; 0 disables the limit (load
    /// tests from one address).
    #[arg(long, env = "FOLIO_SIGNUP_LIMIT", global = true, default_value_t = 20)]
    pub signup_limit: u32,

    /// Before serving, create (once) the demo user `demo@folio.example` with a synthetic
    /// six-year portfolio and print its login. The password is fixed and published:
    /// use this only to try Folio, never on an instance with real users.
    #[arg(long, env = "FOLIO_DEMO", global = true, default_value_t = false)]
    pub demo: bool,

    /// Largest file, in bytes of text, the web import accepts (bigger: 413; use `folio import`).
    #[arg(long, env = "FOLIO_IMPORT_MAX_BYTES", global = true, default_value_t = 16 * 1024 * 1024)]
    pub import_max_bytes: usize,

    /// Most data rows one web import may have (more: 413; use `folio import`).
    #[arg(
        long,
        env = "FOLIO_IMPORT_MAX_ROWS",
        global = true,
        default_value_t = 100_000
    )]
    pub import_max_rows: u64,

    /// Web imports (previews and confirms) processed at once; more wait in line, and one
    /// that waits over 30 seconds gets a 503 page. Bounds the memory imports take.
    #[arg(long, env = "FOLIO_IMPORT_CONCURRENCY", global = true, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=64))]
    pub import_concurrency: u32,

    /// Days a login session lasts.
    #[arg(long, env = "FOLIO_SESSION_DAYS", global = true, default_value_t = 14, value_parser = clap::value_parser!(u32).range(1..=365))]
    pub session_days: u32,

    /// Users whose computed portfolios are kept in memory (least recently used leave
    /// first); a 10,000-activity portfolio takes a few MB. 0 disables the cache.
    #[arg(
        long,
        env = "FOLIO_PORTFOLIO_CACHE_USERS",
        global = true,
        default_value_t = 256
    )]
    pub portfolio_cache_users: usize,
}

/// `folio user ...`
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user; the password is read from stdin (or prompted).
    Add {
        /// Login email.
        #[arg(long)]
        email: String,
        /// Make the user an administrator.
        #[arg(long)]
        admin: bool,
        /// Base currency for totals.
        #[arg(long, default_value = "USD")]
        currency: String,
    },
    /// Set a user's password (read from stdin or prompted); ends their sessions.
    Passwd {
        /// Login email.
        #[arg(long)]
        email: String,
    },
    /// List users.
    List,
}

/// Why the configuration was refused.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The database settings are invalid.
    #[error("invalid database configuration: {0}")]
    Db(#[from] folio_db::DbConfigError),
    /// The public URL is not http(s).
    #[error("--public-url must start with http:// or https://")]
    PublicUrl,
    /// The data directory cannot be created.
    #[error("cannot create data directory {0}: {1}")]
    DataDir(PathBuf, std::io::Error),
}

impl Common {
    /// The effective database configuration, validated. Creates the data directory
    /// when the default SQLite file is used.
    pub fn db_config(&self) -> Result<folio_db::DbConfig, ConfigError> {
        let url = match (&self.database_url, std::env::var("DATABASE_URL")) {
            (Some(url), _) if !url.expose_secret().is_empty() => url.clone(),
            (_, Ok(url)) if !url.is_empty() => SecretString::from(url),
            _ => {
                std::fs::create_dir_all(&self.data_dir)
                    .map_err(|e| ConfigError::DataDir(self.data_dir.clone(), e))?;
                SecretString::from(format!(
                    "sqlite://{}",
                    self.data_dir.join("folio.db").display()
                ))
            }
        };
        let cfg = self.db.to_db_config(url);
        cfg.validate()?;
        Ok(cfg)
    }
}

impl ServeArgs {
    /// The web layer's settings, validated.
    pub fn web_config(&self) -> Result<folio_web::WebConfig, ConfigError> {
        let secure_cookies = match &self.public_url {
            Some(u) if u.starts_with("https://") => true,
            Some(u) if u.starts_with("http://") => false,
            Some(_) => return Err(ConfigError::PublicUrl),
            None => false,
        };
        Ok(folio_web::WebConfig {
            registration_open: self.registration == "open",
            secure_cookies,
            trust_proxy: self.trust_proxy,
            session_ttl: std::time::Duration::from_secs(u64::from(self.session_days) * 86_400),
            signups_per_address: self.signup_limit,
            import_max_bytes: self.import_max_bytes,
            import_max_rows: self.import_max_rows,
            import_concurrency: usize::try_from(self.import_concurrency).unwrap_or(1),
            portfolio_cache_users: self.portfolio_cache_users,
            ..folio_web::WebConfig::default()
        })
    }
}
