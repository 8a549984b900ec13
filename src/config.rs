//! book.toml: a typed configuration with a default for every key. Unknown keys are warnings
//! that name the key and its file:line; syntax and type errors point at the offending value.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostic::Diagnostic;
use crate::vocab::{Classification, RecordKind};

pub mod identity;

pub const FILE_NAME: &str = "book.toml";

/// Rows per page of the long lists by default (`[build] rows-per-page`). A register row is
/// about 340 bytes of HTML and a row of the lists about 210, so a page stays near a third of a
/// megabyte: quick to load and to filter in the browser, and 50 pages for 50,000 documents.
pub const ROWS_PER_PAGE: usize = 1000;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct Config {
    pub book: BookConfig,
    pub build: BuildConfig,
    pub aims: AimsConfig,
    pub profiles: BTreeMap<String, Profile>,
    pub versions: VersionsConfig,
    pub check: CheckConfig,
    pub serve: ServeConfig,
    pub systems: SystemsConfig,
    pub print: PrintConfig,
    pub standards: StandardsConfig,
    /// `[fields.<name>]`: the organisation's own front-matter fields, read from `extra:`.
    pub fields: BTreeMap<String, FieldSpec>,
    /// `[approvers]`: each role written in `approval.by` → the identities allowed to approve
    /// for it (e-mail addresses, SSH public keys or fingerprints, GPG fingerprints).
    pub approvers: BTreeMap<String, Vec<String>>,
    pub control: ControlConfig,
}

/// How printed pages are marked (`[print]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct PrintConfig {
    /// Printed at the foot of every printed page (the site's pages and manual.pdf); empty for
    /// none.
    pub notice: String,
    /// The largest print.html written as one page, in bytes: a manual whose print would be
    /// larger is printed in parts (an index page, a page per part, a page of appendices).
    pub part_size: usize,
}

impl Default for PrintConfig {
    fn default() -> Self {
        PrintConfig {
            notice: "Uncontrolled when printed".into(),
            part_size: 5_000_000,
        }
    }
}

/// A custom field declared in book.toml: its type, and for `one-of` the accepted values.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct FieldSpec {
    #[serde(rename = "type")]
    pub kind: FieldKind,
    /// For `one-of`: the accepted values.
    #[serde(default)]
    pub values: Vec<String>,
    /// How the control block names it (default: the field's name).
    #[serde(default)]
    pub label: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FieldKind {
    String,
    Date,
    List,
    OneOf,
}

/// How much evidence an approval commit must carry (`[control] approval-evidence`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ApprovalEvidence {
    /// Nothing is read beyond the approval fields (the default).
    #[default]
    None,
    /// An `Approved-by:` trailer (or the author) of an identity allowed for the role.
    Trailer,
    /// The trailer, and a valid signature by an identity allowed for the role.
    Signed,
}

/// `[control]`: what the document-control checks ask of the Git history.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct ControlConfig {
    pub approval_evidence: ApprovalEvidence,
    /// The allowed-signers file Git verifies SSH signatures with (relative to the root).
    pub allowed_signers: Option<String>,
    /// Commits with the trailer `Change-type: editorial` that edit only the body of an approved
    /// document do not count as changes since approval.
    pub editorial_changes: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct BookConfig {
    pub title: String,
    pub organisation: String,
    pub description: String,
    pub language: String,
    pub authors: Vec<String>,
    /// Path (relative to the root) of a logo image copied into the site.
    pub logo: Option<String>,
    /// CSS colour used as the theme's accent.
    pub accent_color: Option<String>,
    /// Where staff confirm they have read a document (a form, a ticket): a URL template with
    /// `{id}`, `{version}` and `{title}`, shown as a button on documents for all staff.
    pub ack_url: Option<String>,
    /// Where a document's source is edited: a URL template with `{path}` (from the project
    /// root) and `{id}`, shown as "Edit this page".
    pub edit_url_template: Option<String>,
}

impl Default for BookConfig {
    fn default() -> Self {
        BookConfig {
            title: "AI Management System".into(),
            organisation: String::new(),
            description: String::new(),
            language: "en".into(),
            authors: Vec::new(),
            logo: None,
            accent_color: None,
            ack_url: None,
            edit_url_template: None,
        }
    }
}

