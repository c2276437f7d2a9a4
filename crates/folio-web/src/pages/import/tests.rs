//! The limit on imports processed at once.
use super::*;
use folio_db::{Db, DbConfig};
use secrecy::SecretString;

fn state(places: usize) -> AppState {
    // Lazy: the test never touches the database, so the file is never created.
    let path = std::env::temp_dir().join("folio-import-places-never-opened.db");
    let url = format!("sqlite://{}", path.display());
    let db = Db::connect_lazy(&DbConfig::new(SecretString::from(url)))
        .expect("a SQLite file URL is a valid configuration");
    let web = crate::WebConfig {
        import_concurrency: places,
        import_wait: std::time::Duration::from_millis(20),
        ..crate::WebConfig::default()
    };
    AppState::new(db, web)
}

#[tokio::test]
async fn imports_beyond_the_limit_wait_then_are_turned_away_and_a_freed_place_is_taken() {
    let state = state(2);
    let first = import_place(&state).await;
    let second = import_place(&state).await;
    assert!(first.is_some() && second.is_some(), "two places");
    assert!(
        import_place(&state).await.is_none(),
        "a third waits, then gives up"
    );
    drop(first);
    assert!(
        import_place(&state).await.is_some(),
        "a freed place is taken"
    );
    let waiting = tokio::spawn({
        let state = state.clone();
        async move { import_place(&state).await.is_some() }
    });
    tokio::task::yield_now().await;
    drop(second);
    assert!(
        waiting.await.unwrap_or(false),
        "one waiting in line gets the place"
    );
}
