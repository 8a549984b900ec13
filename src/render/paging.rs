//! Pagination of the long lists (the register, the lists of documents, reviews, owners, each
//! clause's documents): which rows each page holds, the pages' file names, and the pager a
//! list of more than one page shows. A list within one page is rendered as it always was.

use std::ops::Range;

use serde::Serialize;

/// The templates of the paginated lists: one that does not name `pager` (a site's own copy from
/// before pages) gets its whole list on one page.
pub const PAGED_TEMPLATES: &[&str] = &[
    "register.html",
    "documents.html",
    "reviews.html",
    "owners.html",
    "clause.html",
    "print_appendices.html",
];

/// How many pages around the current one the pager links to (besides the first and the last):
/// the pager keeps the same size however many pages there are.
const WINDOW: usize = 2;

/// The file of page `k` (counted from 0) of the list whose first page is `first`: the first
/// page keeps its name, the others are `register-2.html`, `register-3.html`… beside it.
pub fn page_path(first: &str, k: usize) -> String {
    if k == 0 {
        return first.to_string();
    }
    match first.strip_suffix(".html") {
        Some(stem) => format!("{stem}-{}.html", k + 1),
        None => format!("{first}-{}", k + 1),
    }
}

/// How many pages a list of `rows` rows takes, `per_page` to a page (at least one page).
pub fn page_count(rows: usize, per_page: usize) -> usize {
    rows.div_ceil(per_page.max(1)).max(1)
}

/// The rows page `k` holds.
pub fn rows_of(k: usize, rows: usize, per_page: usize) -> Range<usize> {
    let per_page = per_page.max(1);
    let start = k.saturating_mul(per_page).min(rows);
    start..start.saturating_add(per_page).min(rows)
}

/// The part of each group that falls in `range` of the rows of all groups in a row: for each
/// group with rows there, (its index, its rows there).
pub fn slice_groups(lens: &[usize], range: &Range<usize>) -> Vec<(usize, Range<usize>)> {
    let mut out = Vec::new();
    let mut at = 0;
    for (g, &len) in lens.iter().enumerate() {
        let (start, end) = (at, at + len);
        at = end;
        let from = range.start.max(start);
        let to = range.end.min(end);
        if from < to {
            out.push((g, from - start..to - start));
        }
    }
    out
}

/// One list of a paginated page: its rows in all, and whether it began on an earlier page or
/// goes on to a later one.
#[derive(Debug, Serialize, Default, Clone, Copy)]
pub struct ListInfo {
    pub total: usize,
    pub continued: bool,
    pub continues: bool,
    /// The list is shown on this page: it has rows here, or it has none at all and this is the
    /// first page (where it says so).
    pub shown: bool,
}

impl ListInfo {
    /// The list of `len` rows of which `range` is on this page (the first if `first`).
    pub fn new(len: usize, range: &std::ops::Range<usize>, first: bool) -> ListInfo {
        ListInfo {
            total: len,
            continued: range.start > 0,
            continues: range.end < len,
            shown: !range.is_empty() || (first && len == 0),
        }
    }
}

/// The pager of one page of a list of more than one page.
#[derive(Debug, Clone, Serialize)]
pub struct Pager {
    /// The navigation's accessible name ("Pages of the register").
    pub label: String,
    /// This page, counted from 1, of `pages`.
    pub page: usize,
    pub pages: usize,
    /// The rows this page shows (counted from 1) of `rows` (0 for pages cut by size).
    pub first_row: usize,
    pub last_row: usize,
    pub rows: usize,
    /// The previous and next pages ("" for none), relative to this page (they share its folder).
    pub prev: String,
    pub next: String,
    /// The first page, the last, and the pages around this one.
    pub links: Vec<PagerLink>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PagerLink {
    pub number: usize,
    pub href: String,
    pub current: bool,
    /// Pages were skipped before this one.
    pub gap: bool,
}

/// A list's pages: how many rows it has and how many go on a page.
#[derive(Debug, Clone)]
pub struct Pages {
    /// The first page's path from the site's root (`register.html`, `type/record.html`).
    pub first: String,
    pub rows: usize,
    pub per_page: usize,
    /// The pager names the rows of each page (not for pages cut by size).
    by_rows: bool,
}

impl Pages {
    pub fn new(first: impl Into<String>, rows: usize, per_page: usize) -> Pages {
        Pages {
            first: first.into(),
            rows,
            per_page: per_page.max(1),
            by_rows: true,
        }
    }

