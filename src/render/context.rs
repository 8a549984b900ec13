//! What every page shares: the render's input (the linked manual and the site's facts), the
//! navigation, links to documents and clauses, the sinks pages are written into, and the
//! template calls. Every page module builds on it; it builds on none of them.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use crate::catalog;
use crate::config::RawHtml;
use crate::diagnostic::Diagnostic;
use crate::link::facts::ReviewState;
use crate::link::{self, Manual};
use crate::model::{DocType, Status};

/// Facts about the build shown on every page.
#[derive(Debug, Clone, Serialize)]
pub struct SiteInfo {
    pub title: String,
    pub organisation: String,
    pub description: String,
    pub language: String,
    pub standard: String,
    pub build_date: String,
    pub commit: Option<String>,
    pub tag: Option<String>,
    pub profile: Option<String>,
    pub drafts: bool,
    pub tool_version: &'static str,
    pub accent_color: Option<String>,
    pub logo: Option<String>,
    pub nav: Vec<NavItem>,
    /// Clauses 4–10 and Annex A, for the sidebar.
    pub clause_nav: Vec<RefLink>,
    /// The standards enabled besides ISO/IEC 42001 (none by default).
    pub standards: Vec<StandardNav>,
    /// The custom fields book.toml declares (`[fields]`): name and label, in order.
    pub fields: Vec<FieldInfo>,
    /// The version switcher (empty when only the current version is published).
    pub versions: Vec<VersionLink>,
    /// Set on the pages of an older, tagged version.
    pub old_version: Option<String>,
    /// Printed at the foot of every printed page (`[print] notice`), escaped as the inside of
    /// a CSS string; empty for none.
    pub print_notice: String,
    /// `[book] ack-url` and `edit-url-template`: link templates (checked in config), filled per
    /// document by [`crate::config::fill_url`].
    #[serde(skip)]
    pub ack_url: Option<String>,
    #[serde(skip)]
    pub edit_url_template: Option<String>,
}

/// A standard in the navigation and on the home page.
#[derive(Debug, Clone, Serialize)]
pub struct StandardNav {
    pub key: String,
    pub standard: String,
    pub url: String,
    /// Its SoA page, when it has one.
    pub soa_url: Option<String>,
    /// Clauses and controls covered, of how many.
    pub covered: usize,
    pub total: usize,
}

/// A custom field declared in book.toml.
#[derive(Debug, Clone, Serialize)]
pub struct FieldInfo {
    pub name: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct VersionLink {
    pub name: String,
    /// From this site's root.
    pub href: String,
    pub current: bool,
}

/// The switcher's links, seen from the site being built (`this`: its folder under `versions/`,
/// `None`: current); `versions` are (label, folder) pairs.
pub fn version_links(this: Option<&str>, versions: &[(String, String)]) -> Vec<VersionLink> {
    if versions.is_empty() {
        return Vec::new();
    }
    let mut out = vec![VersionLink {
        name: "current".into(),
        href: if this.is_some() {
            "../../index.html".into()
        } else {
            "index.html".into()
        },
        current: this.is_none(),
    }];
    for (label, dir) in versions {
        out.push(VersionLink {
            name: label.clone(),
            href: match this {
                None => format!("versions/{dir}/index.html"),
                Some(me) if me == dir => "index.html".into(),
                Some(_) => format!("../{dir}/index.html"),
            },
            current: this == Some(dir.as_str()),
        });
    }
    out
}

/// The sidebar's clause entries: the seven clauses and Annex A.
pub fn clause_nav() -> Vec<RefLink> {
    let cat = crate::catalog::get();
    cat.clauses
        .iter()
        .filter(|c| c.parent.is_none())
        .map(|c| ref_link(&c.id))
        .chain(std::iter::once(RefLink {
            id: "Annex A".into(),
            title: "Controls".into(),
            url: "soa.html".into(),
        }))
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct NavItem {
    pub key: String,
    pub label: String,
    pub url: String,
    pub count: usize,
}

/// Everything the page render needs besides the templates.
pub struct Input<'a> {
    pub manual: &'a Manual,
    pub site: SiteInfo,
    pub raw_html: RawHtml,
    pub scope_document: Option<String>,
    /// Highlighted code from earlier builds, by language and code.
    pub highlights: &'a crate::cache::Store,
    /// Document pages of the previous build (serve keeps one between rebuilds).
    pub memo: Option<&'a RenderMemo>,
    /// The previous output, whose unchanged document pages are reused.
    pub previous: Option<&'a dyn PreviousPages>,
    /// Identifies the templates, so that a template change re-renders every page.
    pub theme_key: crate::cache::Key,
    /// Set when building for the Stage 1 pack: the views only the pack carries.
    pub pack: Option<&'a Pack>,
    /// A live preview (`serve`): pages of documents that are not public say so.
    pub preview: bool,
    /// Told each document page rendered anew, as soon as it is (`serve` publishes it early).
    pub early: Option<&'a PageReceiver>,
    /// Documents (paths in the content folder) rendered before the others.
    pub first: &'a [String],
    /// The largest print.html written as one page, in bytes (`[print] part-size`).
    pub print_part_size: usize,
    /// Rows per page of the long lists (`[build] rows-per-page`).
    pub rows_per_page: usize,
    /// The list templates that cannot show a pager (a site's own copy from before pages): their
    /// lists stay on one page.
    pub unpaged: Vec<String>,
    /// The site's templates that are the built-in ones: a page whose templates all are is
    /// written without the template engine (see [`super::chrome`]).
    pub builtin: Vec<String>,
}

impl Input<'_> {
    /// Whether `templates` are all the built-in ones.
    pub fn built_in(&self, templates: &[&str]) -> bool {
        templates
            .iter()
            .all(|t| self.builtin.iter().any(|b| b == t))
    }

