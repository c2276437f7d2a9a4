//! `folio export` and `folio import`: one user's data out as Folio JSON or CSV, and a
//! file in with the same preview as the web flow (rows, errors with line and column,
//! duplicates, new accounts and assets, totals), all or nothing.

use std::io::{IsTerminal, Write};
use std::path::Path;

use folio_core::Email;
use folio_core::import::{ParseOptions, parse_with_progress};
use folio_db::Db;
use folio_db::models::User;
use folio_db::repo::users;
use folio_web::import::{
    ExportFormat, Importer, apply, choose_format, export as export_as, preview, render_text,
};

use super::CliError;
use super::progress::Progress;

async fn find_user(db: &Db, email: &str) -> Result<User, CliError> {
    let email = Email::parse(email).map_err(|e| CliError::Input(format!("--user: {e}")))?;
    users::find_user_by_email(db, &email)
        .await?
        .ok_or_else(|| CliError::Input(format!("no user {email}")))
}

/// Writes the user's data to `output` (standard output when `None`).
pub async fn export(
    db: &Db,
    email: &str,
    format: &str,
    output: Option<&Path>,
) -> Result<(), CliError> {
    let format = ExportFormat::parse(format)
        .ok_or_else(|| CliError::Input(format!("--format {format}: use json or csv")))?;
    let user = find_user(db, email).await?;
    let text = export_as(db, user.id, format).await?;
    match output {
        Some(path) => std::fs::write(path, text)?,
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
    }
    Ok(())
}

/// Previews `file` for the user and, unless `dry_run` or the preview has errors, writes
/// it in one transaction. Returns whether it was clean.
pub async fn import(
    db: &Db,
    file: &Path,
    email: &str,
    format: &str,
    dry_run: bool,
) -> Result<bool, CliError> {
    let user = find_user(db, email).await?;
    let bytes = std::fs::read(file)
        .map_err(|e| CliError::Input(format!("cannot read {}: {e}", file.display())))?;
    let format = choose_format(db, user.id, format, &bytes)
        .await
        .map_err(|e| CliError::Input(e.to_string()))?;
    let progress = Progress::new(&bytes, std::io::stderr().is_terminal());
    let parsed = parse_with_progress(&bytes, &format, &ParseOptions::default(), &mut |n| {
        progress.update(n);
    });
    progress.finish(parsed.rows_seen);
    drop(bytes);
    let who = Importer {
        user: user.id,
        base_currency: user.base_currency.clone(),
        settings: user.settings.clone(),
    };
    let p = preview(db, &who, parsed).await.map_err(|e| match e {
        folio_web::import::ImportError::Db(e) => CliError::Db(e),
        e => CliError::Input(e.to_string()),
    })?;
    print!("{}", render_text(&p, dry_run));
    if !p.is_clean() {
        println!("nothing was imported: fix the errors above and run again");
        return Ok(false);
    }
    if dry_run {
        println!("dry run: nothing was written");
        return Ok(true);
    }
    eprintln!("writing {} activities in one transaction…", p.new_rows());
    let out = apply(db, &who, &p)
        .await
        .map_err(|e| CliError::Input(e.to_string()))?;
    println!(
        "imported {} activities ({} new accounts, {} new assets) for {}",
        out.activities,
        out.accounts.len(),
        out.assets.len(),
        user.email
    );
    Ok(true)
}
