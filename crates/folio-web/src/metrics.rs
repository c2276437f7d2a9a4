//! HTTP counters for `/metrics`; the database budget's own metrics come from `folio-db`.

use std::sync::atomic::{AtomicU64, Ordering};

/// Responses by status class.
#[derive(Debug, Default)]
pub(crate) struct HttpMetrics {
    by_class: [AtomicU64; 5],
}

impl HttpMetrics {
    /// Counts one response.
    pub(crate) fn record(&self, status: u16) {
        let class = usize::from(status / 100).clamp(1, 5) - 1;
        self.by_class[class].fetch_add(1, Ordering::Relaxed);
    }

    /// Prometheus text for the counters.
    pub(crate) fn render(&self) -> String {
        let mut out = String::from(
            "# HELP folio_http_responses_total HTTP responses by status class.\n# TYPE folio_http_responses_total counter\n",
        );
        for (i, c) in self.by_class.iter().enumerate() {
            out.push_str(&format!(
                "folio_http_responses_total{{class=\"{}xx\"}} {}\n",
                i + 1,
                c.load(Ordering::Relaxed)
            ));
        }
        out
    }
}
