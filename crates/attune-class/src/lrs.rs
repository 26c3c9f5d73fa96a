//! A small client for any xAPI 1.0.3 Learning Record Store: sends statements in batches with
//! retries and backoff, and reads them back page by page (`more` links).
//!
//! Sending is idempotent: statement ids are derived from the run and decision (see
//! [`crate::xapi::statement_id`]), and an LRS stores one statement per id, so a batch sent twice
//! (after a lost acknowledgement, or a second `attune lrs push`) leaves one copy. A [`Ledger`]
//! records only the ids whose batch the LRS acknowledged.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use attune_core::results::RunResult;
use serde_json::Value;

use crate::xapi::XAPI_VERSION;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub user: String,
    pub password: String,
}

impl Credentials {
    /// `user` with the password on the first line of `file` (passwords are never typed on a
    /// command line or kept in a settings file). Err says what is wrong, naming the file.
    pub fn from_password_file(user: &str, file: &Path) -> Result<Credentials, String> {
        let bytes = attune_core::files::read_limited(file, 64 * 1024)
            .map_err(|err| format!("cannot read the password file {}: {err}", file.display()))?;
        let text = String::from_utf8_lossy(&bytes);
        let password = text
            .lines()
            .next()
            .unwrap_or_default()
            .trim_end()
            .to_owned();
        if password.is_empty() {
            return Err(format!("the password file {} is empty", file.display()));
        }
        Ok(Credentials {
            user: user.to_owned(),
            password,
        })
    }
}

/// Why talking to the LRS failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LrsError {
    pub message: String,
}

impl std::fmt::Display for LrsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for LrsError {}

fn error(message: impl Into<String>) -> LrsError {
    LrsError {
        message: message.into(),
    }
}

pub struct Client {
    /// Ends in `/`, e.g. `http://127.0.0.1:8100/xAPI/`.
    endpoint: String,
    authorization: Option<String>,
    agent: ureq::Agent,
    retries: u32,
    first_backoff: Duration,
    batch: usize,
    page: usize,
}

/// What a push did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pushed {
    /// Statements the LRS acknowledged in this push (new to it or already held).
    pub acknowledged: usize,
    /// Statements left out because the ledger says they were acknowledged before.
    pub already_sent: usize,
}

