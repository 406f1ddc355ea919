//! Growth curves: every method measured at several sizes in one invocation,
//! the fitted exponent of its cost against the size, and a chart of them.
//!
//! The exponent is the slope of the least-squares line through
//! `(ln size, ln cost)`: 1.0 means the cost grows linearly with the data, 2.0
//! quadratically, 0.0 not at all.

use std::path::{Path, PathBuf};
use std::sync::Once;

use anyhow::{Context, Result, anyhow};
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::report::{Table, thousands};

/// The charts' only font, embedded (so no system font is looked up).
const FONT: &str = "sans-serif";

/// Parses a size: `250000`, `100k`, `1M`, `2.5M`.
pub(crate) fn parse_size(text: &str) -> Result<i64, String> {
    let t = text.trim();
    let (number, scale) = match t.char_indices().last() {
        Some((i, 'k' | 'K')) => (&t[..i], 1e3),
        Some((i, 'm' | 'M')) => (&t[..i], 1e6),
        _ => (t, 1.0),
    };
    let value: f64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a size (examples: 250000, 100k, 1M, 2.5M)"))?;
    let size = (value * scale).round();
    if !(1.0..=1e12).contains(&size) {
        return Err(format!("{text:?} is out of range (1 to 10^12)"));
    }
    Ok(size as i64)
}

/// `1000000` as `1M`, `300000` as `300k`.
pub(crate) fn short(size: f64) -> String {
    let (value, unit) = if size >= 1e6 {
        (size / 1e6, "M")
    } else if size >= 1e3 {
        (size / 1e3, "k")
    } else {
        (size, "")
    };
    let text = format!("{value:.1}");
    format!("{}{unit}", text.trim_end_matches(".0"))
}

/// The exponent `b` of `cost = a * size^b` fitted by least squares in log-log
/// space; `None` below two distinct sizes or with a non-positive figure.
pub(crate) fn exponent(points: &[(f64, f64)]) -> Option<f64> {
    if points.iter().any(|(x, y)| *x <= 0.0 || *y <= 0.0) {
        return None;
    }
    let logs: Vec<(f64, f64)> = points.iter().map(|(x, y)| (x.ln(), y.ln())).collect();
    let n = logs.len() as f64;
    let mean_x = logs.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = logs.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = logs.iter().map(|p| (p.0 - mean_x).powi(2)).sum();
    let sxy: f64 = logs.iter().map(|p| (p.0 - mean_x) * (p.1 - mean_y)).sum();
    (sxx > f64::EPSILON).then(|| sxy / sxx)
}

/// One method's cost at each size.
struct Curve {
    method: String,
    points: Vec<(f64, f64)>,
    /// The largest exponent its target allows, if it has one.
    target: Option<f64>,
}

/// The curves of one benchmark.
pub(crate) struct Growth {
    /// File name of the charts (`<name>.svg`, `<name>.png`).
    name: &'static str,
    title: String,
    x_label: &'static str,
    y_label: &'static str,
    curves: Vec<Curve>,
}

impl Growth {
    /// Curves of `y_label` against `x_label`, charted as `<name>.svg|png`.
    pub(crate) fn new(
        name: &'static str,
        title: impl Into<String>,
        x_label: &'static str,
        y_label: &'static str,
    ) -> Self {
        Self {
            name,
            title: title.into(),
            x_label,
            y_label,
            curves: Vec::new(),
        }
    }

    /// Records `method`'s cost at `size`; `target` is its largest allowed
    /// exponent (taken from the first point of a method).
    pub(crate) fn add(&mut self, method: &str, target: Option<f64>, size: f64, cost: f64) {
        match self.curves.iter_mut().find(|c| c.method == method) {
            Some(curve) => curve.points.push((size, cost)),
            None => self.curves.push(Curve {
                method: method.to_owned(),
                points: vec![(size, cost)],
                target,
            }),
        }
    }

    /// The fitted exponent of `method`, if it was measured at two sizes or more.
    #[cfg(test)]
    pub(crate) fn exponent_of(&self, method: &str) -> Option<f64> {
        self.curves
            .iter()
            .find(|c| c.method == method)
            .and_then(|c| exponent(&c.points))
    }

