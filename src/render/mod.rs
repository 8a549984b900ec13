//! Stage 4, render: Markdown to HTML, code highlighting, and the templated pages.

pub mod approval;
pub mod chrome;
pub mod context;
pub mod doc_page;
pub mod document;
pub mod highlight;
pub mod lists;
pub mod markdown;
pub mod pack;
pub mod pages;
pub mod paging;
pub mod print;
pub mod registers;
pub mod search;
pub mod standard_pages;
pub mod standard_refs;
pub mod standards;
pub mod systems;
