//! Markdown of other tools' dialects, converted where the meaning is plain: pandoc grid tables
//! become pipe tables when no cell spans columns, and LaTeX page breaks on their own line are
//! dropped (print breaks pages by itself). What cannot be converted is left as written and
//! reported; `build` then warns about it (AIMS-W054, AIMS-W055). Fenced code is never touched.

/// The converted body and a note per change or per table left as it was.
pub fn convert(body: &str) -> (String, Vec<String>) {
    let lines: Vec<&str> = body.split_inclusive('\n').collect();
    let mut out = String::with_capacity(body.len());
    let mut notes = Vec::new();
    let mut fence: Option<String> = None;
    let mut breaks = 0usize;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let bare = line.trim_end_matches(['\n', '\r']);
        let trimmed = bare.trim_start();
        if let Some(f) = &fence {
            if trimmed.starts_with(f.as_str()) {
                fence = None;
            }
            out.push_str(line);
            i += 1;
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(trimmed.chars().take(3).collect());
            out.push_str(line);
            i += 1;
            continue;
        }
        if matches!(
            trimmed.trim_end(),
            "\\pagebreak" | "\\newpage" | "\\clearpage"
        ) {
            breaks += 1;
            i += 1;
            continue;
        }
        if rule_columns(bare).is_some() {
            let end = (i..lines.len())
                .find(|&k| {
                    let l = lines[k].trim();
                    !(l.starts_with('+') || l.starts_with('|'))
                })
                .unwrap_or(lines.len());
            let block: Vec<&str> = lines[i..end]
                .iter()
                .map(|l| l.trim_end_matches(['\n', '\r']))
                .collect();
            match grid_to_pipe(&block) {
                Some(table) => {
                    out.push_str(&table);
                    notes.push(format!(
                        "a grid table ({} lines) was rewritten as a pipe table",
                        block.len()
                    ));
                }
                None => {
                    for l in &lines[i..end] {
                        out.push_str(l);
                    }
                    notes.push(
                        "a grid table was left as written (its cells span columns or rows): rewrite it as a pipe table by hand".to_string(),
                    );
                }
            }
            i = end;
            continue;
        }
        out.push_str(line);
        i += 1;
    }
    if breaks > 0 {
        notes.push(format!(
            "{breaks} LaTeX page break(s) (\\pagebreak, \\newpage) dropped"
        ));
    }
    (out, notes)
}

/// The byte positions of the `+` of a grid table's rule line (`+---+:==+`), with whether it is
/// the header rule (`=`).
fn rule_columns(line: &str) -> Option<(Vec<usize>, bool)> {
    let line = line.trim_end();
    if !line.starts_with('+') || !line.ends_with('+') || line.len() < 3 {
        return None;
    }
    let mut plus = Vec::new();
    let mut header = false;
    for (k, c) in line.char_indices() {
        match c {
            '+' => plus.push(k),
            '=' => header = true,
            '-' | ':' => {}
            _ => return None,
        }
    }
    (plus.len() >= 2 && plus.windows(2).all(|w| w[1] > w[0] + 1)).then_some((plus, header))
}

/// A grid table as a pipe table, when every rule has the same columns and every content line
/// has its bars where the rules have their `+` (no cell spans columns).
fn grid_to_pipe(block: &[&str]) -> Option<String> {
    let (cols, _) = rule_columns(block.first()?)?;
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut header_rows = None;
    let mut current: Option<Vec<String>> = None;
    for line in block {
        if let Some((plus, header)) = rule_columns(line) {
            if plus != cols {
                return None;
            }
            if let Some(row) = current.take() {
                rows.push(row);
            }
            if header && header_rows.is_none() {
                header_rows = Some(rows.len());
            }
            continue;
        }
        let bytes = line.as_bytes();
        if line.len() < cols[cols.len() - 1] + 1 || cols.iter().any(|&p| bytes[p] != b'|') {
            return None;
        }
        let row = current.get_or_insert_with(|| vec![String::new(); cols.len() - 1]);
        for (k, w) in cols.windows(2).enumerate() {
            let cell = line.get(w[0] + 1..w[1])?.trim();
            if !cell.is_empty() {
                if !row[k].is_empty() {
                    row[k].push(' ');
                }
                row[k].push_str(&cell.replace('|', "\\|"));
            }
        }
    }
    if current.is_some() || rows.is_empty() {
        // A table must end with a rule.
        return None;
    }
    // Pandoc's header is the rows above the `=` rule; without one the first row heads the table.
    let head = match header_rows {
        Some(n) if n > 0 => n,
        _ => 1,
    };
    let header: Vec<String> = (0..cols.len() - 1)
        .map(|k| {
            rows[..head]
                .iter()
                .map(|r| r[k].as_str())
                .filter(|c| !c.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    let mut out = String::new();
    let line = |cells: &[String]| format!("| {} |\n", cells.join(" | "));
    out.push_str(&line(&header));
    out.push_str(&format!("|{}\n", "---|".repeat(cols.len() - 1)));
    for r in &rows[head..] {
        out.push_str(&line(r));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::convert;

    #[test]
    fn grid_tables_become_pipe_tables() {
        let body = "Intro.\n\n+------+---------+\n| Role | Duty    |\n+======+=========+\n| DPO  | Advises |\n|      | on law  |\n+------+---------+\n| CISO | Secures |\n+------+---------+\n\nAfter.\n";
        let (out, notes) = convert(body);
        assert_eq!(
            out,
            "Intro.\n\n| Role | Duty |\n|---|---|\n| DPO | Advises on law |\n| CISO | Secures |\n\nAfter.\n"
        );
        assert_eq!(notes.len(), 1, "{notes:?}");
    }

    #[test]
    fn spanning_cells_and_code_are_left_alone() {
        let spanning = "+----+----+\n| a  | b  |\n+----+----+\n| wide row |\n+---------+\n";
        let (out, notes) = convert(spanning);
        assert_eq!(out, spanning);
        assert!(notes[0].contains("left as written"), "{notes:?}");
        let code = "```\n+---+\n| a |\n+---+\n\\pagebreak\n```\n";
        assert_eq!(convert(code), (code.to_string(), Vec::new()));
    }

    #[test]
    fn page_breaks_on_their_own_line_are_dropped() {
        let (out, notes) = convert("One.\n\n\\pagebreak\n\nTwo \\newpage inline.\n\\newpage\n");
        assert_eq!(out, "One.\n\n\nTwo \\newpage inline.\n");
        assert!(notes[0].starts_with("2 LaTeX page break"), "{notes:?}");
    }
}
