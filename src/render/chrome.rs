//! The frame every page shares (`base.html`: the head, the site's header and sidebar, the
//! footer), written without the template engine for the pages that have a writer of their own
//! (see [`super::doc_page`]), and the writer they write with.

use jiff::civil::Date;

use super::context::{Base, DocLink, SiteInfo};
use super::paging::Pager;

/// A page being written: raw markup, and text escaped as the template engine escapes it.
pub(crate) struct Html<'o>(pub(crate) &'o mut Vec<u8>);

impl Html<'_> {
    pub(crate) fn raw(&mut self, markup: &str) -> &mut Self {
        self.0.extend_from_slice(markup.as_bytes());
        self
    }

    pub(crate) fn text(&mut self, text: &str) -> &mut Self {
        crate::theme::escape_into(text, self.0);
        self
    }

    pub(crate) fn num(&mut self, n: usize) -> &mut Self {
        self.raw(&n.to_string())
    }

    pub(crate) fn date(&mut self, date: Option<Date>) -> &mut Self {
        if let Some(d) = date {
            self.raw(&d.to_string());
        }
        self
    }

    pub(crate) fn when(&mut self, cond: bool, markup: &str) -> &mut Self {
        if cond {
            self.raw(markup);
        }
        self
    }
}

/// A template's `{% if value %}` of an optional string: present and not empty.
pub(crate) fn set(value: Option<&str>) -> bool {
    value.is_some_and(|v| !v.is_empty())
}

/// What `base.html` takes from the page it frames.
pub(crate) struct Frame<'a> {
    pub(crate) root: &'a str,
    /// The navigation entry of this page (`current`), "" for none.
    pub(crate) current: &'a str,
    /// The `title` block: the page's title, before the site's.
    pub(crate) title: &'a str,
    /// The `body_class` block, in pieces.
    pub(crate) body_class: &'a [&'a str],
}

impl<'a> Frame<'a> {
    /// The frame of a page whose template keeps `base.html`'s title block.
    pub(crate) fn of(base: &'a Base<'a>, body_class: &'a [&'a str]) -> Frame<'a> {
        Frame {
            root: base.root,
            current: base.current,
            title: &base.page_title,
            body_class,
        }
    }
}

/// `<li><a href="{root}{url}">{id}</a> {title}</li>` for each of `docs`: the templates' list
/// of documents.
pub(crate) fn doc_items(h: &mut Html<'_>, root: &str, docs: &[DocLink<'_>]) {
    for d in docs {
        h.raw("<li><a href=\"")
            .text(root)
            .text(&d.url)
            .raw("\">")
            .text(d.id)
            .raw("</a> ")
            .text(d.title)
            .raw("</li>");
    }
}