    /// Rows per page of the list rendered with `template`: every row on one page when the
    /// template shows no pager.
    pub fn per_page(&self, template: &str) -> usize {
        if self.unpaged.iter().any(|t| t == template) {
            usize::MAX
        } else {
            self.rows_per_page.max(1)
        }
    }
}

/// Where a reader confirms having read document `d` (`[book] ack-url`, filled in): for an
/// approved document that everyone must read, when book.toml gives the link.
pub fn ack_url(site: &SiteInfo, d: &crate::model::Document) -> Option<String> {
    let template = site.ack_url.as_deref()?;
    (d.status == crate::model::Status::Approved && d.for_everyone()).then(|| {
        crate::config::fill_url(
            template,
            &[
                ("id", &d.id.value),
                ("version", &d.version),
                ("title", &d.title),
            ],
        )
    })
}

/// A receiver of pages: (path in the site, bytes).
pub type PageReceiver = dyn Fn(&str, &[u8]) + Send + Sync;

/// The pages of the previous build, by output path. The output stage implements it: render
/// itself reads no files.
pub trait PreviousPages: Sync {
    /// Whether the previous output holds the page at `rel` (relative to the output root), so
    /// that it can be kept as it is.
    fn has(&self, rel: &str) -> bool;
}

#[derive(Serialize)]
pub struct Base<'a> {
    pub site: &'a SiteInfo,
    pub root: &'static str,
    pub page_title: String,
    pub current: &'a str,
}

/// `text` as the inside of a CSS string: everything but letters, digits and spaces becomes a
/// hex escape, so nothing in it can end the string or the style element.
pub fn css_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == ' ' {
            out.push(c);
        } else {
            out.push_str(&format!("\\{:06x}", u32::from(c)));
        }
    }
    out
}

/// A link to a document: its id and title borrowed from the document.
#[derive(Debug, Serialize, Clone)]
pub struct DocLink<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub url: String,
}

/// A document as the lists, the dashboard and the reviews page show it: the one borrowed view
/// of a document for templates (Zola's `SerializingPage` is the model). Its fields borrow from
/// the document; its review state is the one link computed.
#[derive(Debug, Serialize, Clone)]
pub struct DocRow<'a> {
    pub id: &'a str,
    pub title: &'a str,
    /// The document's page, relative to the site root.
    pub url: String,
    #[serde(rename = "type")]
    pub doc_type: &'static str,
    pub owner: &'a str,
    pub version: &'a str,
    pub status: &'static str,
    /// `YYYY-MM-DD`, or empty when the document has none.
    #[serde(serialize_with = "date_or_empty")]
    pub review_date: Option<jiff::civil::Date>,
    pub review_state: ReviewState,
}