    fn sizes(&self) -> Vec<f64> {
        let mut sizes: Vec<f64> = self
            .curves
            .iter()
            .flat_map(|c| c.points.iter().map(|p| p.0))
            .collect();
        sizes.sort_by(f64::total_cmp);
        sizes.dedup();
        sizes
    }

    /// Prints each method's cost at each size, its exponent and its target.
    pub(crate) fn print(&self) {
        let sizes = self.sizes();
        let mut header: Vec<String> = vec!["method".into()];
        header.extend(
            sizes
                .iter()
                .map(|s| format!("{} at {}", self.y_label, short(*s))),
        );
        header.extend(["exponent".into(), "target".into()]);
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let mut table = Table::new(
            format!("growth: {} against {}", self.y_label, self.x_label),
            &header,
        );
        for curve in &self.curves {
            let mut row = vec![curve.method.clone()];
            for size in &sizes {
                row.push(
                    curve
                        .points
                        .iter()
                        .find(|p| p.0 == *size)
                        .map_or("-".into(), |p| figure(p.1)),
                );
            }
            let fitted = exponent(&curve.points);
            row.push(fitted.map_or("-".into(), |e| format!("{e:.2}")));
            row.push(match (curve.target, fitted) {
                (Some(limit), Some(e)) if e <= limit => format!("<= {limit:.1}: met"),
                (Some(limit), Some(_)) => format!("<= {limit:.1}: MISSED"),
                (Some(limit), None) => format!("<= {limit:.1}"),
                (None, _) => "-".into(),
            });
            table.row(row);
        }
        table.print();
    }

    /// Prints the growth, then `ratios` (the targets at each size), and writes
    /// the chart into `dir`.
    pub(crate) fn report(&self, ratios: &Table, dir: &Path) -> Result<()> {
        self.print();
        ratios.print();
        let (svg, png) = self.chart(dir)?;
        println!("\nchart: {} and {}", svg.display(), png.display());
        Ok(())
    }

    /// Writes `<dir>/<name>.svg` and `<dir>/<name>.png`; returns their paths.
    pub(crate) fn chart(&self, dir: &Path) -> Result<(PathBuf, PathBuf)> {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        register_font()?;
        let svg = dir.join(format!("{}.svg", self.name));
        let png = dir.join(format!("{}.png", self.name));
        self.draw(SVGBackend::new(&svg, SIZE).into_drawing_area())
            .with_context(|| format!("drawing {}", svg.display()))?;
        self.draw(BitMapBackend::new(&png, SIZE).into_drawing_area())
            .with_context(|| format!("drawing {}", png.display()))?;
        Ok((svg, png))
    }

    fn draw<DB: DrawingBackend>(&self, root: DrawingArea<DB, Shift>) -> Result<()> {
        let failed = |e: DrawingAreaErrorKind<DB::ErrorType>| anyhow!("{e}");
        let points = || self.curves.iter().flat_map(|c| c.points.iter().copied());
        let bounds = |pick: fn((f64, f64)) -> f64| {
            points()
                .map(pick)
                .fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)))
        };
        let (x_lo, x_hi) = bounds(|p| p.0);
        let (y_lo, y_hi) = bounds(|p| p.1);
        if x_lo > x_hi || y_lo <= 0.0 {
            return Err(anyhow!("nothing positive to chart"));
        }
        root.fill(&WHITE).map_err(failed)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(&self.title, (FONT, 22))
            .margin(18)
            .x_label_area_size(50)
            .y_label_area_size(80)
            .build_cartesian_2d(
                (x_lo / 1.25..x_hi * 1.25).log_scale(),
                (y_lo / 2.0..y_hi * 2.0).log_scale(),
            )
            .map_err(failed)?;
        chart
            .configure_mesh()
            .x_desc(format!("{} (log scale)", self.x_label))
            .y_desc(format!("{} (log scale)", self.y_label))
            .x_labels(12)
            .y_labels(12)
            .x_label_formatter(&|x| short(*x))
            .y_label_formatter(&|y| figure(*y))
            .label_style((FONT, 15))
            .axis_desc_style((FONT, 16))
            .draw()
            .map_err(failed)?;
        for (i, curve) in self.curves.iter().enumerate() {
            let color = COLORS[i % COLORS.len()].to_rgba();
            let label = match exponent(&curve.points) {
                Some(e) => format!("{}: exponent {e:.2}", curve.method),
                None => curve.method.clone(),
            };
            chart
                .draw_series(LineSeries::new(
                    curve.points.iter().copied(),
                    color.stroke_width(2),
                ))
                .map_err(failed)?
                .label(label)
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 24, y)], color.stroke_width(3))
                });
            chart
                .draw_series(
                    curve
                        .points
                        .iter()
                        .map(|p| Circle::new(*p, 4, color.filled())),
                )
                .map_err(failed)?;
        }
        chart
            .configure_series_labels()
            .label_font((FONT, 14))
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .position(SeriesLabelPosition::UpperLeft)
            .draw()
            .map_err(failed)?;
        root.present().map_err(failed)?;
        Ok(())
    }
}

