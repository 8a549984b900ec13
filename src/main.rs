//! The `aims-site` binary: parse arguments, run the command, print diagnostics, pick the exit
//! code (0 done, 1 problems in the input, 2 could not run).

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;

use aims_site::cli::{CheckFormat, Cli, Color, Command, Format};
use aims_site::{Diagnostic, Error, cmd, site};

/// mimalloc: the build allocates and frees many small strings from two threads at once.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let started = std::time::Instant::now();
    let cli = Cli::parse();
    let color = match cli.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let printer = Printer {
        color,
        quiet: cli.quiet,
    };
    // A progress line on a terminal; nothing when output goes to a file or a pipe.
    let progress: Option<fn(&str)> =
        (std::io::stderr().is_terminal() && !cli.quiet).then_some(show_progress as fn(&str));
    let cwd = match std::env::current_dir() {
        Ok(d) => d,
        Err(e) => return printer.fail(&Error::io("cannot read the current folder", ".", e)),
    };
    if let Command::Init(args) = &cli.command {
        let dir = cwd.join(&args.dir);
        return match cmd::init::run(&dir) {
            Ok(report) => {
                for p in &report.written {
                    println!("created {}", aims_site::fs::display_rel(p, &dir));
                }
                for p in &report.kept {
                    println!("kept    {} (exists)", aims_site::fs::display_rel(p, &dir));
                }
                println!(
                    "next: edit book.toml and the documents in content/, then `aims-site serve`"
                );
                ExitCode::SUCCESS
            }
            Err(e) => printer.fail(&e),
        };
    }
    if let Command::Import(args) = &cli.command {
        return match cmd::import::run(cli.root.as_deref(), &cwd, args) {
            Ok(report) => {
                print!("{}", report.human());
                if report.skipped() > 0 {
                    ExitCode::from(1)
                } else {
                    ExitCode::SUCCESS
                }
            }
            Err(e) => printer.fail(&e),
        };
    }
    let project = match site::Project::discover(cli.root.as_deref(), &cwd) {
        Ok(p) => p,
        Err(e) => return printer.fail(&e),
    };
    match &cli.command {
        Command::Build(args) => match cmd::build::run(&project, args, progress) {
            Ok(report) => {
                clear_progress(progress);
                printer.diagnostics(&report.warnings);
                if cli.verbose {
                    print_timings(&report.timings, started);
                }
                if !cli.quiet {
                    let warnings = report.warnings.len();
                    eprintln!(
                        "built {} documents ({} files) into {}{}",
                        report.documents,
                        report.pages,
                        report.out_dir.display(),
                        if warnings > 0 {
                            format!(" with {warnings} warning(s)")
                        } else {
                            String::new()
                        }
                    );
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                clear_progress(progress);
                printer.fail(&e)
            }
        },
        Command::Serve(args) => {
            let on_ready = |preview: &aims_site::serve::Preview, error: Option<&str>| {
                if let Some(text) = error {
                    eprintln!("{text}\nthe first build failed; fix the problems and save");
                }
                let bind = args
                    .bind
                    .clone()
                    .unwrap_or_else(|| project.config.serve.bind.clone());
                if !aims_site::serve::is_loopback(&bind) {
                    eprintln!(
                        "warning: serving on {bind}, which other machines can reach; the preview includes drafts and every classification"
                    );
                }
                println!(
                    "serving {} at {} (drafts shown; Ctrl-C to stop)",
                    project.root.display(),
                    preview.addr
                );
                use std::io::Write;
                let _ = std::io::stdout().flush();
                if args.open {
                    let _ = std::process::Command::new("xdg-open")
                        .arg(&preview.addr)
                        .spawn();
                }
            };
            match cmd::serve::run(&project, args, &on_ready) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => printer.fail(&e),
            }
        }
        Command::Check(args) => match cmd::check::run(&project, args) {
            Ok(report) => {
                match args.format {
                    CheckFormat::Json => println!("{}", report.json()),
                    CheckFormat::Github => {
                        for d in &report.diagnostics {
                            println!("{}", d.github());
                        }
                    }
                    CheckFormat::Human => {
                        printer.diagnostics(&report.diagnostics);
                        if !cli.quiet {
                            eprintln!(
                                "checked {} documents{}: {} error(s), {} warning(s)",
                                report.documents,
                                if report.external_checked > 0 {
                                    format!(" and {} external link(s)", report.external_checked)
                                } else {
                                    String::new()
                                },
                                report.errors(),
                                report.warnings()
                            );
                        }
                    }
                }
                if report.errors() > 0 || (args.strict && report.warnings() > 0) {
                    ExitCode::from(1)
                } else {
                    ExitCode::SUCCESS
                }
            }
            Err(e) => printer.fail(&e),
        },
        Command::Export(args) => match cmd::export::run(&project, args, progress) {
            Ok(report) => {
                clear_progress(progress);
                printer.diagnostics(&report.warnings);
                use aims_site::export::PdfOutcome;
                match &report.pdf {
                    PdfOutcome::Written | PdfOutcome::NotAsked => {}
                    PdfOutcome::NoBrowser => eprintln!(
                        "note: no Chromium found on PATH (or given with --chrome): the pack has no manual.pdf; print.html prints the same manual"
                    ),
                    PdfOutcome::Failed(why) => eprintln!(
                        "warning: manual.pdf could not be rendered ({why}); the pack has everything else"
                    ),
                }
                if cli.verbose {
                    print_timings(&report.timings, started);
                }
                if !cli.quiet {
                    eprintln!(
                        "exported {} documents ({} files{}, profile {}) into {}",
                        report.documents,
                        report.files,
                        if report.pdf == PdfOutcome::Written {
                            ", with manual.pdf"
                        } else {
                            ""
                        },
                        report
                            .profile
                            .as_deref()
                            .unwrap_or("none: every classification"),
                        report.zip.display()
                    );
                }
                println!("{}", report.zip.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                clear_progress(progress);
                printer.fail(&e)
            }
        },
        Command::Init(_) | Command::Import(_) => ExitCode::SUCCESS,
        Command::New(args) => match cmd::new::run(&project, args) {
            Ok(created) => {
                println!(
                    "created {} as {}",
                    created.id,
                    cmd::new::shown(&project, &created.path)
                );
                ExitCode::SUCCESS
            }
            Err(Error::Invalid(diags)) => {
                printer.diagnostics(&diags);
                eprintln!("error: fix the documents' errors first; nothing was written");
                ExitCode::from(1)
            }
            Err(e) => printer.fail(&e),
        },
        Command::Reviews(args) => match cmd::reviews::run(&project, args) {
            Ok(report) => {
                match args.format {
                    Format::Json => match serde_json::to_string_pretty(&report) {
                        Ok(json) => println!("{json}"),
                        Err(e) => return printer.fail(&Error::Usage(e.to_string())),
                    },
                    Format::Human => print!("{}", report.human()),
                }
                if report.overdue.is_empty() {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::from(1)
                }
            }
            // Exit 1 means "overdue" here: problems that stop the report are exit 2.
            Err(Error::Invalid(diags)) => {
                printer.diagnostics(&diags);
                eprintln!("error: the documents have errors; no review report");
                ExitCode::from(2)
            }
            Err(e) => printer.fail(&e),
        },
    }
}

