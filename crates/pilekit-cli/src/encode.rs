//! `pilekit encode`: the canonical JSON that `pilekit decode --json` prints, back to bytes.

use std::io::{Read, Write};
use std::path::PathBuf;

use clap::Args;
use serde_json::Value;

#[derive(Args)]
pub struct EncodeArgs {
    /// Where to read the JSON: a file, or `-` (the default) for standard input. One object per
    /// line (JSON Lines, as `decode --json` prints), or one JSON array of objects.
    #[arg(value_name = "PATH", conflicts_with = "file")]
    input: Option<PathBuf>,
    /// The JSON to read, from this file.
    #[arg(long, value_name = "PATH")]
    file: Option<PathBuf>,
    /// Write the bytes as they are, one frame after the other, instead of one line of hex per
    /// frame.
    #[arg(long)]
    raw: bool,
}

/// One input object and where it came from (a line, or an array element).
struct Item {
    place: String,
    value: Value,
}

/// Runs the command; `Ok(false)` when some object did not encode.
pub fn run(args: &EncodeArgs) -> Result<bool, String> {
    let text = read_input(args)?;
    let items = parse(&text)?;
    let mut stdout = crate::io::Out::new();
    let mut ok = true;
    for item in items {
        match encode(&item.value) {
            Ok(bytes) => {
                let result = if args.raw {
                    stdout.write_all(&bytes)
                } else {
                    writeln!(stdout, "{}", pilekit::hex::encode_spaced(&bytes))
                };
                result.map_err(|e| e.to_string())?;
            }
            Err(e) => {
                ok = false;
                let _ = stdout.flush();
                eprintln!("error in {}: {e}", item.place);
            }
        }
    }
    stdout.flush().map_err(|e| e.to_string())?;
    Ok(ok)
}

fn read_input(args: &EncodeArgs) -> Result<String, String> {
    let path = args.file.as_ref().or(args.input.as_ref());
    match path {
        Some(p) if p.as_os_str() != "-" => {
            std::fs::read_to_string(p).map_err(|e| format!("cannot read `{}`: {e}", p.display()))
        }
        _ => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| format!("cannot read standard input: {e}"))?;
            Ok(text)
        }
    }
}

/// A JSON array of objects, or JSON Lines (blank lines skipped).
fn parse(text: &str) -> Result<Vec<Item>, String> {
    if text.trim_start().starts_with('[') {
        let values: Vec<Value> =
            serde_json::from_str(text).map_err(|e| format!("invalid JSON array: {e}"))?;
        return Ok(values
            .into_iter()
            .enumerate()
            .map(|(i, value)| Item {
                place: format!("element {}", i + 1),
                value,
            })
            .collect());
    }
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, line)| {
            let place = format!("line {}", i + 1);
            serde_json::from_str(line)
                .map(|value| Item {
                    place: place.clone(),
                    value,
                })
                .map_err(|e| format!("invalid JSON in {place}: {e}"))
        })
        .collect()
}

/// The bytes of one object: a frame, or the unframed text a DNY pile's module sends (the
/// ICCID and `link` items `decode --json` prints for a capture).
fn encode(value: &Value) -> Result<Vec<u8>, String> {
    pilekit::api::encode(value).map_err(|e| e.to_string())
}
