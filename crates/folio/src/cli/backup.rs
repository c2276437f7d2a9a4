//! `folio backup` and `folio restore`: the whole instance as one JSON-lines file.
//!
//! Format (version 1), one JSON value per line:
//! `{"format":"folio-backup","version":1,"schema":N}` first; then per table a header
//! `{"table":"users","columns":["id",...]}` followed by one array per row; last
//! `{"end":true,"rows":TOTAL}`, without which a restore refuses the file as truncated.
//! Integers are numbers, decimals are strings (exact, no trailing zeros), dates are
//! `YYYY-MM-DD`. The file holds no timestamp of its own, so backing up a restored
//! database yields the same bytes.

use std::io::{BufRead, Write};

use folio_db::Db;
use folio_db::repo::backup::{self, BackupError, Cell, Kind, Restore, TableSpec};
use serde_json::{Value, json};
use time::macros::format_description;

use super::CliError;

/// The file format's version.
const FORMAT_VERSION: u64 = 1;
/// Rows per read query and per restore batch.
const BATCH: u64 = 1000;

impl From<BackupError> for CliError {
    fn from(e: BackupError) -> Self {
        CliError::Input(e.to_string())
    }
}

fn io(e: std::io::Error) -> CliError {
    CliError::Io(e)
}

/// Writes every backed-up table to `out`; returns the number of rows.
pub async fn write_backup(db: &Db, out: &mut dyn Write) -> Result<u64, CliError> {
    let (applied, ours) = (
        backup::applied_version(db).await?,
        folio_db::schema_version(),
    );
    if applied != ours {
        return Err(CliError::Input(format!(
            "the database is at schema version {applied}, this folio expects {ours}: run `folio migrate` with the matching version first"
        )));
    }
    backup::check_schema(db).await?;
    let header = json!({"format": "folio-backup", "version": FORMAT_VERSION, "schema": ours});
    writeln!(out, "{header}").map_err(io)?;
    let mut total = 0u64;
    for spec in backup::TABLES {
        let columns: Vec<&str> = spec.columns.iter().map(|(c, _)| *c).collect();
        writeln!(out, "{}", json!({"table": spec.name, "columns": columns})).map_err(io)?;
        let mut after: Option<Vec<Cell>> = None;
        loop {
            let rows = backup::read_batch(db, spec, after.as_deref(), BATCH).await?;
            for row in &rows {
                let cells: Vec<Value> = row.iter().map(to_json).collect();
                writeln!(out, "{}", Value::Array(cells)).map_err(io)?;
            }
            total += u64::try_from(rows.len()).unwrap_or(0);
            match rows.last() {
                Some(last) if u64::try_from(rows.len()).unwrap_or(0) == BATCH => {
                    after = Some(backup::key_of(spec, last));
                }
                _ => break,
            }
        }
    }
    writeln!(out, "{}", json!({"end": true, "rows": total})).map_err(io)?;
    out.flush().map_err(io)?;
    Ok(total)
}

fn to_json(cell: &Cell) -> Value {
    match cell {
        Cell::Null => Value::Null,
        Cell::Int(i) => json!(i),
        Cell::Text(s) => json!(s),
        Cell::Bool(b) => json!(b),
        Cell::Decimal(d) => json!(d.normalize().to_string()),
        Cell::Date(d) => json!(d.to_string()),
    }
}

fn from_json(kind: Kind, v: &Value) -> Result<Cell, String> {
    let bad = || format!("{v} is not a valid {kind:?} value");
    Ok(match (kind, v) {
        (_, Value::Null) => Cell::Null,
        (Kind::Int, Value::Number(n)) => Cell::Int(n.as_i64().ok_or_else(bad)?),
        (Kind::Text, Value::String(s)) => Cell::Text(s.clone()),
        (Kind::Bool, Value::Bool(b)) => Cell::Bool(*b),
        (Kind::Decimal, Value::String(s)) => Cell::Decimal(s.parse().map_err(|_| bad())?),
        (Kind::Date, Value::String(s)) => {
            let f = format_description!("[year]-[month]-[day]");
            Cell::Date(time::Date::parse(s, f).map_err(|_| bad())?)
        }
        _ => return Err(bad()),
    })
}

