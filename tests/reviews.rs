//! Review states on their boundaries (the review date itself, the day after, the last and the
//! first day outside the warning window, review cycles ending at a month's end), and the exit
//! codes of `aims-site reviews` with `SOURCE_DATE_EPOCH` standing in for the date.

mod common;

use common::{Fixture, front};
use jiff::civil::Date;

/// An approved document whose review is `review` (a `review_date: …` or `review_cycle: …` line;
/// the approval date is `approved`).
fn doc(f: &Fixture, id: &str, approved: &str, review: &str) {
    let text = front(id, "policy", "approved", "")
        .replace("  date: 2026-01-15\n", &format!("  date: {approved}\n"))
        .replace("review_date: 2027-01-15\n", &format!("{review}\n"));
    f.doc(&format!("{id}.md"), &text, "Text.\n");
}

/// `register.csv`: id → (review_date, review_status).
fn register(f: &Fixture) -> std::collections::BTreeMap<String, (String, String)> {
    let csv = f.read("public/register.csv");
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("no {name} column"))
    };
    let (date, status) = (col("review_date"), col("review_status"));
    lines
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            (
                cells[0].to_string(),
                (cells[date].to_string(), cells[status].to_string()),
            )
        })
        .collect()
}

#[test]
fn review_states_on_the_boundaries() {
    // Today is 2026-12-01 throughout.
    // (id, approval date, review line, expected review date, state with a 30-day window,
    //  state with a 10-day window)
    let table: &[(&str, &str, &str, &str, &str, &str)] = &[
        (
            "R-TODAY",
            "2026-01-15",
            "review_date: 2026-12-01",
            "2026-12-01",
            "due-soon",
            "due-soon",
        ),
        (
            "R-YESTERDAY",
            "2026-01-15",
            "review_date: 2026-11-30",
            "2026-11-30",
            "overdue",
            "overdue",
        ),
        (
            "R-PLUS10",
            "2026-01-15",
            "review_date: 2026-12-11",
            "2026-12-11",
            "due-soon",
            "due-soon",
        ),
        (
            "R-PLUS11",
            "2026-01-15",
            "review_date: 2026-12-12",
            "2026-12-12",
            "due-soon",
            "ok",
        ),
        (
            "R-PLUS30",
            "2026-01-15",
            "review_date: 2026-12-31",
            "2026-12-31",
            "due-soon",
            "ok",
        ),
        (
            "R-PLUS31",
            "2026-01-15",
            "review_date: 2027-01-01",
            "2027-01-01",
            "ok",
            "ok",
        ),
        // Cycles ending at a month's end: the day is clamped to the month's last day, never
        // carried into the next month (which would turn "overdue" into "due soon").
        (
            "C-OCT31",
            "2026-10-31",
            "review_cycle: 1 month",
            "2026-11-30",
            "overdue",
            "overdue",
        ),
        (
            "C-DEC31",
            "2025-12-31",
            "review_cycle: 11 months",
            "2026-11-30",
            "overdue",
            "overdue",
        ),
        (
            "C-AUG31",
            "2026-08-31",
            "review_cycle: 3 months",
            "2026-11-30",
            "overdue",
            "overdue",
        ),
        (
            "C-JAN31",
            "2026-01-31",
            "review_cycle: 10 months",
            "2026-11-30",
            "overdue",
            "overdue",
        ),
        (
            "C-LEAP",
            "2024-02-29",
            "review_cycle: 36 months",
            "2027-02-28",
            "ok",
            "ok",
        ),
        (
            "C-YEAR",
            "2025-12-01",
            "review_cycle: 1 year",
            "2026-12-01",
            "due-soon",
            "due-soon",
        ),
        (
            "C-WEEKS",
            "2026-11-03",
            "review_cycle: 4 weeks",
            "2026-12-01",
            "due-soon",
            "due-soon",
        ),
        (
            "C-NOV30",
            "2025-11-30",
            "review_cycle: 12 months",
            "2026-11-30",
            "overdue",
            "overdue",
        ),
        (
            "C-DEC31B",
            "2025-12-31",
            "review_cycle: 12 months",
            "2026-12-31",
            "due-soon",
            "ok",
        ),
    ];
    let f = Fixture::new();
    for (id, approved, review, ..) in table {
        doc(&f, id, approved, review);
    }
    for (window, book) in [
        (30, "[book]\ntitle = \"Reviews\"\n"),
        (
            10,
            "[book]\ntitle = \"Reviews\"\n[aims]\nreview-warning-days = 10\n",
        ),
    ] {
        f.write("book.toml", book);
        f.build().success();
        let register = register(&f);
        let reviews = f.run(&["reviews", "--today", "2026-12-01", "--format", "json"]);
        let json: serde_json::Value = serde_json::from_str(&reviews.stdout())
            .unwrap_or_else(|e| panic!("{e}: {}", reviews.stdout()));
        assert_eq!(json["window_days"], window);
        let listed = |key: &str| -> Vec<String> {
            json[key]
                .as_array()
                .expect("a list")
                .iter()
                .map(|d| d["id"].as_str().expect("id").to_string())
                .collect()
        };
        let (overdue, due_soon) = (listed("overdue"), listed("due_soon"));
        let mut wrong = Vec::new();
        for (id, _, review, date, at30, at10) in table {
            let expected = if window == 30 { at30 } else { at10 };
            let (got_date, got_state) = &register[*id];
            let in_reviews = if overdue.contains(&id.to_string()) {
                "overdue"
            } else if due_soon.contains(&id.to_string()) {
                "due-soon"
            } else {
                "ok"
            };
            if got_date != date || got_state != expected || in_reviews != *expected {
                wrong.push(format!(
                    "{id} ({review}, window {window}): expected {date} {expected}, register says {got_date} {got_state}, `reviews` says {in_reviews}"
                ));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
        // The pages agree: the day after the review date is overdue, the date itself is not.
        let page = f.read("public/doc/R-YESTERDAY.html");
        assert!(page.contains("banner-overdue"), "{page}");
        let page = f.read("public/doc/R-TODAY.html");
        assert!(
            page.contains("banner-due-soon") && !page.contains("banner-overdue"),
            "{page}"
        );
    }
}

/// Midnight UTC of `date`, as `SOURCE_DATE_EPOCH` wants it.
fn epoch(date: Date) -> String {
    date.to_zoned(jiff::tz::TimeZone::UTC)
        .expect("zoned")
        .timestamp()
        .as_second()
        .to_string()
}

fn years(date: Date, n: i64) -> Date {
    date.checked_add(jiff::Span::new().years(n)).expect("date")
}

#[test]
fn reviews_exit_codes_follow_source_date_epoch_not_the_clock() {
    let today = jiff::Zoned::now().date();
    // Each case puts SOURCE_DATE_EPOCH where the system clock gives the other answer, so the
    // test can only pass when the variable is read.
    // (review date, SOURCE_DATE_EPOCH date, exit with it, exit by the clock)
    let cases = [
        (years(today, 2), years(today, 3), 1, 0),
        (years(today, -2), years(today, -3), 0, 1),
    ];
    for (review, sde, with_sde, by_clock) in cases {
        let f = Fixture::new();
        doc(
            &f,
            "AIMS-POL-001",
            "2020-01-01",
            &format!("review_date: {review}"),
        );
        let clock = f.run(&["reviews"]);
        assert_eq!(clock.code(), by_clock, "by the clock: {}", clock.stdout());
        let run = f.run_env(&["reviews"], &[("SOURCE_DATE_EPOCH", epoch(sde).as_ref())]);
        assert_eq!(
            run.code(),
            with_sde,
            "SOURCE_DATE_EPOCH {sde}: {}{}",
            run.stdout(),
            run.stderr()
        );
        assert!(
            run.stdout().contains(&sde.to_string()),
            "the report names the date it measured against: {}",
            run.stdout()
        );
        // --today wins over SOURCE_DATE_EPOCH.
        let run = f.run_env(
            &["reviews", "--today", &today.to_string()],
            &[("SOURCE_DATE_EPOCH", epoch(sde).as_ref())],
        );
        assert_eq!(run.code(), by_clock, "{}", run.stdout());
        // A build measures against the same date.
        f.run_env(&["build"], &[("SOURCE_DATE_EPOCH", epoch(sde).as_ref())])
            .success();
        let state = if with_sde == 1 { "overdue" } else { "ok" };
        assert_eq!(register(&f)["AIMS-POL-001"].1, state);
    }

    // Exit 2: the documents have errors; SOURCE_DATE_EPOCH does not change that.
    let f = Fixture::new();
    doc(&f, "AIMS-POL-001", "2020-01-01", "review_date: 2020-02-30");
    let run = f.run_env(
        &["reviews"],
        &[("SOURCE_DATE_EPOCH", epoch(years(today, -10)).as_ref())],
    );
    run.fails_with(2)
        .finding("AIMS-E013", "content/AIMS-POL-001.md", 11, 14);
    // No overdue review, nothing due soon: 0; one due soon only: still 0.
    let f = Fixture::new();
    doc(
        &f,
        "AIMS-POL-001",
        "2020-01-01",
        &format!(
            "review_date: {}",
            today.checked_add(jiff::Span::new().days(10)).expect("date")
        ),
    );
    let run = f.run_env(
        &["reviews"],
        &[("SOURCE_DATE_EPOCH", epoch(today).as_ref())],
    );
    run.success();
    assert!(run.stdout().contains("AIMS-POL-001"), "{}", run.stdout());
}
