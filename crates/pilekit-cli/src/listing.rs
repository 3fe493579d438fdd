//! The readable listing of a frame: `@offset` and the facade's listing.

use pilekit::codec::AnyFrame;

/// Renders a frame at `offset` as a readable block.
pub fn render(offset: usize, frame: &AnyFrame) -> String {
    format!("@{offset} {}", pilekit::api::listing(frame))
}
