//! External links: collected from every document's scan and checked (with `check --external`)
//! by lychee-lib, with timeouts, retries, a concurrency limit, accepted status codes and an
//! exclude list from book.toml. Good results are cached on disk so a second run within
//! `[check] cache-max-age` does not ask the network again.

use std::ops::Range;

use super::Manual;
use crate::cache::Store;
use crate::config::CheckConfig;
use crate::diagnostic::Diagnostic;
use crate::error::Result;
use crate::markdown::Target;

/// One external link in one document.
#[derive(Debug, Clone)]
pub struct ExternalLink {
    pub url: String,
    pub entry: usize,
    pub span: Range<usize>,
}

/// Every http(s) link of every document, in document order.
pub fn collect(manual: &Manual) -> Vec<ExternalLink> {
    let mut out = Vec::new();
    for (i, e) in manual.entries.iter().enumerate() {
        for l in &e.scan.links {
            if let Target::External(url) = &l.target
                && (url.starts_with("http://") || url.starts_with("https://"))
            {
                out.push(ExternalLink {
                    url: url.clone(),
                    entry: i,
                    span: l.span.clone(),
                });
            }
        }
    }
    out
}

/// `1d`, `12h`, `30m`, `90s` or plain seconds.
pub fn parse_age(s: &str) -> Option<u64> {
    let s = s.trim();
    let (num, mult) = match s.chars().last()? {
        'd' => (&s[..s.len() - 1], 86_400),
        'h' => (&s[..s.len() - 1], 3_600),
        'm' => (&s[..s.len() - 1], 60),
        's' => (&s[..s.len() - 1], 1),
        _ => (s, 1),
    };
    num.trim().parse::<u64>().ok().map(|n| n * mult)
}

#[cfg(feature = "external-links")]
fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Checks each URL with lychee, at most `max-concurrency` at a time: the URL and `Ok` or why it
/// failed.
#[cfg(feature = "external-links")]
fn check_urls(
    cfg: &CheckConfig,
    to_check: Vec<String>,
) -> Result<Vec<(String, std::result::Result<(), String>)>> {
    use std::collections::HashSet;
    use std::sync::Arc;
    use std::time::Duration;

    use crate::error::Error;

    let accepted: HashSet<http::StatusCode> = cfg
        .accept
        .iter()
        .filter_map(|c| http::StatusCode::from_u16(*c).ok())
        .collect();
    let client = lychee_lib::ClientBuilder::builder()
        .timeout(Duration::from_secs(cfg.timeout.max(1)))
        .max_retries(u64::from(cfg.retries))
        .retry_wait_time(Duration::from_millis(200))
        .accepted(accepted)
        .include_mail(false)
        .build()
        .client()
        .map_err(|e| Error::Usage(format!("cannot start the link checker: {e}")))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::Usage(format!("cannot start the link checker: {e}")))?;
    let limit = Arc::new(tokio::sync::Semaphore::new(cfg.max_concurrency.max(1)));
    let client = Arc::new(client);
    Ok(runtime.block_on(async {
        let mut tasks = Vec::with_capacity(to_check.len());
        for url in to_check {
            let client = client.clone();
            let limit = limit.clone();
            tasks.push(tokio::spawn(async move {
                let _permit = limit.acquire_owned().await;
                let outcome = match client.check(url.as_str()).await {
                    Ok(response) => {
                        let status = response.status();
                        if status.is_success() || status.is_excluded() {
                            Ok(())
                        } else {
                            Err(status.to_string())
                        }
                    }
                    Err(e) => Err(e.to_string()),
                };
                (url, outcome)
            }));
        }
        let mut out = Vec::with_capacity(tasks.len());
        for t in tasks {
            if let Ok(r) = t.await {
                out.push(r);
            }
        }
        out
    }))
}

/// Checks the links; every failure becomes an error at each place the link is written.
#[cfg(feature = "external-links")]
pub fn check(
    cfg: &CheckConfig,
    cache: Store,
    manual: &Manual,
    links: &[ExternalLink],
) -> Result<Vec<Diagnostic>> {
    use std::collections::BTreeMap;

    use crate::error::Error;

    let max_age = parse_age(&cfg.cache_max_age).unwrap_or(86_400);
    let excludes: Vec<regex::Regex> = cfg
        .exclude
        .iter()
        .map(|p| {
            regex::Regex::new(p).map_err(|e| {
                Error::Usage(format!(
                    "[check] exclude pattern `{p}` is not a valid regular expression: {e}"
                ))
            })
        })
        .collect::<Result<_>>()?;
    let t = now();
    let mut unique: BTreeMap<&str, Vec<&ExternalLink>> = BTreeMap::new();
    for l in links {
        unique.entry(l.url.as_str()).or_default().push(l);
    }
    let mut to_check: Vec<String> = Vec::new();
    for url in unique.keys() {
        if excludes.iter().any(|r| r.is_match(url)) {
            continue;
        }
        let key = crate::cache::key(&[url.as_bytes()]);
        let fresh = cache
            .get(&key)
            .and_then(|v| String::from_utf8(v).ok())
            .and_then(|v| v.parse::<u64>().ok())
            .is_some_and(|checked| t.saturating_sub(checked) < max_age);
        if fresh {
            continue;
        }
        to_check.push(url.to_string());
    }

    let results = check_urls(cfg, to_check)?;

    let mut diags = Vec::new();
    for (url, outcome) in results {
        match outcome {
            Ok(()) => cache.put(
                crate::cache::key(&[url.as_bytes()]),
                t.to_string().into_bytes(),
            ),
            Err(why) => {
                for l in unique.get(url.as_str()).into_iter().flatten() {
                    let e = &manual.entries[l.entry];
                    diags.push(
                        Diagnostic::error("AIMS-E080", format!("external link `{url}` failed: {why}"))
                            .at(&e.src.display, &e.src.text, l.span.clone())
                            .help("fix or remove the link; add a pattern to `[check] exclude` for links that cannot be checked"),
                    );
                }
            }
        }
    }
    // Keep the still-fresh entries that were not checked this time.
    for url in unique.keys() {
        let key = crate::cache::key(&[url.as_bytes()]);
        if let Some(v) = cache.get(&key) {
            cache.put(key, v);
        }
    }
    cache.save();
    Ok(diags)
}

/// Without the `external-links` feature: say once that nothing was checked.
#[cfg(not(feature = "external-links"))]
pub fn check(
    _cfg: &CheckConfig,
    _cache: Store,
    _manual: &Manual,
    links: &[ExternalLink],
) -> Result<Vec<Diagnostic>> {
    Ok(vec![Diagnostic::warning(
        "AIMS-W081",
        format!(
            "{} external link(s) not checked: this aims-site was built without the `external-links` feature",
            links.len()
        ),
    )])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages() {
        assert_eq!(parse_age("1d"), Some(86_400));
        assert_eq!(parse_age("12h"), Some(43_200));
        assert_eq!(parse_age("90"), Some(90));
        assert_eq!(parse_age("soon"), None);
    }
}