impl<'a> DocRow<'a> {
    pub fn new(manual: &'a Manual, i: usize) -> DocRow<'a> {
        let d = &manual.entries[i].doc;
        DocRow {
            id: &d.id.value,
            title: &d.title,
            url: link::doc_url(&d.id.value),
            doc_type: d.doc_type.as_str(),
            owner: &d.owner,
            version: &d.version,
            status: d.status.as_str(),
            review_date: manual.next_review(i),
            review_state: manual.review_state(i),
        }
    }
}

/// A date as `YYYY-MM-DD`, or an empty string for none (how the register's CSV, its JSON and
/// the templates have always shown a missing date).
pub fn date_or_empty<S: serde::Serializer>(
    date: &Option<jiff::civil::Date>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match date {
        Some(d) => s.collect_str(d),
        None => s.serialize_str(""),
    }
}

#[derive(Debug, Serialize, Clone)]
pub struct RefLink {
    pub id: String,
    pub title: String,
    pub url: String,
}

/// The navigation entries: one per document type that has documents in this build.
pub fn nav(manual: &Manual) -> Vec<NavItem> {
    let mut counts: BTreeMap<DocType, usize> = BTreeMap::new();
    for i in manual.included() {
        let d = &manual.entries[i].doc;
        if d.status != Status::Withdrawn {
            *counts.entry(d.doc_type).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .map(|(t, count)| NavItem {
            key: format!("type-{}", t.as_str()),
            label: t.plural().to_string(),
            url: type_url(t),
            count,
        })
        .collect()
}

pub fn type_url(t: DocType) -> String {
    format!("type/{}.html", t.as_str())
}

pub fn doc_link<'a>(manual: &'a Manual, i: usize, root: &str) -> DocLink<'a> {
    let d = &manual.entries[i].doc;
    DocLink {
        id: &d.id.value,
        title: &d.title,
        url: format!("{root}{}", link::doc_url(&d.id.value)),
    }
}

pub fn ref_link(id: &str) -> RefLink {
    RefLink {
        id: id.to_string(),
        title: catalog::get().title(id).unwrap_or("").to_string(),
        url: link::clause_url(id),
    }
}

pub(crate) fn render_one(
    tera: &tera::Tera,
    name: &str,
    ctx: &impl Serialize,
) -> Result<Vec<u8>, Diagnostic> {
    let context =
        tera::Context::from_serialize(ctx).map_err(|e| crate::theme::template_error(name, &e))?;
    render_context(tera, name, &context, 64 * 1024)
}

/// A page written by `write` while `templates` are all the built-in ones (the same bytes as
/// the engine renders from them, see [`super::chrome`]), else rendered from `name` by Tera.
pub(crate) fn write_or_render<V: Serialize>(
    input: &Input<'_>,
    tera: &tera::Tera,
    (name, templates): (&str, &[&str]),
    view: &V,
    write: impl FnOnce(&V, &mut Vec<u8>),
) -> Result<Vec<u8>, Diagnostic> {
    if input.built_in(templates) {
        let mut out = Vec::with_capacity(64 * 1024);
        write(view, &mut out);
        Ok(out)
    } else {
        render_one(tera, name, view)
    }
}

/// [`render_one`] for a context without `site`, which is given already converted; `size` is
/// about how long the page will be.
pub(crate) fn render_with_site(
    tera: &tera::Tera,
    name: &str,
    ctx: &impl Serialize,
    site: &tera::Value,
    size: usize,
) -> Result<Vec<u8>, Diagnostic> {
    let mut context =
        tera::Context::from_serialize(ctx).map_err(|e| crate::theme::template_error(name, &e))?;
    context.insert_value("site", site.clone());
    render_context(tera, name, &context, size)
}

/// Renders into a buffer made about as large as the page, so that it is not copied while it
/// grows. Templates and their values are UTF-8, so the bytes are too.
fn render_context(
    tera: &tera::Tera,
    name: &str,
    context: &tera::Context,
    size: usize,
) -> Result<Vec<u8>, Diagnostic> {
    let mut out = Vec::with_capacity(size);
    tera.render_to(name, context, &mut out)
        .map_err(|e| crate::theme::template_error(name, &e))?;
    Ok(out)
}

/// Where rendered pages go: called from many threads at once with (path relative to the output
/// root, bytes), so that no page is held in memory longer than it takes to write it.
pub type Sink<'a> = dyn Fn(&str, &[u8]) -> crate::error::Result<()> + Sync + 'a;

/// Keeps a page of the previous output as it is (a document page whose inputs did not change).
pub type Keep<'a> = dyn Fn(&str) -> crate::error::Result<()> + Sync + 'a;

/// Where the document sections go in print.html.
pub const PRINT_BODY: &str = "<!--AIMS-PRINT-BODY-->";

/// What a build for the pack adds to the site.
#[derive(Debug, Clone, Default)]
pub struct Pack {
    /// Documents changed since this tag (`--since`).
    pub since: Option<Since>,
}

/// The commits after a tag, up to the commit being exported.
#[derive(Debug, Clone)]
pub struct Since {
    pub tag: String,
    /// The tag's commit.
    pub commit: String,
    /// Full ids of the commits in `tag..rev`.
    pub commits: HashSet<String>,
}

/// How one page other than a document page renders.
pub type PageFn<'s> = Box<dyn Fn() -> Result<Vec<u8>, Diagnostic> + Sync + Send + 's>;

/// A page other than a document page: where it goes and how it renders. Each page module
/// contributes its own (`pages`); `render_all` renders them side by side.
pub struct Page<'s> {
    pub path: String,
    pub render: PageFn<'s>,
}

