//! The column-mapping form on SQLite, MariaDB and PostgreSQL: a mapping made field by
//! field imports a German broker's CSV through `/import`, editing changes (and renames)
//! it without copies, every bad field re-renders with its reason and the input kept, a
//! pasted sample shows how its rows read, and another user's or a garbage id is a 404.

#![allow(clippy::unwrap_used)] // tests: a failed step should panic with its error

mod support;

use folio_core::ActivityType;
use folio_db::Backend;
use folio_db::repo::{activities, users};
use rust_decimal::Decimal;
use support::{Browser, TestApp, csrf_of};

const PW: &str = "correct horse battery";

/// A broker export: a preamble, `;`, day-first dates, `,` decimals, `.` thousands,
/// German type words, no account column and a totals footer.
const BROKER_CSV: &str = "Depotauszug Musterbank;;;;;;;;
Kontonummer: 12345;;;;;;;;
;;;;;;;;
Datum;Vorgang;WKN;Bezeichnung;Stück;Kurs;Betrag;Gebühr;Währung
05.03.2024;Einzahlung;;;;;10.000,00;0;EUR
06.03.2024;Kauf;ACME;Acme AG;1.000;4,50;;9,90;EUR
02.04.2024;Dividende;ACME;Acme AG;;;120,50;0;
Summe;;;;;;;;
";

/// The form's fields for [`BROKER_CSV`], with `changes` replacing or adding fields.
fn mapping_fields<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("name", "Musterbank"),
        ("header_row", "4"),
        ("skip_after_header", "0"),
        ("skip_bottom", "1"),
        ("delimiter", "semicolon"),
        ("date_format", "day_first"),
        ("decimal", ","),
        ("thousands", "."),
        ("default_currency", "EUR"),
        ("default_account", "Musterbank Depot"),
        ("default_kind", ""),
        ("col_date", "Datum"),
        ("col_kind", "Vorgang"),
        ("col_symbol", "WKN"),
        ("col_name", "Bezeichnung"),
        ("col_quantity", "Stück"),
        ("col_unit_price", "Kurs"),
        ("col_amount", "Betrag"),
        ("col_fee", "Gebühr"),
        ("col_currency", "Währung"),
        (
            "kind_values",
            "Einzahlung = DEPOSIT\nKauf = BUY\nDividende = DIVIDEND",
        ),
        ("op", "save"),
    ];
    for (k, v) in changes {
        match fields.iter_mut().find(|(name, _)| name == k) {
            Some(f) => f.1 = v,
            None => fields.push((k, v)),
        }
    }
    fields
}

/// Saves a new mapping through the form.
async fn create(b: &Browser, changes: &[(&str, &str)]) -> support::Page {
    b.submit(
        "/import/mappings/new",
        "/import/mappings",
        &mapping_fields(changes),
    )
    .await
}

/// The id of the saved mapping called `name`, from the import page's list.
async fn id_of(b: &Browser, name: &str) -> String {
    let list = b.get("/import").await.body;
    let marker = format!("\">{name}</a>");
    let end = list.find(&marker).unwrap();
    let start = list[..end].rfind("/import/mappings/").unwrap() + "/import/mappings/".len();
    list[start..end].to_owned()
}