/// What happens to raw HTML written inside Markdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum RawHtml {
    /// Shown as text.
    Escape,
    /// Kept, but cleaned to a safe allowlist of tags and attributes.
    #[default]
    Sanitize,
    /// Passed through unchanged (only for trusted repositories).
    Allow,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct BuildConfig {
    pub content_dir: PathBuf,
    pub output_dir: PathBuf,
    pub theme: String,
    pub default_classification: Classification,
    pub raw_html: RawHtml,
    /// The profile used when `--profile` is not given (none: every classification).
    pub profile: Option<String>,
    /// Largest document accepted, in bytes.
    pub max_file_size: u64,
    /// Folders of the content folder whose files are always published; any other asset is
    /// published only when a published document links to it.
    pub public_assets: Vec<String>,
    /// Extensions of files a browser would run (`svg`, `html`…) that may be published all the
    /// same; none by default.
    pub active_assets: Vec<String>,
    /// Rows per page of the long lists (the register, the lists of documents, reviews, owners,
    /// each clause's documents): a longer list continues on `register-2.html`, … with a pager.
    pub rows_per_page: usize,
}

impl Default for BuildConfig {
    fn default() -> Self {
        BuildConfig {
            content_dir: "content".into(),
            output_dir: "public".into(),
            theme: "default".into(),
            default_classification: Classification::Internal,
            raw_html: RawHtml::default(),
            profile: None,
            max_file_size: 4 * 1024 * 1024,
            public_assets: Vec::new(),
            active_assets: Vec::new(),
            rows_per_page: ROWS_PER_PAGE,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct AimsConfig {
    pub standard: String,
    pub scope_document: Option<String>,
    pub review_warning_days: u32,
    pub default_review_cycle: Option<String>,
}

impl Default for AimsConfig {
    fn default() -> Self {
        AimsConfig {
            standard: "ISO/IEC 42001:2023".into(),
            scope_document: None,
            review_warning_days: 30,
            default_review_cycle: None,
        }
    }
}

/// `[standards]`: the catalogs a manual maps its documents to besides ISO/IEC 42001.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct StandardsConfig {
    pub iso42001: bool,
    pub iso27001: bool,
    pub iso27701: bool,
    pub iso9001: bool,
    pub eu_ai_act: bool,
    /// Catalog files the organisation keeps in the repository (paths from the project root):
    /// another standard or control set, or organisation-defined controls (`extends`).
    pub catalogs: Vec<String>,
    /// Crosswalk files (paths from the project root): pairs of ids between ISO/IEC 42001 and
    /// another enabled catalog, the organisation's judgement.
    pub crosswalks: Vec<String>,
}

impl Default for StandardsConfig {
    fn default() -> Self {
        StandardsConfig {
            iso42001: true,
            iso27001: false,
            iso27701: false,
            iso9001: false,
            eu_ai_act: false,
            catalogs: Vec::new(),
            crosswalks: Vec::new(),
        }
    }
}

impl StandardsConfig {
    /// The keys of the enabled built-in catalogs besides ISO/IEC 42001, in catalog order.
    pub fn enabled(&self) -> Vec<&'static str> {
        let on = [
            ("iso27001", self.iso27001),
            ("iso27701", self.iso27701),
            ("iso9001", self.iso9001),
            ("eu-ai-act", self.eu_ai_act),
        ];
        on.iter().filter(|(_, on)| *on).map(|(k, _)| *k).collect()
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct Profile {
    pub classifications: Vec<Classification>,
    pub description: String,
}

impl Default for Profile {
    fn default() -> Self {
        Profile {
            classifications: Classification::ALL.to_vec(),
            description: String::new(),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct VersionsConfig {
    /// Glob of Git tags published as versions, e.g. `v*`.
    pub tags: Option<String>,
    /// Named commits published as versions (`"2025 edition" = "<commit>"`): tags do not travel
    /// with a clone of a branch, commits of its history do.
    pub refs: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct CheckConfig {
    pub external: bool,
    pub timeout: u64,
    pub retries: u32,
    pub max_concurrency: usize,
    pub accept: Vec<u16>,
    pub exclude: Vec<String>,
    pub cache_max_age: String,
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig {
            external: false,
            timeout: 20,
            retries: 1,
            max_concurrency: 16,
            accept: vec![200, 204, 206],
            exclude: Vec::new(),
            cache_max_age: "1d".into(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct ServeConfig {
    pub port: u16,
    pub bind: String,
}

impl Default for ServeConfig {
    fn default() -> Self {
        ServeConfig {
            port: 3000,
            bind: "127.0.0.1".into(),
        }
    }
}

/// Which records every AI system in scope must have (`[systems]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct SystemsConfig {
    /// Record kinds every in-scope AI system needs.
    pub required: Vec<RecordKind>,
    /// Record kinds an in-scope system classified high-risk under the EU AI Act needs besides.
    pub high_risk: Vec<RecordKind>,
}

impl Default for SystemsConfig {
    fn default() -> Self {
        SystemsConfig {
            required: vec![RecordKind::RiskAssessment, RecordKind::ImpactAssessment],
            high_risk: vec![
                RecordKind::TechnicalDocumentation,
                RecordKind::Logging,
                RecordKind::HumanOversight,
                RecordKind::PostMarketMonitoring,
            ],
        }
    }
}

/// A parsed book.toml with the warnings its parsing produced.
#[derive(Debug)]
pub struct Loaded {
    pub config: Config,
    pub warnings: Vec<Diagnostic>,
}

/// Parses book.toml's text; `file` is how the file is named in diagnostics.
pub fn parse(file: &str, text: &str) -> Result<Loaded, Vec<Diagnostic>> {
    let de = match toml::de::Deserializer::parse(text) {
        Ok(de) => de,
        Err(e) => return Err(vec![toml_error(file, text, &e)]),
    };
    let mut unknown = Vec::new();
    let config: Config = match serde_ignored::deserialize(de, |path| unknown.push(path.to_string()))
    {
        Ok(c) => c,
        Err(e) => return Err(vec![toml_error(file, text, &e)]),
    };
    let mut warnings = Vec::new();
    let spans = toml::de::DeTable::parse(text).ok();
    for path in unknown {
        let span = spans
            .as_ref()
            .and_then(|t| key_span(t.get_ref(), &path))
            .unwrap_or(0..0);
        let d = Diagnostic::warning("AIMS-W002", format!("unknown key `{path}` in {FILE_NAME}"))
            .at(file, text, span)
            .help(known_keys_help(&path));
        warnings.push(d);
    }
    let mut errors = Vec::new();
    validate(
        &config,
        file,
        text,
        spans.as_ref().map(|s| s.get_ref()),
        &mut errors,
    );
    if errors.is_empty() {
        Ok(Loaded { config, warnings })
    } else {
        errors.extend(warnings);
        Err(errors)
    }
}

fn validate(
    config: &Config,
    file: &str,
    text: &str,
    table: Option<&toml::de::DeTable<'_>>,
    errors: &mut Vec<Diagnostic>,
) {
    if let Some(colour) = &config.book.accent_color {
        let ok =
            regex::Regex::new(r"^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,30}|(rgb|hsl)a?\([0-9.,%\s]+\))$")
                .is_ok_and(|r| r.is_match(colour));
        if !ok {
            let span = table
                .and_then(|t| key_span(t, "book.accent-color"))
                .unwrap_or(0..0);
            errors.push(
                Diagnostic::error(
                    "AIMS-E050",
                    format!("`accent-color` is not a CSS colour: `{colour}`"),
                )
                .at(file, text, span)
                .help("write a colour such as \"#1f5fa8\", \"teal\" or \"rgb(31, 95, 168)\""),
            );
        }
    }
    for (key, value, allowed) in [
        (
            "book.ack-url",
            &config.book.ack_url,
            &["id", "version", "title"][..],
        ),
        (
            "book.edit-url-template",
            &config.book.edit_url_template,
            &["path", "id"][..],
        ),
    ] {
        if let Some(problem) = value
            .as_deref()
            .and_then(|v| url_template_problem(v, allowed))
        {
            let span = table.and_then(|t| key_span(t, key)).unwrap_or(0..0);
            let names: Vec<String> = allowed.iter().map(|n| format!("{{{n}}}")).collect();
            errors.push(
                Diagnostic::error("AIMS-E050", format!("`{}` {problem}", &key[5..]))
                    .at(file, text, span)
                    .help(format!(
                        "write an http(s) address; it may hold {}",
                        names.join(", ")
                    )),
            );
        }
    }
    if !config.standards.iso42001 {
        let span = table
            .and_then(|t| key_span(t, "standards.iso42001"))
            .unwrap_or(0..0);
        errors.push(
            Diagnostic::error(
                "AIMS-E065",
                "ISO/IEC 42001 cannot be turned off: it is the standard of the manual",
            )
            .at(file, text, span)
            .help("remove `iso42001 = false`; `clauses`, `controls`, the SoA and readiness are ISO/IEC 42001's, other standards are added beside it"),
        );
    }
    for (name, spec) in &config.fields {
        let bad_name = !crate::vocab::is_field_name(name);
        if bad_name || (spec.kind == FieldKind::OneOf && spec.values.is_empty()) {
            let span = table
                .and_then(|t| key_span(t, &format!("fields.{name}")))
                .unwrap_or(0..0);
            let (message, help) = if bad_name {
                (
                    format!("invalid field name `{name}`"),
                    "use lower-case letters, digits and `_`, starting with a letter (e.g. risk_tier)",
                )
            } else {
                (
                    format!("field `{name}` is `one-of` but lists no values"),
                    "add `values = [\"low\", \"medium\", \"high\"]`",
                )
            };
            errors.push(
                Diagnostic::error("AIMS-E067", message)
                    .at(file, text, span)
                    .help(help),
            );
        }
    }
    for (role, identities) in &config.approvers {
        for identity in identities {
            if identity::parse_identity(identity).is_none() {
                let span = table
                    .and_then(|t| key_span(t, &format!("approvers.{role}")))
                    .unwrap_or(0..0);
                errors.push(
                    Diagnostic::error(
                        "AIMS-E090",
                        format!("`{identity}` (approver of `{role}`) is not an e-mail address, an SSH public key or fingerprint, or a GPG fingerprint"),
                    )
                    .at(file, text, span)
                    .help("write e.g. \"ana.ruiz@corvina.example\", \"ssh-ed25519 AAAAC3Nza… ana\", \"SHA256:…\" (ssh-keygen -lf) or a GPG fingerprint of 40 hex digits"),
                );
            }
        }
    }
    if let Some(cycle) = &config.aims.default_review_cycle
        && crate::vocab::ReviewCycle::parse(cycle).is_none()
    {
        let span = table
            .and_then(|t| key_span(t, "aims.default-review-cycle"))
            .unwrap_or(0..0);
        errors.push(
            Diagnostic::error("AIMS-E050", format!("invalid review cycle `{cycle}`"))
                .at(file, text, span)
                .help("write a number and a unit, e.g. `12 months`, `1 year`, `26 weeks`"),
        );
    }
}

/// The byte range of `key` (dotted, e.g. `book.logo`) in book.toml's text, for diagnostics
/// raised after parsing; `0..0` when it is not written (a default).
pub fn span_of(text: &str, key: &str) -> std::ops::Range<usize> {
    toml::de::DeTable::parse(text)
        .ok()
        .and_then(|t| key_span(t.get_ref(), key))
        .unwrap_or(0..0)
}

fn key_span(table: &toml::de::DeTable<'_>, path: &str) -> Option<std::ops::Range<usize>> {
    let mut current = table;
    let parts: Vec<&str> = path.split('.').collect();
    for (i, part) in parts.iter().enumerate() {
        let (key, value) = current
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == *part)?;
        if i + 1 == parts.len() {
            return Some(key.span());
        }
        match value.get_ref() {
            toml::de::DeValue::Table(t) => current = t,
            _ => return Some(key.span()),
        }
    }
    None
}

fn known_keys_help(path: &str) -> String {
    const SECTIONS: &[(&str, &[&str])] = &[
        (
            "book",
            &[
                "title",
                "organisation",
                "description",
                "language",
                "authors",
                "logo",
                "accent-color",
                "ack-url",
                "edit-url-template",
            ],
        ),
        (
            "build",
            &[
                "content-dir",
                "output-dir",
                "theme",
                "default-classification",
                "raw-html",
                "profile",
                "max-file-size",
                "public-assets",
                "active-assets",
                "rows-per-page",
            ],
        ),
        (
            "aims",
            &[
                "standard",
                "scope-document",
                "review-warning-days",
                "default-review-cycle",
            ],
        ),
        ("versions", &["tags", "refs"]),
        (
            "check",
            &[
                "external",
                "timeout",
                "retries",
                "max-concurrency",
                "accept",
                "exclude",
                "cache-max-age",
            ],
        ),
        ("serve", &["port", "bind"]),
        ("systems", &["required", "high-risk"]),
        ("print", &["notice", "part-size"]),
        (
            "standards",
            &[
                "iso42001",
                "iso27001",
                "iso27701",
                "iso9001",
                "eu-ai-act",
                "catalogs",
                "crosswalks",
            ],
        ),
        (
            "control",
            &["approval-evidence", "allowed-signers", "editorial-changes"],
        ),
    ];
    let parts: Vec<&str> = path.split('.').collect();
    let top: Vec<&str> = SECTIONS
        .iter()
        .map(|s| s.0)
        .chain(["profiles", "fields", "approvers"])
        .collect();
    if parts.len() == 1 {
        return format!("known sections: {}", top.join(", "));
    }
    if parts[0] == "fields" {
        return "a field accepts: type (string, date, list, one-of), values, label".into();
    }
    if parts[0] == "profiles" {
        return "a profile accepts: classifications, description".into();
    }
    match SECTIONS.iter().find(|s| s.0 == parts[0]) {
        Some((name, keys)) => {
            let near = crate::diagnostic::suggest(parts[parts.len() - 1], keys.iter().copied(), 1);
            let mut s = format!("[{name}] accepts: {}", keys.join(", "));
            if let Some(n) = near.first() {
                s = format!("did you mean `{n}`? {s}");
            }
            s
        }
        None => format!("known sections: {}", top.join(", ")),
    }
}

/// Why a link template of book.toml cannot be used: not an http(s) address (a `javascript:`
/// link would run in every reader's browser), or a placeholder other than `allowed`.
fn url_template_problem(value: &str, allowed: &[&str]) -> Option<String> {
    let lower = value.trim().to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://"))
        || value
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<')
    {
        return Some(format!("is not an http(s) address: `{value}`"));
    }
    let mut rest = value;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return Some("has a `{` without its `}`".into());
        };
        let name = &after[..close];
        if !allowed.contains(&name) {
            return Some(format!("has an unknown placeholder `{{{name}}}`"));
        }
        rest = &after[close + 1..];
    }
    None
}

/// `template` with each placeholder replaced by its value, percent-encoded for a URL.
pub fn fill_url(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in values {
        let mut encoded = String::with_capacity(value.len());
        for b in value.bytes() {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
                encoded.push(b as char);
            } else {
                encoded.push_str(&format!("%{b:02X}"));
            }
        }
        out = out.replace(&format!("{{{name}}}"), &encoded);
    }
    out
}

fn toml_error(file: &str, text: &str, e: &toml::de::Error) -> Diagnostic {
    let span = e.span().unwrap_or(0..0);
    Diagnostic::error(
        "AIMS-E050",
        format!("invalid {FILE_NAME}: {}", e.message().trim()),
    )
    .at(file, text, span)
    .help("see the README's book.toml section for every key and its type")
}

/// The nearest folder at or above `start` that holds book.toml.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    let mut dir = Some(start);
    while let Some(d) = dir {
        if d.join(FILE_NAME).is_file() {
            return Some(d.to_path_buf());
        }
        dir = d.parent();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_for_an_empty_file() {
        let loaded = parse("book.toml", "").expect("empty is valid");
        assert_eq!(loaded.config.build.output_dir, PathBuf::from("public"));
        assert_eq!(loaded.config.aims.review_warning_days, 30);
        assert!(loaded.warnings.is_empty());
    }

    #[test]
    fn unknown_key_is_a_warning_with_its_line() {
        let text = "[book]\ntitle = \"X\"\ntitel = \"Y\"\n";
        let loaded = parse("book.toml", text).expect("valid");
        assert_eq!(loaded.warnings.len(), 1);
        let w = &loaded.warnings[0];
        assert!(w.message.contains("book.titel"), "{}", w.message);
        assert_eq!(w.location.as_ref().map(|l| l.line), Some(3));
        assert!(
            w.help
                .as_deref()
                .unwrap_or("")
                .contains("did you mean `title`")
        );
    }

    #[test]
    fn wrong_type_is_an_error_at_the_value() {
        let text = "[aims]\nreview-warning-days = \"thirty\"\n";
        let errs = parse("book.toml", text).expect_err("invalid");
        assert_eq!(errs[0].code, "AIMS-E050");
        assert_eq!(errs[0].location.as_ref().map(|l| l.line), Some(2));
    }
}
