//! The load picture: the community's power over the simulated hours, stacked per pile, with
//! the supply limit marked — drawn with `plotters`' SVG backend.
//!
//! Plotting takes `f64` coordinates; the powers are converted from their exact integer form
//! only here, for drawing.

use plotters::prelude::*;

use crate::summary::LoadCurve;

/// The picture as SVG text.
pub fn load_svg(curve: &LoadCurve) -> Result<String, String> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (1200, 640)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let hours = curve
            .times
            .last()
            .map_or(24.0, |&t| ((t - curve.start) as f64 / 3600.0).max(24.0));
        let totals: Vec<f64> = curve
            .power
            .iter()
            .map(|ps| ps.iter().map(|p| p.0).sum::<i64>() as f64 / 10_000.0)
            .collect();
        let limit_kw = curve.supply_limit.0 as f64 / 10_000.0;
        let top = totals.iter().copied().fold(limit_kw, f64::max) * 1.1;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                "Community load, stacked per pile (kW), with the supply limit",
                ("sans-serif", 22),
            )
            .margin(16)
            .x_label_area_size(40)
            .y_label_area_size(56)
            .build_cartesian_2d(0.0..hours, 0.0..top.max(1.0))
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .x_desc("hours since the first midnight (UTC+8)")
            .y_desc("kW")
            .x_labels(((hours / 2.0) as usize).clamp(6, 24))
            .draw()
            .map_err(|e| e.to_string())?;
        let xs: Vec<f64> = curve
            .times
            .iter()
            .map(|&t| (t - curve.start) as f64 / 3600.0)
            .collect();
        // Cumulative sums: pile i's band lies between the sum of piles < i and ≤ i. The bands
        // are drawn from the top down so that each covers the ones above it.
        let n = curve.piles.len();
        let mut cumulative = vec![vec![0i64; xs.len()]; n];
        for (k, ps) in curve.power.iter().enumerate() {
            let mut acc = 0;
            for (i, band) in cumulative.iter_mut().enumerate() {
                acc += ps.get(i).map_or(0, |p| p.0);
                band[k] = acc;
            }
        }
        for i in (0..n).rev() {
            let color = Palette99::pick(i).mix(0.85);
            let points: Vec<(f64, f64)> = xs
                .iter()
                .zip(&cumulative[i])
                .map(|(&x, &y)| (x, y as f64 / 10_000.0))
                .collect();
            chart
                .draw_series(AreaSeries::new(points, 0.0, color.filled()))
                .map_err(|e| e.to_string())?
                .label(curve.piles[i].clone())
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 4), (x + 10, y + 4)], color.filled())
                });
        }
        chart
            .draw_series(LineSeries::new(
                [(0.0, limit_kw), (hours, limit_kw)],
                RED.stroke_width(2),
            ))
            .map_err(|e| e.to_string())?
            .label(format!("supply limit {limit_kw:.0} kW"))
            .legend(|(x, y)| PathElement::new([(x, y), (x + 12, y)], RED.stroke_width(2)));
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .label_font(("sans-serif", 10))
            .draw()
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(out)
}