/// The curves' colours, in order: dark and distinct on white.
const COLORS: [RGBColor; 8] = [
    RGBColor(214, 39, 40),
    RGBColor(31, 119, 180),
    RGBColor(44, 160, 44),
    RGBColor(148, 103, 189),
    RGBColor(255, 127, 14),
    RGBColor(23, 190, 207),
    RGBColor(140, 86, 75),
    RGBColor(127, 127, 127),
];

/// Pixels of every chart.
const SIZE: (u32, u32) = (960, 600);

/// A figure with about three significant digits.
fn figure(value: f64) -> String {
    if value >= 1000.0 {
        thousands(value)
    } else if value >= 10.0 {
        format!("{value:.1}")
    } else if value >= 0.1 {
        format!("{value:.2}")
    } else {
        format!("{value:.4}")
    }
}

fn register_font() -> Result<()> {
    static ONCE: Once = Once::new();
    let mut outcome = Ok(());
    ONCE.call_once(|| {
        outcome = plotters::style::register_font(
            FONT,
            FontStyle::Normal,
            epaint_default_fonts::UBUNTU_LIGHT,
        )
        .map_err(|_| anyhow!("the embedded chart font does not load"));
    });
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_suffixes_and_refuse_nonsense() {
        assert_eq!(parse_size("100k"), Ok(100_000));
        assert_eq!(parse_size("1M"), Ok(1_000_000));
        assert_eq!(parse_size("2.5m"), Ok(2_500_000));
        assert_eq!(parse_size("300000"), Ok(300_000));
        assert!(parse_size("ten").is_err());
        assert!(parse_size("0").is_err());
        assert!(parse_size("-3k").is_err());
        assert_eq!(short(1e6), "1M");
        assert_eq!(short(300_000.0), "300k");
        assert_eq!(short(2.5e6), "2.5M");
    }

    #[test]
    fn exponent_recovers_known_powers() {
        let line = |b: f64| -> Vec<(f64, f64)> {
            [1e5_f64, 3e5, 1e6]
                .iter()
                .map(|x| (*x, 0.003 * x.powf(b)))
                .collect()
        };
        for b in [0.0, 0.5, 1.0, 1.1, 2.0] {
            let fitted = exponent(&line(b)).unwrap_or(f64::NAN);
            assert!((fitted - b).abs() < 1e-9, "{b}: {fitted}");
        }
        assert_eq!(exponent(&[(1e5, 1.0)]), None);
        assert_eq!(exponent(&[(1e5, 1.0), (1e5, 2.0)]), None);
        assert_eq!(exponent(&[(1e5, 0.0), (1e6, 2.0)]), None);
    }

    #[test]
    fn charts_are_written_as_svg_and_png() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let mut growth = Growth::new("demo", "demo growth", "rows", "seconds");
        for size in [1e5, 3e5, 1e6] {
            growth.add("linear", Some(1.1), size, size / 1e5);
            growth.add("quadratic", None, size, (size / 1e5).powi(2));
        }
        assert!((growth.exponent_of("quadratic").unwrap_or(0.0) - 2.0).abs() < 1e-9);
        let (svg, png) = growth.chart(dir.path())?;
        let svg_text = std::fs::read_to_string(&svg)?;
        assert!(svg_text.starts_with("<svg"), "{svg_text:.40}");
        assert!(svg_text.contains("linear: exponent 1.00"));
        let bytes = std::fs::read(&png)?;
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        // Text is drawn: the PNG is not a blank page with lines only, which a
        // missing font would give (the caption alone is thousands of pixels).
        assert!(bytes.len() > 10_000, "{} bytes", bytes.len());
        Ok(())
    }
}
