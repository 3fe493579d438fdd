//! Input and output of every command.
//!
//! Output goes through one buffered, error-checked writer, [`Out`]. When the reader of standard
//! output goes away (`pilekit decode … | head -1`), the command ends at once, quietly, with
//! status [`CLOSED_PIPE`] (128 + SIGPIPE, what a shell reports for a command killed by a closed
//! pipe); any other write error (`> /dev/full`) is an error message and status 2.
//!
//! Input paths may be `-` for standard input.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

/// The status of a command whose standard output was closed by its reader.
pub const CLOSED_PIPE: i32 = 141;

/// Whether `--pretty` was given: JSON records are printed indented, for people.
static PRETTY: AtomicBool = AtomicBool::new(false);

/// Sets the `--pretty` switch for the whole run.
pub fn set_pretty(pretty: bool) {
    PRETTY.store(pretty, Ordering::Relaxed);
}

/// Whether JSON is printed indented (`--pretty`) rather than one record per line.
pub fn pretty() -> bool {
    PRETTY.load(Ordering::Relaxed)
}

/// One JSON record as the run prints them: one line, or indented with `--pretty`.
pub fn json<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, String> {
    let text = if pretty() {
        serde_json::to_string_pretty(value)
    } else {
        serde_json::to_string(value)
    };
    text.map_err(|e| format!("cannot write json: {e}"))
}

/// The buffered, error-checked writer to standard output.
pub struct Out {
    w: BufWriter<io::StdoutLock<'static>>,
}

impl Out {
    /// The writer to standard output.
    pub fn new() -> Self {
        Self {
            w: BufWriter::with_capacity(64 * 1024, io::stdout().lock()),
        }
    }

    /// Writes text.
    pub fn str(&mut self, text: &str) -> Result<(), String> {
        self.bytes(text.as_bytes())
    }

    /// Writes text and a newline.
    pub fn line(&mut self, text: &str) -> Result<(), String> {
        self.bytes(text.as_bytes())?;
        self.bytes(b"\n")
    }

    /// Writes bytes.
    pub fn bytes(&mut self, bytes: &[u8]) -> Result<(), String> {
        self.w.write_all(bytes).map_err(failed)
    }

    /// Sends what is buffered on.
    pub fn flush(&mut self) -> Result<(), String> {
        self.w.flush().map_err(failed)
    }

    /// Writes a message to standard error, after what standard output holds so far.
    pub fn warn(&mut self, message: &str) -> Result<(), String> {
        self.flush()?;
        warn(message);
        Ok(())
    }
}

impl Write for Out {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.w.write(buf).map_err(closed)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.w.flush().map_err(closed)
    }
}

/// Ends the run quietly if the reader has gone; passes other errors on.
fn closed(e: io::Error) -> io::Error {
    if e.kind() == io::ErrorKind::BrokenPipe {
        std::process::exit(CLOSED_PIPE);
    }
    e
}

/// Writes `text` through a fresh [`Out`] and flushes it.
pub fn print(text: &str) -> Result<(), String> {
    let mut out = Out::new();
    out.str(text)?;
    out.flush()
}

/// Writes a message line to standard error; a closed standard error is not an error of its own.
pub fn warn(message: &str) {
    let mut err = io::stderr().lock();
    let _ = writeln!(err, "{message}");
}

/// The error of a write: ends the run at once if the reader has gone.
fn failed(e: io::Error) -> String {
    let e = closed(e);
    format!("cannot write the output: {e}")
}

/// Whether `path` names standard input.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Whether standard input is a pipe or a file rather than a terminal.
pub fn stdin_is_piped() -> bool {
    !io::stdin().is_terminal()
}

/// A name for `path` in messages.
pub fn name(path: &Path) -> String {
    if is_stdin(path) {
        "standard input".into()
    } else {
        format!("`{}`", path.display())
    }
}

/// Opens a file, or standard input for `-`.
pub fn open(path: &Path) -> Result<Box<dyn Read>, String> {
    open_as(path, "")
}

/// Opens a file, or standard input for `-`, saying `what` it is when it cannot be read.
fn open_as(path: &Path, what: &str) -> Result<Box<dyn Read>, String> {
    if is_stdin(path) {
        return Ok(Box::new(io::stdin().lock()));
    }
    let what = if what.is_empty() {
        String::new()
    } else {
        format!("{what} ")
    };
    File::open(path)
        .map(|f| Box::new(f) as Box<dyn Read>)
        .map_err(|e| format!("cannot read {what}{}: {e}", name(path)))
}

/// Reads a whole text file (or standard input) of at most `limit` bytes.
pub fn read_text(path: &Path, what: &str, limit: u64) -> Result<String, String> {
    let mut bytes = Vec::new();
    open_as(path, what)?
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read {what} {}: {e}", name(path)))?;
    if bytes.len() as u64 > limit {
        return Err(format!(
            "{what} {} is larger than {} — refused",
            name(path),
            size(limit)
        ));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "{what} {} is not UTF-8 text (at byte {})",
            name(path),
            e.utf8_error().valid_up_to()
        )
    })?;
    Ok(text
        .strip_prefix('\u{FEFF}')
        .map(str::to_owned)
        .unwrap_or(text))
}

fn size(bytes: u64) -> String {
    if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{bytes} bytes")
    }
}