impl Client {
    pub fn new(endpoint: &str, credentials: Option<Credentials>) -> Client {
        use base64::Engine as _;
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(60)))
            .http_status_as_error(false)
            .build()
            .into();
        Client {
            endpoint: format!("{}/", endpoint.trim_end_matches('/')),
            authorization: credentials.map(|c| {
                let token = base64::engine::general_purpose::STANDARD
                    .encode(format!("{}:{}", c.user, c.password));
                format!("Basic {token}")
            }),
            agent,
            retries: 5,
            first_backoff: Duration::from_millis(500),
            batch: 500,
            page: 500,
        }
    }

    /// How often a failed request is tried again, and the first wait (doubled each time).
    pub fn with_retries(mut self, retries: u32, first_backoff: Duration) -> Client {
        self.retries = retries;
        self.first_backoff = first_backoff;
        self
    }

    /// Statements per request.
    pub fn with_batch(mut self, batch: usize) -> Client {
        self.batch = batch.max(1);
        self
    }

    /// Statements asked for per page when reading (the LRS may send fewer).
    pub fn with_page_size(mut self, page: usize) -> Client {
        self.page = page.max(1);
        self
    }

    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    fn statements_url(&self) -> String {
        format!("{}statements", self.endpoint)
    }

    /// One request, tried again on connection failures, 429 and 5xx answers. Returns the
    /// status and body of the first answer that is not worth retrying.
    fn send(
        &self,
        what: &str,
        request: &dyn Fn() -> Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Result<(u16, String), LrsError> {
        let mut wait = self.first_backoff;
        let mut last = String::new();
        for attempt in 0..=self.retries {
            if attempt > 0 {
                std::thread::sleep(wait);
                wait *= 2;
            }
            match request() {
                Ok(mut response) => {
                    let status = response.status().as_u16();
                    let body = response
                        .body_mut()
                        .with_config()
                        .limit(256 * 1024 * 1024)
                        .read_to_string()
                        .unwrap_or_default();
                    if status == 429 || status >= 500 {
                        last = format!("the LRS answered {status}: {}", brief(&body));
                        continue;
                    }
                    return Ok((status, body));
                }
                Err(ureq::Error::Io(err)) => {
                    last = format!("cannot reach the LRS at {}: {err}", self.endpoint)
                }
                Err(err) => last = format!("{err}"),
            }
        }
        Err(error(format!(
            "{what} failed after {} tries: {last}",
            self.retries + 1
        )))
    }

    fn post(&self, body: &[u8]) -> Result<ureq::http::Response<ureq::Body>, ureq::Error> {
        let mut request = self
            .agent
            .post(&self.statements_url())
            .header("X-Experience-API-Version", XAPI_VERSION)
            .header("Content-Type", "application/json");
        if let Some(auth) = &self.authorization {
            request = request.header("Authorization", auth);
        }
        request.send(body)
    }

    fn get(&self, url: &str) -> Result<ureq::http::Response<ureq::Body>, ureq::Error> {
        let mut request = self
            .agent
            .get(url)
            .header("X-Experience-API-Version", XAPI_VERSION);
        if let Some(auth) = &self.authorization {
            request = request.header("Authorization", auth);
        }
        request.call()
    }

    /// Sends `statements` in batches, leaving out those the ledger holds. After each batch the
    /// LRS acknowledges (200 with the ids, or 204 when it held them all), the batch's ids are
    /// recorded in the ledger before the next is sent; a batch that fails after every retry
    /// stops the push, with the ledger holding exactly what was acknowledged.
    pub fn push(&self, statements: &[Value], ledger: &mut Ledger) -> Result<Pushed, LrsError> {
        let mut pushed = Pushed::default();
        let to_send: Vec<&Value> = statements
            .iter()
            .filter(|s| {
                let sent = s
                    .get("id")
                    .and_then(Value::as_str)
                    .is_some_and(|id| ledger.contains(id));
                pushed.already_sent += usize::from(sent);
                !sent
            })
            .collect();
        for batch in to_send.chunks(self.batch) {
            let body = serde_json::to_vec(batch).map_err(|e| error(e.to_string()))?;
            let (status, answer) = self.send("sending statements", &|| self.post(&body))?;
            match status {
                200 | 204 => {}
                401 | 403 => {
                    return Err(error(format!(
                        "the LRS refused the credentials ({status}): {}; check --user and --password-file",
                        brief(&answer)
                    )));
                }
                409 => {
                    return Err(error(format!(
                        "the LRS already holds a different statement with one of these ids (409): {}; was this run's file changed after it was sent?",
                        brief(&answer)
                    )));
                }
                _ => {
                    return Err(error(format!(
                        "the LRS did not accept the statements ({status}): {}",
                        brief(&answer)
                    )));
                }
            }
            let ids: Vec<&str> = batch
                .iter()
                .filter_map(|s| s.get("id").and_then(Value::as_str))
                .collect();
            ledger.record(&ids).map_err(|e| {
                error(format!(
                    "cannot record what was sent in {}: {e}",
                    ledger.path.display()
                ))
            })?;
            pushed.acknowledged += batch.len();
        }
        Ok(pushed)
    }

    /// Every statement the LRS returns for the credentials, following `more` links.
    pub fn fetch_statements(&self) -> Result<Vec<Value>, LrsError> {
        let mut out = Vec::new();
        let mut url = format!("{}?limit={}", self.statements_url(), self.page);
        let mut pages = 0;
        loop {
            pages += 1;
            if pages > 100_000 {
                return Err(error(
                    "the LRS kept sending `more` links; stopped after 100,000 pages",
                ));
            }
            let (status, body) = self.send("reading statements", &|| self.get(&url))?;
            if status != 200 {
                return Err(error(format!(
                    "the LRS answered {status} when asked for statements: {}",
                    brief(&body)
                )));
            }
            let page: Value = serde_json::from_str(&body)
                .map_err(|e| error(format!("the LRS sent something that is not JSON: {e}")))?;
            let statements = page
                .get("statements")
                .and_then(Value::as_array)
                .ok_or_else(|| error("the LRS answer has no `statements` list"))?;
            out.extend(statements.iter().cloned());
            match page.get("more").and_then(Value::as_str) {
                Some(more) if !more.is_empty() && !statements.is_empty() => {
                    url = self.resolve(more);
                }
                _ => break,
            }
        }
        Ok(out)
    }

    /// The runs in the LRS: the Attune results its run statements carry, once each.
    pub fn fetch_runs(&self) -> Result<Vec<RunResult>, LrsError> {
        let mut seen = HashSet::new();
        Ok(self
            .fetch_statements()?
            .iter()
            .filter_map(crate::xapi::run_of)
            .filter(|r| seen.insert((r.trainee.clone(), r.run.clone())))
            .collect())
    }

    /// A `more` link is relative to the LRS's host (xAPI 1.0.3, 2.1.3).
    fn resolve(&self, more: &str) -> String {
        if more.starts_with("http://") || more.starts_with("https://") {
            return more.to_owned();
        }
        let scheme_end = self.endpoint.find("://").map_or(0, |i| i + 3);
        let host_end = self.endpoint[scheme_end..]
            .find('/')
            .map_or(self.endpoint.len(), |i| scheme_end + i);
        format!("{}{}", &self.endpoint[..host_end], more)
    }
}

