//! `pilekit decode`.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use pilekit::api::{DecodeRequest, DialectName, Record};
use pilekit::codec::AnyFrame as Frame;
use pilekit::codec::juy::{EnergyResolution, JuyOptions};
use pilekit::codec::stream::{DialectChoice, StreamDecoder, StreamItem};
use pilekit::codec::{DecodeError, DecodeOptions, Dialect, Direction, Policy};

use crate::listing;

/// Which protocol the input speaks.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum DialectArg {
    /// YKC (云快充) car piles.
    Ykc,
    /// AP3000 "DNY" e-bike piles and their hosts.
    Dny,
    /// JUY `5A A5` e-bike piles.
    Juy,
    /// Detect from the first bytes.
    Auto,
}

/// Which way the frames travel.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum DirectionArg {
    /// From the pile.
    Up,
    /// To the pile.
    Down,
    /// Decide from each frame's layout.
    Auto,
}

/// The resolution of JUY energy fields.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum JuyEnergyArg {
    /// 0.01 kWh (firmware before V1.1).
    Centi,
    /// 0.001 kWh (V1.1 and later).
    Milli,
}

#[derive(Args)]
pub struct DecodeArgs {
    /// Frames as hex, one frame per argument (spaces allowed inside quotes).
    hex: Vec<String>,
    /// A capture to decode as a stream: binary, or hex text (split anywhere, `#` starts a comment).
    #[arg(long, value_name = "PATH")]
    file: Option<PathBuf>,
    /// The protocol.
    #[arg(long, value_enum, default_value = "auto")]
    dialect: DialectArg,
    /// Which way the frames travel (DNY and JUY use one command code both ways).
    #[arg(long, value_enum, default_value = "auto")]
    direction: DirectionArg,
    /// Resolution of JUY energy fields.
    #[arg(long, value_enum, default_value = "milli")]
    juy_energy: JuyEnergyArg,
    /// Reject frames that break the specification (the default).
    #[arg(long, conflicts_with = "lenient")]
    strict: bool,
    /// Decode what real piles send, listing every tolerated deviation.
    #[arg(long)]
    lenient: bool,
    /// Do not verify checksums (mismatches are listed as deviations).
    #[arg(long)]
    no_checksum: bool,
    /// One JSON object per frame per line (JSON Lines), in the canonical form.
    #[arg(long)]
    json: bool,
}

impl DecodeArgs {
    fn options(&self) -> DecodeOptions {
        let policy = if self.lenient {
            Policy::Lenient
        } else {
            Policy::Strict
        };
        DecodeOptions::default()
            .with_policy(policy)
            .with_checksum_check(!self.no_checksum)
    }

    fn choice(&self) -> DialectChoice {
        match self.dialect {
            DialectArg::Ykc => DialectChoice::Fixed(Dialect::Ykc),
            DialectArg::Dny => DialectChoice::Fixed(Dialect::Dny),
            DialectArg::Juy => DialectChoice::Fixed(Dialect::Juy),
            DialectArg::Auto => DialectChoice::Auto,
        }
    }

    fn direction(&self) -> Option<Direction> {
        match self.direction {
            DirectionArg::Up => Some(Direction::Up),
            DirectionArg::Down => Some(Direction::Down),
            DirectionArg::Auto => None,
        }
    }

    fn request(&self) -> DecodeRequest {
        DecodeRequest {
            dialect: match self.dialect {
                DialectArg::Ykc => DialectName::Ykc,
                DialectArg::Dny => DialectName::Dny,
                DialectArg::Juy => DialectName::Juy,
                DialectArg::Auto => DialectName::Auto,
            },
            strict: !self.lenient,
            verify_checksum: !self.no_checksum,
            direction: self.direction(),
            juy: self.juy(),
        }
    }

    fn juy(&self) -> JuyOptions {
        let energy_resolution = match self.juy_energy {
            JuyEnergyArg::Centi => EnergyResolution::CentiKwh,
            JuyEnergyArg::Milli => EnergyResolution::MilliKwh,
        };
        JuyOptions {
            energy_resolution,
            ..JuyOptions::default()
        }
    }
}