async fn registered(app: &TestApp, email: &str) -> Browser {
    let b = app.client();
    assert_eq!(b.register(email, PW).await.status, 303);
    b
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

async fn a_mapping_made_in_the_form_imports_a_german_broker_csv(backend: Backend) {
    let Some(app) = support::spawn_app(backend).await else {
        return;
    };
    let b = registered(&app, "ann@example.com").await;
    let import = b.get("/import").await.body;
    assert!(import.contains("href=\"/import/mappings/new\""), "{import}");
    let form = b.get("/import/mappings/new").await;
    assert_eq!(form.status, 200);
    assert!(
        form.body.contains("name=\"col_unit_price\""),
        "{}",
        form.body
    );
    let saved = create(&b, &[]).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(saved.location.as_deref(), Some("/import"));
    let id = id_of(&b, "Musterbank").await;
    let edit = b.get(&format!("/import/mappings/{id}")).await.body;
    assert!(
        edit.contains("Kauf = BUY") && edit.contains("value=\"Stück\""),
        "{edit}"
    );
    assert!(
        edit.contains("id=\"mapping-json\"") && edit.contains("day_first"),
        "{edit}"
    );

    let fields = [("format", "mapping:Musterbank"), ("content", BROKER_CSV)];
    let preview = b.submit("/import", "/import", &fields).await;
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert!(
        preview.body.contains("<strong>3</strong> to import"),
        "{}",
        preview.body
    );
    let expected = preview
        .body
        .split_once("name=\"expected\" value=\"")
        .map(|(_, rest)| rest.split('"').next().unwrap().to_owned())
        .unwrap();
    let csrf = csrf_of(&preview.body);
    let confirm = [
        ("format", "mapping:Musterbank"),
        ("content", BROKER_CSV),
        ("expected", expected.as_str()),
        ("csrf", csrf.as_str()),
    ];
    let done = b.post("/import/confirm", &confirm).await;
    assert!(
        done.body
            .contains("Saved 3 activities and 1 new account(s)"),
        "{}",
        done.body
    );

    let email = folio_core::Email::parse("ann@example.com").unwrap();
    let user = users::find_user_by_email(&app.db, &email)
        .await
        .unwrap()
        .unwrap();
    let stored = activities::all_activities(&app.db, user.id).await.unwrap();
    let buy = stored
        .iter()
        .find(|a| a.data.kind == ActivityType::Buy)
        .unwrap();
    assert_eq!(buy.data.date.to_string(), "2024-03-06", "day first");
    assert_eq!(buy.data.quantity, Some(dec("1000")), "`.` groups thousands");
    assert_eq!(
        buy.data.unit_price,
        Some(dec("4.5")),
        "`,` is the decimal mark"
    );
    assert_eq!(buy.data.fee, dec("9.9"));
    let dividend = stored
        .iter()
        .find(|a| a.data.kind == ActivityType::Dividend)
        .unwrap();
    assert_eq!(dividend.data.amount, Some(dec("120.5")));
    assert_eq!(
        dividend.data.currency.as_str(),
        "EUR",
        "the default currency"
    );
    app.stop().await;
}

async fn editing_a_mapping_changes_it_and_a_rename_leaves_no_copy(backend: Backend) {
    let Some(app) = support::spawn_app(backend).await else {
        return;
    };
    let b = registered(&app, "ann@example.com").await;
    assert_eq!(create(&b, &[]).await.status, 303);
    assert_eq!(create(&b, &[("name", "Other")]).await.status, 303);
    let id = id_of(&b, "Musterbank").await;
    let page = format!("/import/mappings/{id}");
    let changes = [("name", "Musterbank neu"), ("date_format", "month_first")];
    let saved = b.submit(&page, &page, &mapping_fields(&changes)).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let list = b.get("/import").await.body;
    assert!(list.contains(">Musterbank neu</a>") && list.contains(">Other</a>"));
    assert!(
        !list.contains(">Musterbank</a>"),
        "no copy under the old name: {list}"
    );
    assert_eq!(id_of(&b, "Musterbank neu").await, id, "the same mapping");
    let edit = b.get(&page).await.body;
    assert!(
        edit.contains("<option value=\"month_first\" selected>"),
        "{edit}"
    );

    // Taking another mapping's name is refused; neither mapping changes.
    let taken = b
        .submit(&page, &page, &mapping_fields(&[("name", "Other")]))
        .await;
    assert_eq!(taken.status, 422);
    assert!(
        taken
            .body
            .contains("you already have a mapping named “Other”"),
        "{}",
        taken.body
    );
    assert!(taken.body.contains("value=\"Other\""), "input kept");
    let list = b.get("/import").await.body;
    assert_eq!(list.matches(">Other</a>").count(), 1);
    assert!(list.contains(">Musterbank neu</a>"));
    // A new mapping under a taken name does not overwrite it either.
    let again = create(&b, &[("name", "Other"), ("header_row", "9")]).await;
    assert_eq!(again.status, 422);
    let other = b
        .get(&format!("/import/mappings/{}", id_of(&b, "Other").await))
        .await;
    assert!(
        other
            .body
            .contains("name=\"header_row\" id=\"mapping-header_row\" value=\"4\"")
    );
    app.stop().await;
}

/// Changed fields, the field whose message shows, the reason, and a sign the input is kept.
type BadCase = (
    &'static [(&'static str, &'static str)],
    &'static str,
    &'static str,
    &'static str,
);

async fn bad_inputs_re_render_the_form_with_the_reason_and_the_input_kept(backend: Backend) {
    let Some(app) = support::spawn_app(backend).await else {
        return;
    };
    let b = registered(&app, "ann@example.com").await;
    let cases: [BadCase; 6] = [
        (
            &[("name", "  ")],
            "name",
            "give the mapping a name",
            "value=\"Datum\"",
        ),
        (
            &[("header_row", "abc")],
            "header_row",
            "“abc” is not a whole number",
            "value=\"abc\"",
        ),
        (
            &[("kind_values", "Kauf = BUY\nVerkauf = SELLING")],
            "kind_values",
            "line 2: “SELLING” is not a Folio activity type",
            "Kauf = BUY\nVerkauf = SELLING</textarea>",
        ),
        (
            &[("thousands", ",")],
            "thousands",
            "must differ from the decimal separator",
            "<option value=\",\" selected>Comma: 1,234,567",
        ),
        (
            &[("default_currency", "XYZ")],
            "default_currency",
            "unknown currency code",
            "value=\"XYZ\"",
        ),
        (
            &[("header_row", "0")],
            "col_date",
            "name the column by its position, e.g. #1",
            "value=\"0\"",
        ),
    ];
    for (changes, field, reason, kept) in cases {
        let page = create(&b, changes).await;
        assert_eq!(page.status, 422, "{changes:?}: {}", page.body);
        let marker = format!("data-field=\"{field}\">");
        let message = page.body.split_once(&marker).map(|(_, m)| m).unwrap_or("");
        assert!(message.contains(reason), "{changes:?}: {}", page.body);
        assert!(
            page.body.contains(kept),
            "{changes:?} keeps the input: {}",
            page.body
        );
        assert!(page.body.contains("value=\"Gebühr\""), "other fields kept");
    }
    let list = b.get("/import").await.body;
    assert!(list.contains("No saved mappings yet."), "nothing was saved");
    app.stop().await;
}

async fn a_pasted_sample_shows_how_its_rows_read_and_saves_nothing(backend: Backend) {
    let Some(app) = support::spawn_app(backend).await else {
        return;
    };
    let b = registered(&app, "ann@example.com").await;
    let tried = create(&b, &[("op", "try"), ("sample", BROKER_CSV)]).await;
    assert_eq!(tried.status, 200, "{}", tried.body);
    let body = &tried.body;
    assert!(body.contains("id=\"sample-rows\""), "{body}");
    let buy = body.split_once("<tr data-line=\"6\">").unwrap().1;
    let buy = buy.split_once("</tr>").unwrap().0;
    assert!(
        buy.contains("2024-03-06") && buy.contains("BUY") && buy.contains("1000"),
        "{buy}"
    );
    let result = body.split_once("id=\"mapping-sample-result\"").unwrap().1;
    assert!(!result.contains("Summe"), "the footer is dropped: {result}");
    assert!(result.contains("3 of 3 data row(s) read"), "{result}");
    assert!(
        body.contains(">Depotauszug Musterbank"),
        "the sample is kept in its field"
    );
    // A column name that is not in the header: the sample says which columns there are.
    let wrong = create(
        &b,
        &[("op", "try"), ("col_date", "Date"), ("sample", BROKER_CSV)],
    )
    .await;
    assert_eq!(wrong.status, 200);
    assert!(
        wrong.body.contains("no such column") && wrong.body.contains("Datum, Vorgang"),
        "{}",
        wrong.body
    );
    // A bad field is named before any sample is read; so is a sample that is a whole file.
    let bad = create(
        &b,
        &[("op", "try"), ("header_row", "x"), ("sample", BROKER_CSV)],
    )
    .await;
    assert_eq!(bad.status, 422);
    assert!(!bad.body.contains("id=\"mapping-sample-result\""));
    let big = BROKER_CSV.repeat(400);
    let too_big = create(&b, &[("op", "try"), ("sample", &big)]).await;
    assert_eq!(too_big.status, 422);
    assert!(
        too_big
            .body
            .contains("paste only the first lines of the file")
    );
    let list = b.get("/import").await.body;
    assert!(
        list.contains("No saved mappings yet."),
        "trying saves nothing"
    );
    app.stop().await;
}

async fn another_users_mapping_and_garbage_ids_are_404(backend: Backend) {
    let Some(app) = support::spawn_app(backend).await else {
        return;
    };
    let ann = registered(&app, "ann@example.com").await;
    let bob = registered(&app, "bob@example.com").await;
    assert_eq!(create(&ann, &[]).await.status, 303);
    let id = id_of(&ann, "Musterbank").await;
    let page = format!("/import/mappings/{id}");
    assert_eq!(bob.get(&page).await.status, 404);
    let hijack = bob
        .submit("/import", &page, &mapping_fields(&[("name", "Mine")]))
        .await;
    assert_eq!(hijack.status, 404);
    let bad = bob
        .submit("/import", &page, &mapping_fields(&[("header_row", "abc")]))
        .await;
    assert_eq!(bad.status, 404, "404 before the input is looked at");
    assert_eq!(
        bob.submit("/import", &format!("{page}/delete"), &[])
            .await
            .status,
        404
    );
    assert!(
        ann.get(&page).await.body.contains("value=\"Musterbank\""),
        "unchanged"
    );
    for garbage in ["abc", "99999999999999999999999", "-1", "1.5", "0"] {
        let path = format!("/import/mappings/{garbage}");
        assert_eq!(ann.get(&path).await.status, 404, "{path}");
        let fields = mapping_fields(&[]);
        assert_eq!(
            ann.submit("/import", &path, &fields).await.status,
            404,
            "{path}"
        );
        let delete = format!("{path}/delete");
        assert_eq!(
            ann.submit("/import", &delete, &[]).await.status,
            404,
            "{delete}"
        );
    }
    app.stop().await;
}

async fn posts_without_the_right_csrf_token_change_nothing(backend: Backend) {
    let Some(app) = support::spawn_app(backend).await else {
        return;
    };
    let ann = registered(&app, "ann@example.com").await;
    assert_eq!(create(&ann, &[]).await.status, 303);
    let id = id_of(&ann, "Musterbank").await;
    let page = format!("/import/mappings/{id}");
    for token in [None, Some("0000")] {
        let with = |mut fields: Vec<(&'static str, &'static str)>| {
            if let Some(t) = token {
                fields.push(("csrf", t));
            }
            fields
        };
        let forged = mapping_fields(&[("name", "Forged")]);
        let create = ann.post("/import/mappings", &with(forged.clone())).await;
        assert_eq!(create.status, 403, "create {token:?}");
        assert_eq!(ann.post(&page, &with(forged)).await.status, 403, "update");
        let delete = ann.post(&format!("{page}/delete"), &with(Vec::new())).await;
        assert_eq!(delete.status, 403, "delete {token:?}");
    }
    let list = ann.get("/import").await.body;
    assert!(list.contains(">Musterbank</a>"), "still there");
    assert!(!list.contains("Forged"), "nothing created or renamed");
    app.stop().await;
}

on_every_backend!(
    a_mapping_made_in_the_form_imports_a_german_broker_csv,
    editing_a_mapping_changes_it_and_a_rename_leaves_no_copy,
    bad_inputs_re_render_the_form_with_the_reason_and_the_input_kept,
    a_pasted_sample_shows_how_its_rows_read_and_saves_nothing,
    another_users_mapping_and_garbage_ids_are_404,
    posts_without_the_right_csrf_token_change_nothing,
);