    /// `pages` pages cut otherwise than by rows (the pager names no rows).
    pub fn of_pages(first: impl Into<String>, pages: usize) -> Pages {
        Pages {
            first: first.into(),
            rows: pages,
            per_page: 1,
            by_rows: false,
        }
    }

    pub fn count(&self) -> usize {
        page_count(self.rows, self.per_page)
    }

    /// Page `k`'s path from the site's root.
    pub fn path(&self, k: usize) -> String {
        page_path(&self.first, k)
    }

    /// The rows page `k` holds.
    pub fn rows_of(&self, k: usize) -> Range<usize> {
        rows_of(k, self.rows, self.per_page)
    }

    /// Page `k`'s title: `title` on the first page, "title — page 2 of 34" on the others.
    pub fn title(&self, title: &str, k: usize) -> String {
        if k == 0 {
            title.to_string()
        } else {
            format!("{title} — page {} of {}", k + 1, self.count())
        }
    }

    /// Page `k`'s pager, named `label`; `None` for a list of one page.
    pub fn pager(&self, k: usize, label: &str) -> Option<Pager> {
        let pages = self.count();
        if pages < 2 {
            return None;
        }
        let file = self.first.rsplit('/').next().unwrap_or(&self.first);
        let href = |j: usize| page_path(file, j);
        let range = self.rows_of(k);
        let mut links = Vec::new();
        let mut last: Option<usize> = None;
        for j in 0..pages {
            let near = j.abs_diff(k) <= WINDOW;
            if j == 0 || j + 1 == pages || near {
                links.push(PagerLink {
                    number: j + 1,
                    href: href(j),
                    current: j == k,
                    gap: last.is_some_and(|l| l + 1 < j),
                });
                last = Some(j);
            }
        }
        Some(Pager {
            label: label.to_string(),
            page: k + 1,
            pages,
            first_row: range.start + 1,
            last_row: range.end,
            rows: if self.by_rows { self.rows } else { 0 },
            prev: k.checked_sub(1).map(href).unwrap_or_default(),
            next: if k + 1 < pages {
                href(k + 1)
            } else {
                String::new()
            },
            links,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_named_after_the_first_and_hold_their_rows() {
        assert_eq!(page_path("register.html", 0), "register.html");
        assert_eq!(page_path("register.html", 1), "register-2.html");
        assert_eq!(page_path("clause/6.1.2.html", 2), "clause/6.1.2-3.html");
        let p = Pages::new("type/record.html", 25, 10);
        assert_eq!(p.count(), 3);
        assert_eq!(p.rows_of(2), 20..25);
        assert_eq!(Pages::new("a.html", 0, 10).count(), 1);
        assert!(Pages::new("a.html", 10, 10).pager(0, "x").is_none());
        let pager = p.pager(1, "Pages").expect("a pager");
        assert_eq!(
            (pager.prev.as_str(), pager.next.as_str()),
            ("record.html", "record-3.html")
        );
        assert_eq!((pager.first_row, pager.last_row), (11, 20));
        assert_eq!(p.title("Records", 1), "Records — page 2 of 3");
    }

    #[test]
    fn the_pager_keeps_its_size_however_many_pages() {
        let p = Pages::new("register.html", 100_000, 10);
        let pager = p.pager(5_000, "Pages").expect("a pager");
        let numbers: Vec<usize> = pager.links.iter().map(|l| l.number).collect();
        assert_eq!(numbers, [1, 4_999, 5_000, 5_001, 5_002, 5_003, 10_000]);
        assert!(pager.links[1].gap && pager.links[6].gap && !pager.links[2].gap);
        assert!(pager.links[3].current);
    }

    #[test]
    fn groups_are_sliced_by_their_rows_in_a_row() {
        assert_eq!(
            slice_groups(&[3, 0, 4, 2], &(2..8)),
            vec![(0, 2..3), (2, 0..4), (3, 0..1)]
        );
    }
}