/// Each stage's time, then the whole run's.
fn print_timings(timings: &site::Timings, started: std::time::Instant) {
    for (stage, t) in &timings.0 {
        eprintln!("  {stage:<8} {:>8.1} ms", t.as_secs_f64() * 1000.0);
    }
    eprintln!(
        "  {:<8} {:>8.1} ms",
        "total",
        started.elapsed().as_secs_f64() * 1000.0
    );
}

fn show_progress(what: &str) {
    use std::io::Write;
    let mut err = std::io::stderr();
    let _ = write!(err, "\r\x1b[2K{what}…");
    let _ = err.flush();
}

fn clear_progress(progress: Option<fn(&str)>) {
    if progress.is_some() {
        eprint!("\r\x1b[2K");
    }
}

struct Printer {
    color: bool,
    quiet: bool,
}

impl Printer {
    fn diagnostics(&self, diags: &[Diagnostic]) {
        for d in diags {
            if self.quiet && !d.is_error() {
                continue;
            }
            eprintln!("{}\n", d.render(self.color));
        }
    }

    fn fail(&self, e: &Error) -> ExitCode {
        match e {
            Error::Invalid(diags) => {
                self.diagnostics(diags);
                let errors = diags.iter().filter(|d| d.is_error()).count();
                let warnings = diags.len() - errors;
                eprintln!("error: {errors} error(s), {warnings} warning(s); nothing was written");
                ExitCode::from(1)
            }
            other => {
                eprintln!("error: {other}");
                ExitCode::from(2)
            }
        }
    }
}