/// The table being read and the rows waiting to be inserted.
struct Section {
    spec: &'static TableSpec,
    columns: Vec<String>,
    kinds: Vec<Kind>,
    pending: Vec<Vec<Cell>>,
}

impl Section {
    fn open(v: &Value) -> Result<Self, String> {
        let name = v["table"].as_str().unwrap_or_default();
        let spec = backup::table(name).ok_or_else(|| format!("unknown table {name:?}"))?;
        let columns: Vec<String> = v["columns"]
            .as_array()
            .ok_or("a table header without columns")?
            .iter()
            .map(|c| {
                c.as_str()
                    .map(str::to_owned)
                    .ok_or("a column name is not text")
            })
            .collect::<Result<_, _>>()?;
        let kinds = columns
            .iter()
            .map(|c| {
                spec.kind(c)
                    .ok_or_else(|| format!("unknown column {name}.{c}"))
            })
            .collect::<Result<_, _>>()?;
        Ok(Self {
            spec,
            columns,
            kinds,
            pending: Vec::new(),
        })
    }

    fn row(&self, v: &Value) -> Result<Vec<Cell>, String> {
        let cells = v.as_array().ok_or("expected a row (a JSON array)")?;
        if cells.len() != self.kinds.len() {
            return Err(format!(
                "{} values for {} columns",
                cells.len(),
                self.kinds.len()
            ));
        }
        self.kinds
            .iter()
            .zip(cells)
            .map(|(k, c)| from_json(*k, c))
            .collect()
    }

    async fn flush(&mut self, restore: &mut Restore) -> Result<(), BackupError> {
        let rows = std::mem::take(&mut self.pending);
        restore.insert(self.spec, &self.columns, rows).await
    }
}

/// Loads a backup into the (empty) database behind `db` in one transaction.
pub async fn read_backup(db: &Db, input: &mut dyn BufRead) -> Result<u64, CliError> {
    db.migrate().await?;
    let mut restore = Restore::begin(db).await?;
    let (mut line, mut n, mut rows) = (String::new(), 0u64, 0u64);
    let mut section: Option<Section> = None;
    let mut ended = None;
    let at = |n: u64, e: String| CliError::Input(format!("line {n}: {e}; nothing was restored"));
    loop {
        line.clear();
        if input.read_line(&mut line).map_err(io)? == 0 {
            break;
        }
        n += 1;
        let v: Value = serde_json::from_str(&line).map_err(|e| at(n, format!("not JSON ({e})")))?;
        if n == 1 {
            check_header(&v).map_err(|e| at(n, e))?;
        } else if v.is_array() {
            let s = section
                .as_mut()
                .ok_or_else(|| at(n, "a row before any table header".into()))?;
            s.pending.push(s.row(&v).map_err(|e| at(n, e))?);
            rows += 1;
            if s.pending.len() >= usize::try_from(BATCH).unwrap_or(1000) {
                s.flush(&mut restore)
                    .await
                    .map_err(|e| at(n, e.to_string()))?;
            }
        } else {
            if let Some(mut s) = section.take() {
                s.flush(&mut restore)
                    .await
                    .map_err(|e| at(n, e.to_string()))?;
            }
            if v.get("end").is_some() {
                ended = v["rows"].as_u64();
                break;
            }
            section = Some(Section::open(&v).map_err(|e| at(n, e))?);
        }
    }
    match ended {
        Some(expected) if expected == rows => {}
        Some(expected) => {
            return Err(at(
                n,
                format!("the file says {expected} rows, it holds {rows}"),
            ));
        }
        None => {
            return Err(at(
                n,
                "the file ends without its end marker (truncated?)".into(),
            ));
        }
    }
    restore.finish().await?;
    Ok(rows)
}

fn check_header(v: &Value) -> Result<(), String> {
    if v["format"] != "folio-backup" {
        return Err("not a Folio backup (no folio-backup header)".into());
    }
    if v["version"].as_u64() != Some(FORMAT_VERSION) {
        return Err(format!(
            "backup format version {} is not supported",
            v["version"]
        ));
    }
    let schema = v["schema"].as_i64().unwrap_or(i64::MAX);
    if schema > folio_db::schema_version() {
        return Err(format!(
            "the backup was made at schema version {schema}, newer than this folio's {}: restore with a newer folio",
            folio_db::schema_version()
        ));
    }
    Ok(())
}