/// Runs the command; `Ok(false)` when some input did not decode.
pub fn run(args: &DecodeArgs) -> Result<bool, String> {
    if args.hex.is_empty() && args.file.is_none() {
        return Err("give frames as hex arguments or a capture with --file".into());
    }
    let mut out = Output {
        json: args.json,
        ok: true,
        stdout: std::io::stdout().lock(),
    };
    for (i, text) in args.hex.iter().enumerate() {
        let bytes = pilekit::hex::decode(text).map_err(|e| format!("argument {}: {e}", i + 1))?;
        match decode_one(&bytes, args) {
            Ok(frame) => out.frame(0, &frame)?,
            Err(e) => out.failed(&e),
        }
    }
    if let Some(path) = &args.file {
        let raw =
            std::fs::read(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
        let bytes = capture_bytes(&raw).map_err(|e| format!("`{}`: {e}", path.display()))?;
        let mut decoder = StreamDecoder::with_choice(args.choice(), args.options())
            .with_direction(args.direction())
            .with_juy_options(args.juy());
        let mut items = decoder.feed_collect(&bytes);
        items.extend(decoder.finish_collect());
        for item in items {
            match item {
                StreamItem::Frame { offset, frame } => out.frame(offset, &frame)?,
                StreamItem::Error(e) => out.error(&e),
                StreamItem::Skipped {
                    offset,
                    len,
                    reason,
                } => out.skipped(offset, len, reason.as_ref()),
                StreamItem::Iccid { offset, iccid } => {
                    out.note(offset, "iccid", Some(iccid.as_str()))?
                }
                StreamItem::Link { offset } => out.note(offset, "link", None)?,
                _ => {}
            }
        }
    }
    Ok(out.ok)
}

fn decode_one(bytes: &[u8], args: &DecodeArgs) -> Result<Frame, pilekit::api::Error> {
    pilekit::api::decode_frame(bytes, &args.request())
}

/// A capture is hex text (log prefixes, comments and a byte-order mark allowed) or binary.
fn capture_bytes(raw: &[u8]) -> Result<Vec<u8>, String> {
    pilekit::api::sniff_input(raw).map_err(|e| e.to_string())
}

struct Output<W: Write> {
    json: bool,
    ok: bool,
    stdout: W,
}

impl<W: Write> Output<W> {
    fn frame(&mut self, offset: usize, frame: &Frame) -> Result<(), String> {
        let text = if self.json {
            let record = Record::Frame {
                offset,
                frame: frame.clone(),
            };
            serde_json::to_string(&record).map_err(|e| e.to_string())? + "\n"
        } else {
            listing::render(offset, frame)
        };
        self.stdout
            .write_all(text.as_bytes())
            .map_err(|e| e.to_string())
    }

    /// Unframed module text in a DNY stream (the ICCID, the `link` keep-alive).
    fn note(&mut self, offset: usize, item: &str, value: Option<&str>) -> Result<(), String> {
        let text = if self.json {
            let record = match value {
                Some(iccid) => Record::Iccid {
                    offset,
                    iccid: iccid.into(),
                },
                None => Record::Link { offset },
            };
            serde_json::to_string(&record).map_err(|e| e.to_string())? + "\n"
        } else {
            let value = value.map(|v| format!(" {v}")).unwrap_or_default();
            format!("@{offset} dny {item}{value}\n")
        };
        self.stdout
            .write_all(text.as_bytes())
            .map_err(|e| e.to_string())
    }

    fn failed(&mut self, e: &pilekit::api::Error) {
        self.ok = false;
        let _ = self.stdout.flush();
        eprintln!("error {e}");
    }

    fn error(&mut self, e: &DecodeError) {
        self.ok = false;
        let _ = self.stdout.flush();
        eprintln!("error {e}");
    }

    fn skipped(&mut self, offset: usize, len: usize, reason: Option<&DecodeError>) {
        self.ok = false;
        let _ = self.stdout.flush();
        match reason {
            Some(r) => eprintln!(
                "error at byte {offset}: skipped {len} bytes that are not a frame (first candidate: {r})"
            ),
            None => eprintln!("error at byte {offset}: skipped {len} bytes that are not a frame"),
        }
    }
}
