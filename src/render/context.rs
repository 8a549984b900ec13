//! What every page shares: the render's input (the linked manual and the site's facts), the
//! navigation, links to documents and clauses, the sinks pages are written into, and the
//! template calls. Every page module builds on it; it builds on none of them.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use crate::catalog;
use crate::config::RawHtml;
use crate::diagnostic::Diagnostic;
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
}

/// The pages of the previous build, by output path. The output stage implements it: render
/// itself reads no files.
pub trait PreviousPages: Sync {
    /// The bytes of the page at `rel` (relative to the output root), when there is one.
    fn page(&self, rel: &str) -> Option<Vec<u8>>;
}

#[derive(Serialize)]
pub struct Base<'a> {
    pub site: &'a SiteInfo,
    pub root: &'static str,
    pub page_title: String,
    pub current: &'a str,
}

#[derive(Debug, Serialize, Clone)]
pub struct DocLink {
    pub id: String,
    pub title: String,
    pub url: String,
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

pub fn doc_link(manual: &Manual, i: usize, root: &str) -> DocLink {
    let d = &manual.entries[i].doc;
    DocLink {
        id: d.id.value.clone(),
        title: d.title.clone(),
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

/// Where print.html goes: its frame, split where the document sections go (see
/// [`PRINT_BODY`]), and each document's section by its position. Sections may come before the
/// frame and in any order.
pub trait PrintSink: Sync {
    fn frame(&self, head: &[u8], tail: &[u8]) -> crate::error::Result<()>;
    fn section(&self, position: usize, bytes: Vec<u8>) -> crate::error::Result<()>;
}

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
    current: std::sync::Mutex<HashMap<String, (crate::cache::Key, super::search::SearchDoc)>>,
    next: std::sync::Mutex<HashMap<String, (crate::cache::Key, super::search::SearchDoc)>>,
    pub(crate) reused: std::sync::atomic::AtomicUsize,
}

impl std::fmt::Debug for RenderMemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RenderMemo")
    }
}

impl RenderMemo {
    pub(crate) fn lookup(
        &self,
        path: &str,
        key: &crate::cache::Key,
    ) -> Option<super::search::SearchDoc> {
        let current = self.current.lock().ok()?;
        let (k, search) = current.get(path)?;
        (k == key).then(|| search.clone())
    }

    pub(crate) fn keep(
        &self,
        path: &str,
        key: crate::cache::Key,
        search: super::search::SearchDoc,
    ) {
        if let Ok(mut next) = self.next.lock() {
            next.insert(path.to_string(), (key, search));
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
