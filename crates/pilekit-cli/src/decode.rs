//! `pilekit decode`.

use std::io::Read;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use pilekit::api::{self, CaptureDecoder, CaptureFormat, DecodeRequest, DialectName, Record};
use pilekit::codec::AnyFrame as Frame;
use pilekit::codec::Direction;
use pilekit::codec::juy::{EnergyResolution, JuyOptions};

use crate::io::{self, Out};
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

/// Arguments of `pilekit decode`.
#[derive(Args)]
pub struct DecodeArgs {
    /// Frames as hex, one frame per argument (spaces allowed inside quotes). Without frames and
    /// without `--file`, a capture piped to standard input is decoded.
    hex: Vec<String>,
    /// A capture to decode as a stream, `-` for standard input: binary, or hex text (split
    /// anywhere, `#` starts a comment, log prefixes such as timestamps and `RX:`/`TX:` are
    /// dropped, a UTF-8 byte-order mark is allowed). Read in chunks: any size works.
    #[arg(long, value_name = "PATH")]
    file: Option<PathBuf>,
    /// How the capture is given: unless said, hex text if its first line with hex digits is all
    /// hex (after comments and log prefixes), binary otherwise.
    #[arg(long, value_enum, default_value = "auto")]
    format: FormatArg,
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
    /// JSON Lines: one record per line, in the canonical form; every frame record carries its
    /// `offset`, errors are `{"error": {...}}` and skipped bytes `{"skipped": {...}}` records in
    /// the same stream.
    #[arg(long)]
    json: bool,
}

/// How a capture file is given.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum FormatArg {
    /// Hex text if the first line with hex digits is hex text, binary otherwise.
    Auto,
    /// Hex text.
    Hex,
    /// Raw bytes.
    Binary,
}

impl DecodeArgs {
    /// Whether the output is JSON Lines.
    pub fn json(&self) -> bool {
        self.json
    }

    /// The facade's request for these arguments.
    fn request(&self) -> DecodeRequest {
        let dialect = match self.dialect {
            DialectArg::Ykc => DialectName::Ykc,
            DialectArg::Dny => DialectName::Dny,
            DialectArg::Juy => DialectName::Juy,
            DialectArg::Auto => DialectName::Auto,
        };
        let direction = match self.direction {
            DirectionArg::Up => Some(Direction::Up),
            DirectionArg::Down => Some(Direction::Down),
            DirectionArg::Auto => None,
        };
        let energy_resolution = match self.juy_energy {
            JuyEnergyArg::Centi => EnergyResolution::CentiKwh,
            JuyEnergyArg::Milli => EnergyResolution::MilliKwh,
        };
        DecodeRequest {
            dialect,
            strict: !self.lenient,
            verify_checksum: !self.no_checksum,
            direction,
            juy: JuyOptions {
                energy_resolution,
                ..JuyOptions::default()
            },
        }
    }

    fn format(&self) -> CaptureFormat {
        match self.format {
            FormatArg::Auto => CaptureFormat::Auto,
            FormatArg::Hex => CaptureFormat::Hex,
            FormatArg::Binary => CaptureFormat::Binary,
        }
    }
}

/// The size of the chunks a capture is read in.
const CHUNK: usize = 64 * 1024;

/// Runs the command; `Ok(false)` when some input did not decode.
pub fn run(args: &DecodeArgs, out: &mut Out) -> Result<bool, String> {
    let json = args.json || io::pretty();
    let mut printer = Printer {
        json,
        ok: true,
        out,
    };
    let stdin_path = Path::new("-");
    let file = match (&args.file, args.hex.is_empty()) {
        (Some(path), _) => Some(path.as_path()),
        (None, true) if io::stdin_is_piped() => Some(stdin_path),
        (None, true) => {
            return Err(
                "give frames as hex arguments, a capture with --file, or pipe a capture to standard input"
                    .into(),
            );
        }
        (None, false) => None,
    };
    let request = args.request();
    for (i, text) in args.hex.iter().enumerate() {
        let bytes = pilekit::hex::decode(text).map_err(|e| format!("argument {}: {e}", i + 1))?;
        match api::decode_frame(&bytes, &request) {
            Ok(frame) => printer.frame(0, &frame)?,
            Err(e) => printer.error(&e)?,
        }
    }
    if let Some(path) = file {
        decode_capture(path, args, &mut printer)?;
    }
    printer.out.flush()?;
    Ok(printer.ok)
}

/// Decodes a capture as a stream: reads it in chunks, prints each record as its frame ends.
fn decode_capture(path: &Path, args: &DecodeArgs, printer: &mut Printer<'_>) -> Result<(), String> {
    let mut reader = io::open(path)?;
    let mut chunk = vec![0u8; CHUNK];
    let mut decoder = CaptureDecoder::new(&args.request(), args.format());
    loop {
        let n = match reader.read(&mut chunk) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(format!("cannot read {}: {e}", io::name(path))),
        };
        if n == 0 {
            decoder.finish();
        } else {
            decoder.feed(&chunk[..n]);
        }
        for record in decoder.by_ref() {
            printer.record(&record)?;
        }
        printer.out.flush()?;
        if n == 0 {
            return Ok(());
        }
    }
}

/// Prints the records of a run: the readable listing, or JSON Lines.
struct Printer<'a> {
    json: bool,
    ok: bool,
    out: &'a mut Out,
}

impl Printer<'_> {
    fn record(&mut self, record: &Record) -> Result<(), String> {
        if record.is_problem() {
            self.ok = false;
        }
        match record {
            Record::Frame { offset, frame } => return self.frame(*offset, frame),
            Record::Error(e) => return self.error(e),
            _ if self.json => {}
            Record::Skipped {
                offset,
                len,
                reason,
            } => {
                let why = reason
                    .as_ref()
                    .map(|r| format!(" (first candidate: {r})"))
                    .unwrap_or_default();
                return self.out.warn(&format!(
                    "error at byte {offset}: skipped {len} bytes that are not a frame{why}"
                ));
            }
            Record::Iccid { offset, iccid } => {
                return self.out.str(&format!("@{offset} dny iccid {iccid}\n"));
            }
            Record::Link { offset } => return self.out.str(&format!("@{offset} dny link\n")),
            _ => return Ok(()),
        }
        self.out.line(&io::json(record)?)
    }

    fn frame(&mut self, offset: usize, frame: &Frame) -> Result<(), String> {
        if self.json {
            let record = Record::Frame {
                offset,
                frame: frame.clone(),
            };
            self.out.line(&io::json(&record)?)
        } else {
            self.out.str(&listing::render(offset, frame))
        }
    }

    fn error(&mut self, e: &api::Error) -> Result<(), String> {
        self.ok = false;
        if self.json {
            self.out.line(&io::json(&Record::Error(e.clone()))?)
        } else {
            self.out.warn(&format!("error {e}"))
        }
    }
}