fn brief(text: &str) -> String {
    let text = attune_core::text::one_line(text.trim());
    if text.chars().count() > 300 {
        format!("{}…", text.chars().take(299).collect::<String>())
    } else if text.is_empty() {
        "(no details)".to_owned()
    } else {
        text.into_owned()
    }
}

/// The statement ids an LRS has acknowledged, one per line in a file that only grows: a line is
/// written (and flushed to disk) only after the LRS acknowledged its batch.
#[derive(Debug)]
pub struct Ledger {
    path: PathBuf,
    sent: HashSet<String>,
}

impl Ledger {
    /// The name of an endpoint's ledger file (one file per endpoint, in a folder of ledgers).
    pub fn file_name_for(endpoint: &str) -> String {
        let endpoint = format!("{}/", endpoint.trim_end_matches('/'));
        let name = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, endpoint.as_bytes());
        format!("{name}.sent")
    }

    pub fn open(path: &Path) -> std::io::Result<Ledger> {
        let sent = match std::fs::read_to_string(path) {
            // A line cut short by a crash is not an id, and is ignored.
            Ok(text) => text
                .lines()
                .filter(|l| uuid::Uuid::parse_str(l).is_ok())
                .map(str::to_owned)
                .collect(),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => HashSet::new(),
            Err(err) => return Err(err),
        };
        Ok(Ledger {
            path: path.to_path_buf(),
            sent,
        })
    }

    /// A ledger that remembers nothing (`--resend`): everything is sent again.
    pub fn empty(path: &Path) -> Ledger {
        Ledger {
            path: path.to_path_buf(),
            sent: HashSet::new(),
        }
    }

    pub fn contains(&self, id: &str) -> bool {
        self.sent.contains(id)
    }

    pub fn len(&self) -> usize {
        self.sent.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sent.is_empty()
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn record(&mut self, ids: &[&str]) -> std::io::Result<()> {
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)?;
        let mut text = String::new();
        for id in ids {
            text.push('\n');
            text.push_str(id);
        }
        text.push('\n');
        file.write_all(text.as_bytes())?;
        file.sync_data()?;
        self.sent.extend(ids.iter().map(|&s| s.to_owned()));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ledger_keeps_only_whole_ids_and_grows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.sent");
        let id = "6f1e1c9e-5a52-5d8c-9d38-0c1f2b7e9a10";
        // A crash while appending leaves a line cut short: it is not an id.
        std::fs::write(&path, format!("{id}\n6f1e1c9e-5a52\n")).unwrap();
        let mut ledger = Ledger::open(&path).unwrap();
        assert_eq!(ledger.len(), 1);
        assert!(ledger.contains(id));
        let other = "0b6f3a7e-2f1d-5c4b-8e9a-1d2c3b4a5f6e";
        ledger.record(&[other]).unwrap();
        let reopened = Ledger::open(&path).unwrap();
        assert!(reopened.contains(id) && reopened.contains(other));
        assert_eq!(reopened.len(), 2);
        assert!(
            Ledger::open(&dir.path().join("none.sent"))
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn more_links_are_resolved_against_the_lrs_host() {
        let client = Client::new("https://lrs.example.edu:8443/xAPI", None);
        assert_eq!(client.endpoint(), "https://lrs.example.edu:8443/xAPI/");
        assert_eq!(
            client.resolve("/xAPI/statements?limit=5&search_after=x"),
            "https://lrs.example.edu:8443/xAPI/statements?limit=5&search_after=x"
        );
        assert_eq!(client.resolve("http://other/more"), "http://other/more");
    }
}