impl<'s> Page<'s> {
    pub fn new(
        path: impl Into<String>,
        render: impl Fn() -> Result<Vec<u8>, Diagnostic> + Sync + Send + 's,
    ) -> Page<'s> {
        Page {
            path: path.into(),
            render: Box::new(render),
        }
    }
}

/// What every page module renders with: the input and the templates.
pub struct Shared<'s> {
    pub input: &'s Input<'s>,
    pub tera: &'s tera::Tera,
}

impl<'s> Shared<'s> {
    /// The frame of a page at the site's root.
    pub fn base(&self, title: &str, current: &'static str) -> Base<'s> {
        Base {
            site: &self.input.site,
            root: "",
            page_title: title.to_string(),
            current,
        }
    }
}

/// Which document pages the last successful build rendered from which inputs, so that a rebuild
/// re-renders only the pages whose inputs changed (`serve`). Entries of a build become current
/// only when that build succeeded.
#[derive(Default)]
pub struct RenderMemo {
    current: std::sync::Mutex<HashMap<String, Memoized>>,
    next: std::sync::Mutex<HashMap<String, Memoized>>,
    pub(crate) reused: std::sync::atomic::AtomicUsize,
}

/// What a document page rendered from inputs with `key`: its search entry and its section of
/// print.html, kept so that an unchanged page is neither read back nor rewritten.
#[derive(Clone)]
pub(crate) struct Memoized {
    pub key: crate::cache::Key,
    pub search: super::search::SearchDoc,
    pub print: Option<std::sync::Arc<Vec<u8>>>,
}

impl std::fmt::Debug for RenderMemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RenderMemo")
    }
}

impl RenderMemo {
    pub(crate) fn lookup(&self, path: &str, key: &crate::cache::Key) -> Option<Memoized> {
        let current = self.current.lock().ok()?;
        current.get(path).filter(|m| &m.key == key).cloned()
    }

    pub(crate) fn keep(&self, path: &str, memoized: Memoized) {
        if let Ok(mut next) = self.next.lock() {
            next.insert(path.to_string(), memoized);
        }
    }

    /// The build succeeded: its pages become the ones to compare with. Returns how many pages
    /// were reused.
    pub fn commit(&self) -> usize {
        if let (Ok(mut current), Ok(mut next)) = (self.current.lock(), self.next.lock()) {
            *current = std::mem::take(&mut *next);
        }
        self.reused.swap(0, std::sync::atomic::Ordering::Relaxed)
    }

    /// The build failed: forget what it rendered.
    pub fn discard(&self) {
        if let Ok(mut next) = self.next.lock() {
            next.clear();
        }
        self.reused.store(0, std::sync::atomic::Ordering::Relaxed);
    }
}