/// A page as `base.html` frames it; `main` writes its `main` block. Appended to `out`.
pub(crate) fn page(
    out: &mut Vec<u8>,
    frame: &Frame<'_>,
    site: &SiteInfo,
    main: impl FnOnce(&mut Html<'_>),
) {
    let mut h = Html(out);
    let root = frame.root;
    head(&mut h, frame, site);
    h.raw("<body class=\"");
    for piece in frame.body_class {
        h.text(piece);
    }
    h.raw("\">\n");
    site_header(&mut h, root, frame.current, site);
    sidebar(&mut h, root, frame.current, site);
    h.raw("<main id=\"main\" tabindex=\"-1\">\n");
    if let Some(v) = site.old_version.as_deref().filter(|v| !v.is_empty()) {
        h.raw("<div class=\"banner banner-old-version\" role=\"note\"><strong>Older version:</strong> you are reading version ")
            .text(v)
            .raw(" of the manual, which is not current. <a href=\"")
            .text(root)
            .raw("../../index.html\">Go to the current manual</a></div>");
    }
    h.raw("\n");
    main(&mut h);
    h.raw("\n</main>\n</div>\n<footer class=\"site-footer\">\n  <p>")
        .text(&site.organisation)
        .when(!site.organisation.is_empty(), " · ")
        .text(&site.standard)
        .raw(" AI management system · built ")
        .text(&site.build_date);
    if let Some(c) = site.commit.as_deref().filter(|c| !c.is_empty()) {
        h.raw(" from commit <code>").text(c).raw("</code>");
    }
    if let Some(t) = site.tag.as_deref().filter(|t| !t.is_empty()) {
        h.raw(" (tag ").text(t).raw(")");
    }
    if let Some(p) = site.profile.as_deref().filter(|p| !p.is_empty()) {
        h.raw(" · profile ").text(p);
    }
    h.when(site.drafts, " · drafts included")
        .raw("</p>\n</footer>\n</body>\n</html>\n");
}

fn head(h: &mut Html<'_>, frame: &Frame<'_>, site: &SiteInfo) {
    let root = frame.root;
    h.raw("<!DOCTYPE html>\n<html lang=\"")
        .text(&site.language)
        .raw("\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"aims-site ")
        .text(site.tool_version)
        .raw("\">\n<title>")
        .text(frame.title)
        .raw(" · ")
        .text(&site.title)
        .raw("</title>\n<link rel=\"stylesheet\" href=\"")
        .text(root)
        .raw("assets/style.css\">\n<link rel=\"stylesheet\" href=\"")
        .text(root)
        .raw("assets/highlight.css\">\n");
    if !site.print_notice.is_empty() {
        h.raw("<style>@page { @bottom-left { content: \"")
            .raw(&site.print_notice)
            .raw("\"; } }</style>");
    }
    h.raw("\n");
    if let Some(a) = site.accent_color.as_deref().filter(|a| !a.is_empty()) {
        h.raw("<style>:root { --accent: ")
            .text(a)
            .raw("; }</style>");
    }
    h.raw("\n<script src=\"")
        .text(root)
        .raw("assets/theme.js\"></script>\n<script src=\"")
        .text(root)
        .raw("assets/page.js\" defer></script>\n\n</head>\n");
}

fn site_header(h: &mut Html<'_>, root: &str, current: &str, site: &SiteInfo) {
    h.raw("<a class=\"skip-link\" href=\"#main\">Skip to content</a>\n<header class=\"site-header\">\n  <a class=\"brand\" href=\"")
        .text(root)
        .raw("index.html\">");
    if let Some(logo) = site.logo.as_deref().filter(|l| !l.is_empty()) {
        h.raw("<img src=\"")
            .text(root)
            .text(logo)
            .raw("\" alt=\"\" class=\"logo\">");
    }
    h.raw("<span>")
        .text(&site.title)
        .raw("</span></a>\n  <button type=\"button\" class=\"menu-toggle\" aria-expanded=\"false\" aria-controls=\"site-nav site-sidebar\">Menu</button>\n  <nav class=\"site-nav\" id=\"site-nav\" aria-label=\"Site\">\n");
    let groups: [(&str, &[(&str, &str)]); 3] = [
        (
            "The manual",
            &[
                ("documents", "Documents"),
                ("register", "Register"),
                ("reviews", "Reviews"),
                ("changes", "Changes"),
                ("owners", "Owners"),
            ],
        ),
        (
            "The standard",
            &[
                ("clauses", "Clauses"),
                ("soa", "SoA"),
                ("readiness", "Readiness"),
                ("inventory", "AI systems"),
            ],
        ),
        ("Paper", &[("print", "Print")]),
    ];
    for (label, links) in groups {
        h.raw("    <ul class=\"nav-group\" aria-label=\"")
            .raw(label)
            .raw("\">\n");
        for (key, text) in links {
            h.raw("      <li><a href=\"")
                .text(root)
                .raw(key)
                .raw(".html\"")
                .when(current == *key, " aria-current=\"page\"")
                .raw(">")
                .raw(text)
                .raw("</a></li>\n");
        }
        h.raw("    </ul>\n");
    }
    h.raw("  </nav>\n  <form class=\"header-search\" role=\"search\" action=\"")
        .text(root)
        .raw("search.html\" method=\"get\">\n    <label for=\"site-search\" class=\"visually-hidden\">Search the manual</label>\n    <input id=\"site-search\" name=\"q\" type=\"search\" placeholder=\"Search ( / )\" autocomplete=\"off\">\n  </form>\n  <script src=\"")
        .text(root)
        .raw("assets/search.js\" defer></script>\n  ");
    if !site.versions.is_empty() {
        h.raw("<details class=\"versions\">\n    <summary>Version: ");
        match site.old_version.as_deref().filter(|v| !v.is_empty()) {
            Some(v) => h.text(v),
            None => h.raw("current"),
        };
        h.raw("</summary>\n    <ul>");
        for v in &site.versions {
            h.raw("<li><a href=\"")
                .text(root)
                .text(&v.href)
                .raw("\"")
                .when(v.current, " aria-current=\"true\"")
                .raw(">")
                .text(&v.name)
                .raw("</a></li>");
        }
        h.raw("</ul>\n  </details>");
    }
    h.raw("\n  <button type=\"button\" class=\"theme-toggle\" aria-label=\"Switch between light and dark theme\" title=\"Light or dark theme\">◐</button>\n</header>\n");
}

fn sidebar(h: &mut Html<'_>, root: &str, current: &str, site: &SiteInfo) {
    h.raw("<div class=\"layout\">\n<nav class=\"sidebar\" id=\"site-sidebar\" aria-label=\"Documents by type and by clause\">\n  <h2>By type</h2>\n  <ul>\n  ");
    for item in &site.nav {
        h.raw("\n    <li><a href=\"")
            .text(root)
            .text(&item.url)
            .raw("\"")
            .when(current == item.key, " aria-current=\"page\"")
            .raw(">")
            .text(&item.label)
            .raw("</a> <span class=\"count\">")
            .num(item.count)
            .raw("</span></li>\n  ");
    }
    h.raw("\n  </ul>\n  <h2>By clause</h2>\n  <ul>\n  ");
    for c in &site.clause_nav {
        h.raw("\n    <li><a href=\"")
            .text(root)
            .text(&c.url)
            .raw("\">")
            .text(&c.id)
            .raw(" ")
            .text(&c.title)
            .raw("</a></li>\n  ");
    }
    h.raw("\n  </ul>\n");
    for s in &site.standards {
        h.raw("  <h2>")
            .text(&s.standard)
            .raw("</h2>\n  <ul>\n    <li><a href=\"")
            .text(root)
            .text(&s.url)
            .raw("\">Clause index</a> <span class=\"count\">")
            .num(s.covered)
            .raw("/")
            .num(s.total)
            .raw("</span></li>\n    ");
        if let Some(soa) = s.soa_url.as_deref().filter(|u| !u.is_empty()) {
            h.raw("<li><a href=\"")
                .text(root)
                .text(soa)
                .raw("\">Statement of Applicability</a></li>");
        }
        h.raw("\n  </ul>\n");
    }
    h.raw("</nav>\n");
}

/// `pager.html`: the pager of a list of more than one page (none for a list of one); `end` is
/// the one after the list (`pager_end`).
pub(crate) fn pager(h: &mut Html<'_>, pager: Option<&Pager>, end: bool) {
    let Some(p) = pager else {
        return;
    };
    h.raw("<nav class=\"pager no-print\" aria-label=\"")
        .text(&p.label)
        .when(end, ", after the list")
        .raw("\">\n<ul style=\"list-style: none; display: flex; flex-wrap: wrap; gap: 0.3em 0.8em; padding: 0; margin: 1em 0;\">\n<li>Page ")
        .num(p.page)
        .raw(" of ")
        .num(p.pages);
    if p.rows != 0 {
        h.raw(" <span class=\"count\">(rows ")
            .num(p.first_row)
            .raw("–")
            .num(p.last_row)
            .raw(" of ")
            .num(p.rows)
            .raw(")</span>");
    }
    h.raw("</li>\n");
    if !p.prev.is_empty() {
        h.raw("<li><a href=\"")
            .text(&p.prev)
            .raw("\" rel=\"prev\">Previous page</a></li>");
    }
    h.raw("\n");
    for l in &p.links {
        h.when(l.gap, "<li aria-hidden=\"true\">…</li>")
            .raw("<li><a href=\"")
            .text(&l.href)
            .raw("\"")
            .when(l.current, " aria-current=\"page\"")
            .raw(" aria-label=\"Page ")
            .num(l.number)
            .raw("\">")
            .num(l.number)
            .raw("</a></li>\n");
    }
    if !p.next.is_empty() {
        h.raw("<li><a href=\"")
            .text(&p.next)
            .raw("\" rel=\"next\">Next page</a></li>");
    }
    h.raw("\n</ul>\n</nav>\n");
}
