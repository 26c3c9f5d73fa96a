//! Printing what was found in a list of files, the same way for every subcommand that reports
//! diagnostics (`check`, `lint`): every diagnostic, then a summary line per file; or one line
//! per diagnostic; or all of it as JSON.

use std::io::{IsTerminal, Write};

use attune_core::diagnostics::{self, Diagnostic, SourceFile, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Short,
    Json,
}

/// What one file gets in the report.
pub struct FileReport<'a> {
    pub file: &'a SourceFile,
    pub diagnostics: &'a [Diagnostic],
    /// Whether this file passes.
    pub ok: bool,
    /// The line printed for the file after every diagnostic (human and short formats).
    pub summary: String,
    /// More fields for the file's JSON object, beside `file`, `ok`, `errors`, `warnings` and
    /// `diagnostics`.
    pub json: serde_json::Map<String, serde_json::Value>,
}

impl FileReport<'_> {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }
}

/// Prints the report on stdout. A closed pipe (`attune check | head`) ends it quietly.
pub fn print(reports: &[FileReport], format: Format) {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = match format {
        Format::Json => print_json(&mut out, reports),
        Format::Short => print_text(&mut out, reports, Style::Short),
        Format::Human => {
            let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            print_text(&mut out, reports, Style::Human { color })
        }
    };
    if let Err(err) = result
        && err.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("error: {err}");
    }
}

fn print_text(out: &mut impl Write, reports: &[FileReport], style: Style) -> std::io::Result<()> {
    for report in reports {
        for d in report.diagnostics {
            writeln!(out, "{}", diagnostics::render(report.file, d, style))?;
        }
    }
    for report in reports {
        writeln!(out, "{}", report.summary)?;
    }
    Ok(())
}

fn print_json(out: &mut impl Write, reports: &[FileReport]) -> std::io::Result<()> {
    let files: Vec<_> = reports
        .iter()
        .map(|r| {
            let mut file = r.json.clone();
            file.insert("file".into(), r.file.path.display().to_string().into());
            file.insert("ok".into(), r.ok.into());
            file.insert("errors".into(), r.errors().into());
            file.insert("warnings".into(), r.warnings().into());
            file.insert(
                "diagnostics".into(),
                serde_json::to_value(
                    r.diagnostics
                        .iter()
                        .map(|d| diagnostics::to_json(r.file, d))
                        .collect::<Vec<_>>(),
                )
                .map_err(std::io::Error::other)?,
            );
            Ok(serde_json::Value::Object(file))
        })
        .collect::<std::io::Result<_>>()?;
    let ok = reports.iter().all(|r| r.ok);
    let doc = serde_json::json!({ "ok": ok, "files": files });
    writeln!(
        out,
        "{}",
        serde_json::to_string_pretty(&doc).map_err(std::io::Error::other)?
    )
}

/// `1 node`, `2 nodes`.
pub fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}
